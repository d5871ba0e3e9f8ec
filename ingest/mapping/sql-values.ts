import { sqlIdent, sqlString } from '../../pipeline/sql-text.js';
import { alpha3ToAlpha2 } from './countries.js';
import type { Transform } from './mapping.schema.js';

/**
 * SQL expression builders that turn source text into canonical values. Each takes a SQL expression
 * (VARCHAR, NULL when empty) and returns a SQL expression; nothing here touches rows in JavaScript.
 */

// The mapping compiler's short names for the shared quoting.
export const lit = sqlString;
export const ident = sqlIdent;

/** A DuckDB MAP literal with lower-cased keys, looked up case-insensitively. */
export function dictionaryLookup(x: string, dict: Record<string, string>): string {
  const entries = Object.entries(dict);
  if (!entries.length) return 'NULL::VARCHAR';
  const seen = new Map<string, string>();
  for (const [k, v] of entries) seen.set(k.trim().toLowerCase(), v);
  return `MAP {${[...seen].map(([k, v]) => `${lit(k)}: ${lit(v)}`).join(', ')}}[lower(trim(${x}))]`;
}

const countryMap = `MAP {${[...alpha3ToAlpha2].map(([a3, a2]) => `${lit(a3)}: ${lit(a2)}`).join(', ')}}`;

const htmlEntities: [string, string][] = [['&nbsp;', ' '], ['&lt;', '<'], ['&gt;', '>'], ['&quot;', '"'], ['&#39;', "'"], ['&apos;', "'"], ['&amp;', '&']];

export function applyTransform(x: string, t: Transform): string {
  switch (t) {
    case 'trim':
      return `trim(${x})`;
    case 'upper':
      return `upper(${x})`;
    case 'lower':
      return `lower(${x})`;
    case 'strip_html': {
      // Tags become spaces (so "a<br>b" stays two words), then entities are decoded, &amp; last.
      let e = `regexp_replace(${x}, '<[^>]*>', ' ', 'g')`;
      for (const [from, to] of htmlEntities) e = `replace(${e}, ${lit(from)}, ${lit(to)})`;
      return `trim(regexp_replace(${e}, '\\s+', ' ', 'g'))`;
    }
    case 'strip_leading_zeros':
      // SAP's ALPHA conversion: only purely numeric values are zero-padded.
      return `CASE WHEN regexp_full_match(${x}, '0*[0-9]+') THEN coalesce(nullif(ltrim(${x}, '0'), ''), '0') ELSE ${x} END`;
    case 'sku_from_display':
      // "[TS-35] Thermal Scope 35mm" → "TS-35"; plain codes pass through.
      return `coalesce(nullif(regexp_extract(${x}, '^\\s*\\[([^\\]]+)\\]', 1), ''), ${x})`;
    case 'after_hash':
      // NetSuite display text "Sales Order #SO10452" → "SO10452".
      return `coalesce(nullif(regexp_extract(${x}, '#\\s*(\\S+)\\s*$', 1), ''), ${x})`;
    case 'gid_tail':
      return `regexp_replace(${x}, '^gid://[^/]+/[^/]+/', '')`;
    case 'm2o_id':
    case 'm2o_name':
      // Handled on the JSON value (see jsonText); on text a many2one is already its display name.
      return x;
    case 'abs':
      return `regexp_replace(${x}, '^-|-$', '')`;
    case 'alpha3_to_alpha2':
      return `CASE WHEN length(${x}) = 3 THEN coalesce(${countryMap}[upper(${x})], ${x}) ELSE upper(${x}) END`;
    case 'empty_as_null':
      return `nullif(trim(${x}), '')`;
  }
}

/**
 * Text of a JSON value at a path; `false` (Odoo's empty) → NULL when asked; many2one pairs `[id, "name"]`
 * give their id or name.
 */
