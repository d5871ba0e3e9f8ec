import { z } from 'zod';
import { RmaError } from '../pipeline/errors.js';

/** Cursor pagination (CONTRACT §5): an opaque cursor of the last row's key; limit default 100, max 1000. */
export const defaultLimit = 100;
export const maxLimit = 1000;

export const pageQuery = {
  cursor: z.string().max(2048).optional().describe('opaque cursor from the previous page (X-Next-Cursor / Link rel="next")'),
  limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit).describe(`page size, 1-${maxLimit}`),
};

export type CursorKey = (string | number | null)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key inside a cursor; a cursor that was not made by this server is a 400, never a 500. */
export function decodeCursor(cursor: string | undefined, width: number): CursorKey | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === width && key.every((v) => v === null || typeof v === 'string' || typeof v === 'number')) return key as CursorKey;
  } catch {
    // fall through to the error below
  }
  throw new RmaError('RMA_ERR_USAGE', 'cursor is not valid; pass the X-Next-Cursor value of the previous page unchanged', { cursor: cursor.slice(0, 64) });
}

export interface Page<T> {
  rows: T[];
  next?: string;
}

const compare = (a: unknown, b: unknown): number => {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Key order of a row array, remembered per array: cached report rows are the same array on every request,
 * so a 25,000-batch report is checked (and sorted if need be) once, not on each page.
 */
const keyOrders = new WeakMap<object, Map<string, unknown[]>>();
function sortedByKey<T>(rows: T[], keyColumns: readonly string[], cmp: (r: T, key: CursorKey) => number, keyOf: (r: T) => CursorKey): T[] {
  const id = keyColumns.join('\u0000');
  const known = keyOrders.get(rows)?.get(id);
  if (known) return known as T[];
  // Reports usually arrive in key order already: sort (a copy) only when they do not.
  let ordered = true;
  for (let i = 1; i < rows.length && ordered; i++) ordered = cmp(rows[i], keyOf(rows[i - 1])) > 0;
  const sorted = ordered ? rows : [...rows].sort((a, b) => cmp(a, keyOf(b)));
  if (!keyOrders.has(rows)) keyOrders.set(rows, new Map());
  keyOrders.get(rows)!.set(id, sorted);
  return sorted;
}

/**
 * One page of rows already in memory (report results, which are small aggregates), ordered by the key
 * columns. Large tables page in SQL instead (see routes/rmas.ts).
 */
export function pageOf<T extends Record<string, unknown>>(rows: T[], keyColumns: readonly string[], cursor: string | undefined, limit: number): Page<T> {
  const after = decodeCursor(cursor, keyColumns.length);
  const cmp = (r: T, key: CursorKey): number => {
    for (let i = 0; i < keyColumns.length; i++) {
      const c = compare(r[keyColumns[i]] ?? null, key[i]);
      if (c !== 0) return c;
    }
    return 0;
  };
  const keyOf = (r: T): CursorKey => keyColumns.map((k) => (r[k] ?? null) as string | number | null);
  const sorted = sortedByKey(rows, keyColumns, cmp, keyOf);
  // First row after the cursor, by binary search.
  let lo = 0;
  if (after) {
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(sorted[mid], after) > 0) hi = mid;
      else lo = mid + 1;
    }
  }
  const page = sorted.slice(lo, lo + limit);
  const last = page[page.length - 1];
  return { rows: page, next: sorted.length > lo + limit && last ? encodeCursor(keyOf(last)) : undefined };
}

/** X-Next-Cursor and Link rel="next" headers for the following page. */
export function pageHeaders(url: string, next: string | undefined): Record<string, string> {
  if (!next) return {};
  const u = new URL(url, 'http://localhost');
  u.searchParams.set('cursor', next);
  return { 'x-next-cursor': next, link: `<${u.pathname}${u.search}>; rel="next"` };
}
