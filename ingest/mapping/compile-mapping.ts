import type { DuckDBConnection } from '@duckdb/node-api';
import { RmaError } from '../../pipeline/errors.js';
import type { ColumnDef } from '../../pipeline/schema/define.js';
import { rmaTable } from '../../pipeline/schema/tables.js';
import { queryRows } from '../../pipeline/store.js';
import type { ColumnSpecObject, Mapping } from './mapping.schema.js';
import {
  applyTransform, boolValue, decimalValue, dictionaryLookup, doubleValue, ident, intValue, jsonText, lit, numericDatePattern,
  timestampValue, type DateOrder,
} from './sql-values.js';
import type { Staging } from './read-source.js';

/** Canonical columns a mapping fills, in table order (rma_key and lineage are set by the engine). */
export const mappedColumns: readonly ColumnDef[] = rmaTable.columns.filter((c) => !c.internal);

export interface CompileOptions {
  /** Configured source name (CONTRACT §3.1 `source`). */
  source: string;
  /** Tenant when the file does not say; '' when the source has one. */
  company?: string;
  /** The file as given, for error messages. */
  file: string;
}

/** What the file says about its numeric date order (counted over every auto-format date value). */
export interface DateOrderEvidence {
  /** Values only valid as day-first (first part 13–31). */
  day_first: number;
  /** Values only valid as month-first (second part 13–31). */
  month_first: number;
  /** Values with a four-digit first part. */
  year_first: number;
  decided?: DateOrder;
  conflict: boolean;
}

export interface CompiledMapping {
  /** SELECT producing one typed canonical row per source row (plus __row, __item, __raw, __problems, __flags). */
  sql: string;
  dateOrder: DateOrderEvidence;
  /** Mapped source columns absent from the file (only when missing_columns is 'null'). */
  missing: string[];
}

const normal = (s: string): string => s.trim().toLowerCase();

/** The SQL text of one spec's source value (before typing), NULL when empty. */
function sourceText(spec: ColumnSpecObject, m: Mapping, stg: Staging, missing: string[], target: string): string | undefined {
  const falseIsNull = m.reader.kind === 'json' && m.reader.false_is_null;
  const m2o = spec.transforms.includes('m2o_id') ? 'id' : spec.transforms.includes('m2o_name') ? 'name' : undefined;
  const header = (names: string | string[]): string | undefined => {
    const wanted = (Array.isArray(names) ? names : [names]).map(normal);
    for (const w of wanted) {
      const hit = stg.columns.find((c) => normal(c) === w);
      if (hit) return `s.${ident(hit)}`;
    }
    missing.push(`${target} ← ${(Array.isArray(names) ? names : [names]).join(' | ')}`);
    return undefined;
  };
  if (spec.constant !== undefined) return lit(spec.constant);
  if (spec.sql !== undefined) return `CAST((${spec.sql}) AS VARCHAR)`;
  const paths = (doc: string, p: string | string[]): string => {
    const all = (Array.isArray(p) ? p : [p]).map((x) => jsonText(doc, x, { falseIsNull, m2o }));
    return all.length === 1 ? all[0] : `coalesce(${all.join(', ')})`;
  };
  if (spec.path !== undefined) return paths('s.__rec', spec.path);
  if (spec.item_path !== undefined) return paths('s.__itm', spec.item_path);
  if (spec.position !== undefined) {
    const name = stg.columns[spec.position - 1];
    if (name === undefined) {
      missing.push(`${target} ← position ${spec.position} (the file has ${stg.columns.length} columns)`);
      return undefined;
    }
    return `s.${ident(name)}`;
  }
  if (spec.column !== undefined) return header(spec.column);
  if (spec.join) {
    const parts = spec.join.parts.map((p) =>
      typeof p === 'string' ? header(p) : 'path' in p ? jsonText('s.__rec', p.path, { falseIsNull }) : jsonText('s.__itm', p.item_path, { falseIsNull }));
    if (parts.some((p) => p === undefined)) return undefined;
    return `nullif(concat_ws(${lit(spec.join.separator)}, ${parts.map((p) => `nullif(trim(${p}), '')`).join(', ')}), '')`;
  }
  return undefined;
}

