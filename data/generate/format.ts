/**
 * Canonical text forms for the demo files: the header is the canonical column list of the table
 * (pipeline/schema/tables.ts, non-internal columns), timestamps ISO 8601 UTC with seconds, dates
 * YYYY-MM-DD, decimals with two places, lists `|`-separated, NULL empty.
 */
import type { ColumnDef, TableDef } from '../../pipeline/schema/define.js';

export const isoSeconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const fileColumns = (def: TableDef): ColumnDef[] => def.columns.filter((c) => !c.internal);

/** One value in canonical text form ('' for NULL). */
export function canonicalText(column: ColumnDef, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (column.kind) {
    case 'timestamp':
      return typeof value === 'number' ? isoSeconds(value) : String(value);
    case 'date':
      return typeof value === 'number' ? isoDate(value) : String(value);
    case 'decimal':
      return typeof value === 'number' ? value.toFixed(2) : String(value);
    case 'bool':
      return value === true ? 'true' : value === false ? 'false' : String(value);
    case 'list':
      return Array.isArray(value) ? value.join('|') : String(value);
    default:
      return String(value);
  }
}

/** The same value for a canonical-json record: numbers stay numbers, timestamps become ISO strings. */
export function canonicalJson(column: ColumnDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if ((column.kind === 'timestamp' || column.kind === 'date') && typeof value === 'number') return canonicalText(column, value);
  if (column.kind === 'decimal' && typeof value === 'number') return Math.round(value * 100) / 100;
  return value;
}

const needsQuotes = /[",\r\n]/;

export function csvField(text: string): string {
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(csvField).join(',');
}

/** A whole CSV file (header + rows) for a canonical table, as lines. */
export function tableCsvLines(def: TableDef, rows: readonly Record<string, unknown>[]): string[] {
  const cols = fileColumns(def);
  return [csvLine(cols.map((c) => c.name)), ...rows.map((r) => csvLine(cols.map((c) => canonicalText(c, r[c.name]))))];
}
