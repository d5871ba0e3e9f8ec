import { z } from 'zod';

/**
 * A mapping: how one source layout becomes canonical `rma` rows. Built-in presets are mappings too, so a
 * user adds a layout we have never seen with a JSON/YAML file of this shape, not with code.
 * Everything here is compiled to DuckDB SQL (ingest/mapping/compile-mapping.ts); nothing runs per row in JS.
 */

const name = z.string().min(1);

/** Text transforms applied, in order, to a column's text before it is parsed. */
export const transformNames = [
  'trim', 'upper', 'lower', 'strip_html', 'strip_leading_zeros', 'sku_from_display', 'after_hash', 'gid_tail',
  'm2o_id', 'm2o_name', 'abs', 'alpha3_to_alpha2', 'empty_as_null',
] as const;
export const transformSchema = z.enum(transformNames);

export const csvReaderSchema = z.strictObject({
  kind: z.literal('csv'),
  delimiter: z.string().min(1).max(4).optional().describe('field separator; auto-detected when absent'),
  quote: z.string().length(1).optional(),
  escape: z.string().length(1).optional(),
  header: z.boolean().default(true).describe('false for headerless files: map columns by position'),
  encoding: z.enum(['utf-8', 'utf-16', 'latin-1', 'windows-1252']).default('utf-8'),
  line_ending: z.enum(['auto', 'lf', 'crlf', 'cr']).default('auto'),
  skip_rows: z.int().min(0).default(0).describe('lines before the header (report titles)'),
});

export const jsonReaderSchema = z.strictObject({
  kind: z.literal('json'),
  /** JSON paths tried in order on each top-level document; the first that exists holds the record(s). */
  records: z.array(z.string().startsWith('$')).default(['$']),
  /** JSON path (relative to a record) of its line items: one canonical row per item. */
  items: z.union([z.string().startsWith('$'), z.array(z.string().startsWith('$')).min(1)]).optional(),
  /** Odoo writes `false` for every empty field. */
  false_is_null: z.boolean().default(false),
});

export const readerSchema = z.discriminatedUnion('kind', [csvReaderSchema, jsonReaderSchema]);

export const dateOrders = ['DMY', 'MDY', 'YMD', 'auto'] as const;

export const localeSchema = z.strictObject({
  /** Order of day and month in numeric dates like 03.04.2024 or 4/3/2024; `auto` infers it from the whole file. */
  date_order: z.enum(dateOrders).default('auto'),
  /** IANA zone for timestamps without an offset (site-local naive); values with an offset keep theirs. */
  time_zone: z.string().default('UTC'),
  decimal: z.enum(['.', ',']).default('.'),
  /** Values that mean "empty" in any column (after trim), e.g. `N/A`, `-`. */
  null_values: z.array(z.string()).default([]),
  /** Dates that mean "no date" (SAP 00000000 and 1900-01-01 are always treated so). */
  null_dates: z.array(z.string()).default([]),
});

export const splitSchema = z.strictObject({
  separator: z.string().min(1),
  /** 1-based part; negative counts from the end (-1 = last). */
  part: z.int().refine((n) => n !== 0, 'part is 1-based (or negative from the end), never 0'),
});

export const regexSchema = z.strictObject({
  pattern: z.string().min(1),
  group: z.int().min(0).default(1),
});

/** Where one canonical column's value comes from. A bare string is a source column name; a list is aliases (first present wins). */
export const columnSpecSchema = z.union([
  name,
  z.array(name).min(1),
  z.strictObject({
    /** Source column name(s); the first present in the file is used (e.g. technical name, English and German labels). */
    column: z.union([name, z.array(name).min(1)]).optional(),
    /** 1-based column position, for headerless files or unstable headers. */
    position: z.int().min(1).optional(),
    /** JSON path on the record (json reader). */
    path: z.union([z.string().startsWith('$'), z.array(z.string().startsWith('$')).min(1)]).optional(),
    /** JSON path on the line item (json reader with `items`); a list = the first present. */
    item_path: z.union([z.string().startsWith('$'), z.array(z.string().startsWith('$')).min(1)]).optional(),
    /** Several sources joined with a separator (e.g. catalog/group/code). */
    join: z.strictObject({ parts: z.array(z.union([name, z.strictObject({ path: z.string().startsWith('$') }), z.strictObject({ item_path: z.string().startsWith('$') })])).min(1), separator: z.string().default('/') }).optional(),
    /** A DuckDB SQL expression over the staging columns (quoted identifiers), for what the options cannot say. */
    sql: z.string().min(1).optional(),
    /** A fixed value. */
    constant: z.string().optional(),
    transforms: z.array(transformSchema).default([]),
    split: splitSchema.optional(),
    regex: regexSchema.optional(),
    /** Date format for this column: `iso`, `sap` (YYYYMMDD), `excel` (serial days), `epoch_ms`, `DMY`/`MDY`/`YMD`, or a strptime pattern with `%`. */
    format: z.string().optional(),
    /** A separate time column (SAP HHMMSS or HH:MM:SS) combined with this date. */
    time: z.union([name, z.strictObject({ path: z.string().startsWith('$') })]).optional(),
    /** Dictionary name (in `dictionaries`) mapping source values to canonical ones. */
    dictionary: z.string().optional(),
    /** Value when the source value is empty. */
    default: z.string().optional(),
  }).refine((s) => [s.column, s.position, s.path, s.item_path, s.join, s.sql, s.constant].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of column, position, path, item_path, join, sql or constant',
  }),
]);

export const mappingSchema = z.strictObject({
  /** Name shown in ingest runs (the format for presets). */
  name: z.string().default('mapped-csv'),
  description: z.string().optional(),
  reader: readerSchema.default({ kind: 'csv', header: true, encoding: 'utf-8', line_ending: 'auto', skip_rows: 0 }),
  locale: localeSchema.default({ date_order: 'auto', time_zone: 'UTC', decimal: '.', null_values: [], null_dates: [] }),
  /** XLSX only: the sheet to read (default the first). */
  sheet: z.string().min(1).optional(),
  /** Canonical `rma` column → where its value comes from. */
  columns: z.record(z.string(), columnSpecSchema),
  /** Named value dictionaries: source value (case-insensitive, trimmed) → canonical value. */
  dictionaries: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  /** Source failure codes → canonical taxonomy codes (key as the compiled failure_code_raw value). */
  failure_codes: z.record(z.string(), z.string()).default({}),
  /** A mapped source column absent from the file: `error` (user mappings) or `null` (presets covering several export variants). */
  missing_columns: z.enum(['error', 'null']).default('error'),
  /** Headers that identify the layout for `--format auto` (all must be present, case-insensitive). */
  detect: z.array(z.array(z.string()).min(1)).default([]),
});

export type Mapping = z.infer<typeof mappingSchema>;
export type MappingInput = z.input<typeof mappingSchema>;
export type ColumnSpec = z.infer<typeof columnSpecSchema>;
export type ColumnSpecObject = Exclude<ColumnSpec, string | string[]>;
export type Transform = z.infer<typeof transformSchema>;
export type Reader = z.infer<typeof readerSchema>;