const asObject = (spec: Mapping['columns'][string]): ColumnSpecObject =>
  typeof spec === 'string' || Array.isArray(spec) ? ({ column: spec, transforms: [] } as ColumnSpecObject) : spec;

/** Text after transforms, split, regex, null values and default; NULL when empty. */
function refinedText(raw: string, spec: ColumnSpecObject, m: Mapping): string {
  let x = `nullif(trim(${raw}), '')`;
  for (const t of spec.transforms) x = `nullif(${applyTransform(x, t)}, '')`;
  if (spec.split) x = `nullif(trim(split_part(${x}, ${lit(spec.split.separator)}, ${spec.split.part})), '')`;
  if (spec.regex) x = `nullif(regexp_extract(${x}, ${lit(spec.regex.pattern)}, ${spec.regex.group}), '')`;
  if (m.locale.null_values.length) x = `CASE WHEN ${x} IN (${m.locale.null_values.map(lit).join(', ')}) THEN NULL ELSE ${x} END`;
  if (spec.default !== undefined) x = `coalesce(${x}, ${lit(spec.default)})`;
  return x;
}

const nullDatePattern = (extra: string[]): string =>
  `^(0+|0000-00-00|1900-01-01|0001-01-01|9999-12-31|31\\.12\\.9999|01\\.01\\.1900${extra.map((d) => `|${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).join('')})([ T].*)?$`;

interface Planned {
  def: ColumnDef;
  spec: ColumnSpecObject;
  text: string;
  time?: string;
}

function plan(m: Mapping, stg: Staging, missing: string[]): Planned[] {
  const out: Planned[] = [];
  for (const def of mappedColumns) {
    let specIn = m.columns[def.name];
    if (specIn === undefined && def.name === 'failure_code_stated' && Object.keys(m.failure_codes).length && m.columns.failure_code_raw !== undefined && m.columns.failure_code_verified === undefined) {
      // A code map with only raw codes mapped: the stated code is the mapped raw code.
      specIn = { ...asObject(m.columns.failure_code_raw), dictionary: 'failure_codes' };
    }
    if (specIn === undefined) continue;
    const spec = asObject(specIn);
    const raw = sourceText(spec, m, stg, missing, def.name);
    if (raw === undefined) continue;
    let text = refinedText(raw, spec, m);
    let time: string | undefined;
    if (def.kind === 'timestamp') {
      text = `CASE WHEN regexp_matches(${text}, ${lit(nullDatePattern(m.locale.null_dates))}) THEN NULL ELSE ${text} END`;
      if (spec.time !== undefined) {
        const t = typeof spec.time === 'string' ? sourceText({ column: spec.time, transforms: [] } as ColumnSpecObject, m, stg, missing, `${def.name}.time`) : jsonText('s.__rec', spec.time.path, { falseIsNull: false });
        if (t !== undefined) time = `nullif(trim(${t}), '')`;
      }
    }
    out.push({ def, spec, text, time });
  }
  return out;
}

const needsOrder = (p: Planned, m: Mapping): boolean => p.def.kind === 'timestamp' && (p.spec.format ?? 'auto') === 'auto' && m.locale.date_order === 'auto';

/** Infer the source's numeric date order from every auto-format date value in the file (one aggregate query). */
async function inferDateOrder(conn: DuckDBConnection, m: Mapping, stg: Staging, planned: Planned[]): Promise<DateOrderEvidence> {
  if (m.locale.date_order !== 'auto') return { day_first: 0, month_first: 0, year_first: 0, decided: m.locale.date_order, conflict: false };
  const texts = planned.filter((p) => needsOrder(p, m)).map((p) => p.text);
  if (!texts.length) return { day_first: 0, month_first: 0, year_first: 0, conflict: false };
  const pat = lit(numericDatePattern);
  const [row] = await queryRows<{ day_first: number; month_first: number; year_first: number }>(conn, `
    WITH v AS (SELECT unnest([${texts.join(', ')}]) AS x FROM ${stg.table} AS s),
    parts AS (SELECT regexp_extract(x, ${pat}, 1) AS a, regexp_extract(x, ${pat}, 2) AS b FROM v WHERE regexp_matches(x, ${pat}))
    SELECT
      count(*) FILTER (WHERE length(a) <= 2 AND CAST(a AS INTEGER) BETWEEN 13 AND 31)::INTEGER AS day_first,
      count(*) FILTER (WHERE length(a) <= 2 AND CAST(b AS INTEGER) BETWEEN 13 AND 31)::INTEGER AS month_first,
      count(*) FILTER (WHERE length(a) = 4)::INTEGER AS year_first
    FROM parts`);
  const kinds = (['day_first', 'month_first', 'year_first'] as const).filter((k) => row[k] > 0);
  const order: Record<string, DateOrder> = { day_first: 'DMY', month_first: 'MDY', year_first: 'YMD' };
  return { ...row, decided: kinds.length === 1 ? order[kinds[0]] : undefined, conflict: kinds.length > 1 };
}

function typedValue(p: Planned, m: Mapping, order: DateOrderEvidence): { value: string; problem?: string; flag?: boolean } {
  const x = p.text;
  const d = m.locale.decimal;
  const kind = p.def.kind;
  if (p.spec.dictionary !== undefined || kind === 'enum') {
    const dict = p.spec.dictionary === 'failure_codes' ? m.failure_codes : p.spec.dictionary ? m.dictionaries[p.spec.dictionary] ?? {} : {};
    const canonical = p.def.values ? `CASE WHEN lower(${x}) IN (${p.def.values.map(lit).join(', ')}) THEN lower(${x}) END` : 'NULL';
    return { value: `coalesce(${dictionaryLookup(x, dict)}, ${canonical})`, flag: true };
  }
  switch (kind) {
    case 'int':
      return { value: intValue(x, d), problem: 'not a whole number' };
    case 'decimal':
      return { value: decimalValue(x, d), problem: `not a number (decimal "${d}")` };
    case 'double':
      return { value: doubleValue(x, d), problem: `not a number (decimal "${d}")` };
    case 'bool':
      return { value: boolValue(x), problem: 'not yes/no' };
    case 'timestamp': {
      const format = p.spec.format ?? (m.locale.date_order !== 'auto' ? 'auto' : 'auto');
      const decided = m.locale.date_order !== 'auto' ? m.locale.date_order : order.decided;
      const value = timestampValue(x, { format, zone: m.locale.time_zone, order: decided, time: p.time });
      const why = format === 'auto' && !decided
        ? (order.conflict
          ? `inconsistent date order in this file (${order.day_first} values only valid day-first, ${order.month_first} only month-first); set locale.date_order`
          : 'ambiguous date: the file never shows whether it is DD.MM or MM/DD; set locale.date_order')
        : undefined;
      return {
        value,
        problem: why ? `__ambiguous__${why}` : `not a date (format ${format}${format === 'auto' && decided ? `, ${decided}` : ''})`,
      };
    }
    default:
      return { value: x };
  }
}

/**
 * Compile a mapping against a staged file into one SELECT of typed canonical rows. Problems (values that do
 * not parse, required values missing) are listed per row in __problems; values a dictionary does not know
 * are kept raw in __flags (the canonical column is NULL) and the row still lands.
 */
export async function compileMapping(conn: DuckDBConnection, m: Mapping, stg: Staging, o: CompileOptions): Promise<CompiledMapping> {
  const missing: string[] = [];
  const planned = plan(m, stg, missing);
  if (missing.length && m.missing_columns === 'error') {
    throw new RmaError('RMA_ERR_MISSING_COLUMNS', `${o.file}: mapped columns not in the file: ${missing.join('; ')} (the file has: ${stg.columns.join(', ')})`, { file: o.file, missing });
  }
  const order = await inferDateOrder(conn, m, stg, planned);
  const textCols: string[] = [];
  const valueCols: string[] = [];
  const problems: string[] = [];
  const flags: string[] = [];
  const byName = new Map(planned.map((p) => [p.def.name, p]));
  for (const p of planned) {
    const t = `t_${p.def.name}`;
    textCols.push(`${p.text} AS ${ident(t)}`);
    if (p.time) textCols.push(`${p.time} AS ${ident(`tt_${p.def.name}`)}`);
    const typed = typedValue({ ...p, text: ident(t), time: p.time ? ident(`tt_${p.def.name}`) : undefined }, m, order);
    valueCols.push(`${typed.value} AS ${ident(`v_${p.def.name}`)}`);
    if (typed.flag) flags.push(`CASE WHEN ${ident(t)} IS NOT NULL AND ${ident(`v_${p.def.name}`)} IS NULL THEN {'column': ${lit(p.def.name)}, 'value': ${ident(t)}, 'problem': 'unknown value, kept raw'} END`);
    else if (typed.problem?.startsWith('__ambiguous__')) {
      const why = typed.problem.slice('__ambiguous__'.length);
      problems.push(`CASE WHEN ${ident(t)} IS NOT NULL AND ${ident(`v_${p.def.name}`)} IS NULL THEN {'column': ${lit(p.def.name)}, 'problem': CASE WHEN regexp_matches(${ident(t)}, ${lit(numericDatePattern)}) THEN ${lit(why)} ELSE 'not a date: "' || ${ident(t)} || '"' END, 'value': ${ident(t)}} END`);
    } else if (typed.problem) {
      problems.push(`CASE WHEN ${ident(t)} IS NOT NULL AND ${ident(`v_${p.def.name}`)} IS NULL THEN {'column': ${lit(p.def.name)}, 'problem': ${lit(typed.problem)} || ': "' || ${ident(t)} || '"', 'value': ${ident(t)}} END`);
    }
  }
  // The company and line a row gets, then its stable key.
  const company = byName.has('company') ? `coalesce(v_company, ${lit(o.company ?? '')})` : lit(o.company ?? '');
  const line = byName.has('line') ? `coalesce(v_line, ${stg.hasItems ? '__item' : '1'})` : stg.hasItems ? '__item' : '1';
  for (const required of ['rma_number', 'opened_at']) {
    const present = byName.has(required) ? `v_${required} IS NULL AND t_${required} IS NULL` : 'TRUE';
    problems.push(`CASE WHEN ${present} THEN {'column': ${lit(required)}, 'problem': 'required value missing', 'value': NULL::VARCHAR} END`);
  }
  const select = mappedColumns.map((c) => {
    if (c.name === 'source') return `${lit(o.source)} AS source`;
    if (c.name === 'company') return `${company} AS company`;
    if (c.name === 'line') return `CAST(${line} AS INTEGER) AS line`;
    if (c.name === 'unmapped_values') return `nullif(array_to_string(list_transform(__flags, f -> f.column || '=' || f.value), '; '), '') AS unmapped_values`;
    return byName.has(c.name) ? `v_${c.name} AS ${ident(c.name)}` : `NULL::${c.duckType} AS ${ident(c.name)}`;
  });
  const problemStructs = problems.length ? `list_filter([${problems.join(',\n      ')}], x -> x IS NOT NULL)` : '[]';
  const flagStructs = flags.length ? `list_filter([${flags.join(',\n      ')}], x -> x IS NOT NULL)` : '[]';
  // MATERIALIZED: each text is computed once, not re-inlined into every expression that reads it.
  const sql = `WITH texts AS MATERIALIZED (
    SELECT ${stg.rowSql} AS __row, ${stg.hasItems ? 's.__item' : 'NULL::INTEGER'} AS __item, ${stg.rawSql} AS __raw${textCols.length ? ',\n      ' : ''}${textCols.join(',\n      ')}
    FROM ${stg.table} AS s
  ),
  vals AS MATERIALIZED (
    SELECT *${valueCols.length ? ',\n      ' : ''}${valueCols.join(',\n      ')}
    FROM texts
  ),
  checked AS (
    SELECT *,
      ${problemStructs} AS __problems,
      ${flagStructs} AS __flags
    FROM vals
  )
  SELECT __row, __item, __raw,
    ${select.join(',\n    ')},
    __problems,
    __flags
  FROM checked`;
  return { sql, dateOrder: order, missing };
}

/** rma_key as CONTRACT §3.1 defines it, over a compiled relation. */
export const rmaKeySql = "source || ':' || company || ':' || rma_number || ':' || CAST(line AS VARCHAR)";
