import { Bool, Float64, Int32, Table, Utf8, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';

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

/**
 * An Arrow IPC stream of the rows, typed per column: integers Int32, other numbers Float64, booleans
 * Bool, everything else UTF-8 (dates as ISO text, lists and objects as JSON text). Built column by
 * column with apache-arrow (DuckDB's node API has no Arrow export).
 */
export function toArrowIpc(rows: readonly TabularRow[], columns: readonly string[] = columnsOf(rows)): Uint8Array {
  const vectors: Record<string, Vector> = {};
  for (const c of columns) {
    const values = rows.map((r) => r[c]);
    const kind = kindOf(values);
    let type: DataType;
    let data: unknown[];
    switch (kind) {
      case 'int':
        type = new Int32();
        data = values.map((v) => (v === undefined ? null : v));
        break;
      case 'float':
        type = new Float64();
        data = values.map((v) => (v === undefined ? null : v));
        break;
      case 'bool':
        type = new Bool();
        data = values.map((v) => (v === undefined ? null : v));
        break;
      default:
        type = new Utf8();
        data = values.map(textOf);
    }
    vectors[c] = vectorFromArray(data, type);
  }
  return tableToIPC(new Table(vectors), 'stream');
}
