import { Bool, Float64, Int32, Table, Utf8, makeData, makeVector, tableToIPC, type Vector } from 'apache-arrow';

/**
 * Encoders for tabular answers: CSV (safe to open in a spreadsheet) and Arrow IPC streams. Used by the
 * `report` command and reusable by the API for `Accept: text/csv` and `application/vnd.apache.arrow.stream`.
 */

export type TabularRow = Readonly<Record<string, unknown>>;

/** The columns of a set of rows in first-seen order (rows of one report share them). */
export function columnsOf(rows: readonly TabularRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/**
 * One CSV cell. Text starting with = + - @ (or a tab / carriage return) is prefixed with ' so a
 * spreadsheet shows it instead of running it as a formula (OWASP "CSV injection"); numbers are left
 * alone, so -3.5 stays a number. Lists and objects travel as JSON text.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : String(value);
  if (typeof value !== 'number' && typeof value !== 'bigint' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header row and CRLF line ends. */
export function toCsv(rows: readonly TabularRow[], columns: readonly string[] = columnsOf(rows)): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

type ArrowKind = 'int' | 'float' | 'bool' | 'text';

/** The narrowest Arrow type that holds every non-null value of a column. */
function kindOf(values: readonly unknown[]): ArrowKind {
  let kind: ArrowKind | undefined;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    let k: ArrowKind;
    if (typeof v === 'boolean') k = 'bool';
    else if (typeof v === 'number') k = Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? 'int' : 'float';
    else k = 'text';
    if (kind === undefined || kind === k) kind = k;
    else if ((kind === 'int' && k === 'float') || (kind === 'float' && k === 'int')) kind = 'float';
    else return 'text';
  }
  return kind ?? 'text';
}

const textOf = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** Arrow validity bitmap (bit set = value present) and the null count. */
function validity(values: readonly unknown[]): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) nullCount++;
    else bitmap[i >> 3] |= 1 << (i & 7);
  });
  return { bitmap, nullCount };
}

const encoder = new TextEncoder();

/**
 * One column as an Arrow vector, its buffers written directly (the generic builders are several
 * times slower on report-sized answers; see bench/export-formats.bench.ts).
 */
function columnVector(values: readonly unknown[]): Vector {
  const length = values.length;
  const { bitmap: nullBitmap, nullCount } = validity(values);
  switch (kindOf(values)) {
    case 'int':
      return makeVector(makeData({ type: new Int32(), length, nullCount, nullBitmap, data: Int32Array.from(values, (v) => (typeof v === 'number' ? v : 0)) }));
    case 'float':
      return makeVector(makeData({ type: new Float64(), length, nullCount, nullBitmap, data: Float64Array.from(values, (v) => (typeof v === 'number' ? v : 0)) }));
    case 'bool': {
      const data = new Uint8Array(Math.ceil(length / 8));
      values.forEach((v, i) => {
        if (v === true) data[i >> 3] |= 1 << (i & 7);
      });
      return makeVector(makeData({ type: new Bool(), length, nullCount, nullBitmap, data }));
    }
    default: {
      const encoded = values.map((v) => {
        const text = textOf(v);
        return text === null ? undefined : encoder.encode(text);
      });
      const valueOffsets = new Int32Array(length + 1);
      let total = 0;
      encoded.forEach((bytes, i) => {
        total += bytes?.length ?? 0;
        valueOffsets[i + 1] = total;
      });
      const data = new Uint8Array(total);
      encoded.forEach((bytes, i) => bytes && data.set(bytes, valueOffsets[i]));
      return makeVector(makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets, data }));
    }
  }
}

/**
 * An Arrow IPC stream of the rows, typed per column: integers Int32, other numbers Float64, booleans
 * Bool, everything else UTF-8 (dates as ISO text, lists and objects as JSON text). Built column by
 * column with apache-arrow (DuckDB's node API has no Arrow export).
 */
export function toArrowIpc(rows: readonly TabularRow[], columns: readonly string[] = columnsOf(rows)): Uint8Array {
  const vectors: Record<string, Vector> = {};
  for (const c of columns) vectors[c] = columnVector(rows.map((r) => r[c]));
  return tableToIPC(new Table(vectors), 'stream');
}