export function jsonText(doc: string, path: string, opts: { falseIsNull: boolean; m2o?: 'id' | 'name' }): string {
  const v = `json_extract(${doc}, ${lit(path)})`;
  const text = opts.m2o
    ? `CASE WHEN json_type(${v}) = 'ARRAY' THEN json_extract_string(${v}, '$[${opts.m2o === 'id' ? 0 : 1}]') ELSE json_extract_string(${v}, '$') END`
    : `json_extract_string(${doc}, ${lit(path)})`;
  return opts.falseIsNull ? `CASE WHEN json_type(${v}) = 'BOOLEAN' AND json_extract_string(${v}, '$') = 'false' THEN NULL ELSE ${text} END` : text;
}

/** Source number text → a normalised decimal string: decimal comma, thousands separators, trailing minus (SAP `302.35-`). */
export function numberText(x: string, decimal: '.' | ','): string {
  const grouped = decimal === '.' ? String.raw`^[+-]?\d{1,3}(,\d{3})+(\.\d*)?-?$` : String.raw`^[+-]?\d{1,3}(\.\d{3})+(,\d*)?-?$`;
  const sep = decimal === '.' ? ',' : '.';
  let e = `CASE WHEN regexp_matches(${x}, ${lit(grouped)}) THEN replace(${x}, ${lit(sep)}, '') ELSE ${x} END`;
  if (decimal === ',') e = `replace(${e}, ',', '.')`;
  e = `replace(${e}, ' ', '')`;
  return `CASE WHEN ${e} LIKE '%-' THEN '-' || rtrim(${e}, '-') ELSE ${e} END`;
}

export const decimalValue = (x: string, decimal: '.' | ','): string => `try_cast(${numberText(x, decimal)} AS DECIMAL(14,2))`;
export const doubleValue = (x: string, decimal: '.' | ','): string => `try_cast(${numberText(x, decimal)} AS DOUBLE)`;
/** Whole numbers only: "1,000" in a decimal-comma file is 1, "1.5" is a problem, not 1 or 2. */
export function intValue(x: string, decimal: '.' | ','): string {
  const d = `try_cast(${numberText(x, decimal)} AS DECIMAL(18,3))`;
  return `CASE WHEN ${d} = trunc(${d}) THEN try_cast(${d} AS INTEGER) END`;
}

export function boolValue(x: string): string {
  return `CASE WHEN lower(${x}) IN ('true', 't', '1', 'yes', 'y', 'x', 'ja', 'j', 'oui', 'si', 'wahr') THEN TRUE
    WHEN lower(${x}) IN ('false', 'f', '0', 'no', 'n', 'nein', 'non', 'falsch') THEN FALSE END`;
}

export type DateOrder = 'DMY' | 'MDY' | 'YMD';

/** Regex of a numeric date with separators (01.02.2024, 1/2/24, 2024/02/01), optionally followed by a time. */
export const numericDatePattern = String.raw`^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})([ T].*)?$`;

const timeFormats = ['%H:%M:%S', '%H:%M', '%I:%M %p', '%I:%M:%S %p', '%H:%M:%S.%f'];

/** Numeric date → naive TIMESTAMP in a given order; separators are normalised to '/'. */
function numericDate(x: string, order: DateOrder): string {
  const norm = `regexp_replace(${x}, ${lit(numericDatePattern)}, '\\1/\\2/\\3\\4')`;
  const parts: Record<DateOrder, [string, string]> = { DMY: ['%d/%m/%Y', '%d/%m/%y'], MDY: ['%m/%d/%Y', '%m/%d/%y'], YMD: ['%Y/%m/%d', '%y/%m/%d'] };
  const [long, short] = parts[order];
  const formats = (d: string): string => `[${[d, ...timeFormats.map((t) => `${d} ${t}`)].map(lit).join(', ')}]`;
  // Two-digit years only where the year part has two digits, so "24" never becomes year 0024.
  const yearPart = order === 'YMD' ? `regexp_extract(${x}, ${lit(numericDatePattern)}, 1)` : `regexp_extract(${x}, ${lit(numericDatePattern)}, 3)`;
  return `CASE WHEN length(${yearPart}) = 2 THEN try_strptime(${norm}, ${formats(short)}) ELSE try_strptime(${norm}, ${formats(long)}) END`;
}

