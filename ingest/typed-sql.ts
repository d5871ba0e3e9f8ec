import type { ColumnDef } from '../pipeline/schema/define.js';
import { sqlString, sqlStringList } from '../pipeline/sql-text.js';
import type { Dictionary, ParseOptions } from './format.js';

/**
 * SQL that turns cleaned source text into typed canonical values under a source's ParseOptions.
 * Each function takes an SQL expression `t` (already trimmed, '' and sentinels → NULL) and returns SQL.
 * A value that does not parse yields NULL; problemSql() says why, so the row can be quarantined.
 */


const defaultTrue = ['true', 't', 'yes', 'y', '1', 'x', 'ja', 'oui', 'wahr'];
const defaultFalse = ['false', 'f', 'no', 'n', '0', 'nein', 'non', 'falsch'];

/** Trimmed text, NULL for '' and the source's sentinel values. */
export function cleanText(expr: string, parse: ParseOptions): string {
  const trimmed = `trim(${expr})`;
  const sentinels = (parse.nullValues ?? []).map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  if (!sentinels.length) return `nullif(${trimmed}, '')`;
  return `CASE WHEN lower(${trimmed}) IN (${sentinels.map(sqlString).join(', ')}) THEN NULL ELSE nullif(${trimmed}, '') END`;
}

/** Number text normalised to what DuckDB casts: grouping removed, decimal comma → point, trailing minus → leading. */
function numberText(t: string, parse: ParseOptions): string {
  let e = t;
  if (parse.thousandsSeparator) e = `replace(${e}, ${sqlString(parse.thousandsSeparator)}, '')`;
  if (parse.decimalComma) e = `replace(${e}, ',', '.')`;
  if (parse.trailingMinus) e = `CASE WHEN ends_with(${e}, '-') THEN '-' || rtrim(${e}, '-') ELSE ${e} END`;
  return e;
}

/** Excel serial day number (1900 date system) → TIMESTAMP, for 5-digit serials with an optional fraction. */
function excelSerial(t: string): string {
  return `CASE WHEN regexp_full_match(${t}, '[1-9][0-9]{4}(\\.[0-9]+)?') THEN TIMESTAMP '1899-12-30' + to_microseconds(CAST(CAST(${t} AS DOUBLE) * 86400000000 AS BIGINT)) END`;
}

function timestampSql(t: string, parse: ParseOptions): string {
  const zone = parse.timeZone && parse.timeZone.toUpperCase() !== 'UTC' ? parse.timeZone : undefined;
  const parts: string[] = [];
  if (zone) {
    // Naive values are wall-clock time in the source's zone; values with an offset keep theirs.
    parts.push(`CASE WHEN regexp_matches(${t}, '(Z|[+-][0-9]{2}(:?[0-9]{2})?)$') THEN TRY_CAST(${t} AS TIMESTAMPTZ) ELSE timezone(${sqlString(zone)}, TRY_CAST(${t} AS TIMESTAMP)) END`);
  } else {
    parts.push(`TRY_CAST(${t} AS TIMESTAMPTZ)`);
  }
  const naive: string[] = [];
  if (parse.dateFormats?.length) naive.push(`try_strptime(${t}, ${sqlStringList(parse.dateFormats)})`);
  if (parse.excelSerialDates !== false) naive.push(excelSerial(t));
  for (const n of naive) parts.push(zone ? `timezone(${sqlString(zone)}, ${n})` : `CAST(${n} AS TIMESTAMPTZ)`);
  return parts.length === 1 ? parts[0] : `coalesce(${parts.join(', ')})`;
}

function dateSql(t: string, parse: ParseOptions): string {
  const parts = [`TRY_CAST(${t} AS DATE)`];
  if (parse.dateFormats?.length) parts.push(`CAST(try_strptime(${t}, ${sqlStringList(parse.dateFormats)}) AS DATE)`);
  if (parse.excelSerialDates !== false) parts.push(`CAST(${excelSerial(t)} AS DATE)`);
  // ISO timestamps in a date column: keep the date part (in UTC).
  parts.push(`CAST(TRY_CAST(${t} AS TIMESTAMPTZ) AS DATE)`);
  return `coalesce(${parts.join(', ')})`;
}

/** Dictionary lookup then normalisation ('No Trouble Found' → 'no_trouble_found'). */
export function enumText(t: string, dictionary: Dictionary | undefined): string {
  const normalised = `replace(replace(lower(${t}), ' ', '_'), '-', '_')`;
  const entries = Object.entries(dictionary ?? {});
  if (!entries.length) return normalised;
  const whens = entries.map(([raw, canonical]) => `WHEN ${sqlString(raw.trim().toLowerCase())} THEN ${sqlString(canonical)}`).join(' ');
  return `CASE lower(${t}) ${whens} ELSE ${normalised} END`;
}

/** The typed value of cleaned text `t` for a column. */
export function typedSql(def: ColumnDef, t: string, parse: ParseOptions, dictionary?: Dictionary): string {
  switch (def.kind) {
    case 'text':
      return t;
    case 'int':
      return `TRY_CAST(${numberText(t, parse)} AS INTEGER)`;
    case 'decimal':
      return `TRY_CAST(${numberText(t, parse)} AS ${def.duckType})`;
    case 'double':
      return `TRY_CAST(${numberText(t, parse)} AS DOUBLE)`;
    case 'timestamp':
      return timestampSql(t, parse);
    case 'date':
      return dateSql(t, parse);
    case 'bool': {
      const yes = (parse.trueValues ?? defaultTrue).map((v) => v.toLowerCase());
      const no = (parse.falseValues ?? defaultFalse).map((v) => v.toLowerCase());
      return `CASE WHEN lower(${t}) IN (${yes.map(sqlString).join(', ')}) THEN true WHEN lower(${t}) IN (${no.map(sqlString).join(', ')}) THEN false END`;
    }
    case 'enum': {
      const v = enumText(t, dictionary);
      return def.values?.length ? `CASE WHEN ${v} IN (${def.values.map(sqlString).join(', ')}) THEN ${v} END` : v;
    }
    case 'list':
      return `list_filter(list_transform(string_split(${t}, ${sqlString(parse.listSeparator ?? '|')}), x -> trim(x)), x -> x <> '')`;
    case 'json':
      return `TRY_CAST(${t} AS JSON)`;
  }
}

const kindWords: Record<ColumnDef['kind'], string> = {
  text: 'text',
  int: 'a whole number',
  decimal: 'a number',
  double: 'a number',
  timestamp: 'a date/time',
  date: 'a date',
  bool: 'yes/no',
  enum: 'a known value',
  list: 'a list',
  json: 'JSON',
};

/** The problem text for a value that did not parse (`t` is the cleaned text). */
export function problemSql(def: ColumnDef, t: string): string {
  const expected = def.kind === 'enum' && def.values?.length ? `one of ${def.values.join(', ')}` : kindWords[def.kind];
  const what = def.kind === 'enum' ? 'unknown value' : 'cannot parse';
  return `${sqlString(`${what} "`)} || ${t} || ${sqlString(`" (expected ${expected})`)}`;
}