const hasOffset = (x: string): string => `regexp_matches(${x}, '(Z|[+-]\\d{2}(:?\\d{2})?)$')`;

/** Naive local time in a zone → TIMESTAMPTZ. */
// UTC by arithmetic on microseconds: a cast through ICU costs twice as much per value.
const inZone = (naive: string, zone: string): string => (zone === 'UTC' ? `make_timestamptz(epoch_us(${naive}))` : `timezone(${lit(zone)}, ${naive})`);

export interface TimestampOptions {
  format: string;
  zone: string;
  /** The source's decided numeric date order (configured or inferred); undefined = undecided. */
  order?: DateOrder;
  /** SQL text of a separate time column. */
  time?: string;
}

/** ISO text (offset kept; naive read in the zone). */
function isoValue(x: string, zone: string): string {
  return `CASE WHEN ${hasOffset(x)} THEN try_cast(${x} AS TIMESTAMPTZ) ELSE ${inZone(`try_cast(${x} AS TIMESTAMP)`, zone)} END`;
}

function sapValue(x: string, time: string | undefined, zone: string): string {
  const t = time ? `coalesce(nullif(regexp_replace(${time}, '[^0-9]', '', 'g'), ''), '000000')` : `'000000'`;
  return inZone(`try_strptime(${x} || lpad(${t}, 6, '0'), '%Y%m%d%H%M%S')`, zone);
}

/** Excel serial day numbers (1900 date system; day 60 is Excel's phantom 1900-02-29, so count from 1899-12-30). */
function excelValue(x: string, zone: string): string {
  return inZone(`TIMESTAMP '1899-12-30' + to_microseconds(CAST(round(try_cast(${x} AS DOUBLE) * 86400000000) AS BIGINT))`, zone);
}

/** Source text → TIMESTAMPTZ per the column's format and the source's locale. */
export function timestampValue(x: string, o: TimestampOptions): string {
  const f = o.format;
  const withTime = o.time ? `trim(${x} || ' ' || coalesce(${o.time}, ''))` : x;
  if (f === 'iso') return isoValue(withTime, o.zone);
  if (f === 'sap') return sapValue(x, o.time, o.zone);
  if (f === 'excel') return excelValue(x, o.zone);
  if (f === 'epoch_ms') return `make_timestamptz(CAST(try_cast(${x} AS DOUBLE) * 1000 AS BIGINT))`;
  if (f === 'epoch') return `make_timestamptz(CAST(try_cast(${x} AS DOUBLE) * 1000000 AS BIGINT))`;
  if (f === 'DMY' || f === 'MDY' || f === 'YMD') return inZone(numericDate(withTime, f), o.zone);
  if (f.includes('%')) {
    const p = `try_strptime(${withTime}, ${lit(f)})`;
    return /%z|%Z/.test(f) ? p : inZone(p, o.zone);
  }
  // auto: the shape decides between unambiguous layouts; numeric day/month order comes from the source.
  return `CASE
    WHEN regexp_matches(${x}, '^\\d{4}-\\d{2}-\\d{2}') THEN ${isoValue(withTime, o.zone)}
    WHEN regexp_full_match(${x}, '\\d{8}') THEN ${sapValue(x, o.time, o.zone)}
    WHEN regexp_full_match(${x}, '\\d{5}(\\.\\d+)?') THEN ${excelValue(x, o.zone)}
    WHEN regexp_matches(${x}, ${lit(numericDatePattern)}) THEN ${o.order ? inZone(numericDate(withTime, o.order), o.zone) : `CASE WHEN regexp_extract(${x}, ${lit(numericDatePattern)}, 1) = regexp_extract(${x}, ${lit(numericDatePattern)}, 2) THEN ${inZone(numericDate(withTime, 'DMY'), o.zone)} END`}
  END`;
}

/** Dates that mean "no date" in ERP exports. */
export const defaultNullDates = ['00000000', '0000-00-00', '1900-01-01', '0001-01-01', '9999-12-31', '31.12.9999', '01.01.1900'];
