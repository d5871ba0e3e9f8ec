/**
 * A format is data: how to read a file into a staging relation of VARCHAR columns, how staging columns map
 * onto one canonical table, and how their text is parsed (per source, never guessed per value).
 *
 * The engine (ingest/engine.ts) turns a FormatDefinition into SQL: read_csv / read_json with all_varchar into
 * a staging table, typed casts and checks in SQL, landing + quarantine + upsert as set operations.
 * Presets (ingest/presets/<name>/) export a FormatDefinition; see ingest/README.md "Adding a format".
 */

/** Canonical tables a format can load (CONTRACT §3). */
export type TargetTable =
  | 'rma'
  | 'units'
  | 'batches'
  | 'firmware_builds'
  | 'firmware_installs'
  | 'failure_codes'
  | 'warranty_policies'
  | 'reserve_plan'
  | 'cost_rates';

/** Text encodings the engine can read. 'auto' = UTF-8 unless the bytes are not valid UTF-8, then Windows-1252. */
export type Encoding = 'auto' | 'utf-8' | 'windows-1252';

/** Delimited text, read by DuckDB's read_csv with all_varchar. */
export interface CsvReader {
  kind: 'csv';
  /** Field delimiter; omitted = detected by DuckDB (comma, semicolon, tab, pipe). */
  delimiter?: string;
  /** Quote character, default '"'. */
  quote?: string;
  /** Escape character, default the quote (RFC 4180 doubling). */
  escape?: string;
  /** Whether the first (non-skipped) line is a header; default true. Without a header, map columns by position. */
  header?: boolean;
  /** Lines to skip before the header (report titles, export banners). */
  skipRows?: number;
  encoding?: Encoding;
}

/** JSON: an array of records, NDJSON, or an object holding the records at a path. */
export interface JsonReader {
  kind: 'json';
  /** 'auto' (default) detects array vs newline-delimited. */
  shape?: 'auto' | 'array' | 'ndjson';
  /** Keys leading from the document root to the records array, e.g. ['data', 'returns']. */
  recordsPath?: string[];
}

/** What a custom reader hands back: a normalised file the engine then reads as CSV or JSON. */
export interface NormalisedFile {
  path: string;
  reader: CsvReader | JsonReader;
  /** Called after the ingest of the file, success or failure (delete temp files). */
  cleanup?: () => Promise<void>;
}

export interface ReaderContext {
  /** A private temp directory for this file; removed by the engine afterwards. */
  tempDir: string;
  /**
   * The --mapping as given, for a custom reader to interpret itself: a file path (string) from the CLI or
   * ingest(store, files, { mapping: 'path' }), or the object passed to ingest(). The engine does not parse it
   * for custom-reader formats (their mapping language is their own, e.g. ingest/mapping/).
   */
  mapping?: unknown;
}

/**
 * A custom reader for files DuckDB cannot read directly (XLSX, multi-file SAP exports, XML): it writes a
 * UTF-8 CSV (comma, header) or NDJSON file and returns its path. It must stream, not build rows in memory
 * per row where avoidable; it runs once per file, not per row.
 */
export interface CustomReader {
  kind: 'custom';
  read(file: string, ctx: ReaderContext): Promise<NormalisedFile>;
}

export type Reader = CsvReader | JsonReader | CustomReader;

/**
 * Where a canonical column's text comes from, relative to the staging relation (all VARCHAR):
 * - `'Col Name'` — a staging column, matched ignoring case, spaces, dashes, dots and underscores;
 * - `['a', 'b']` — aliases, the first present in the file wins (none present = NULL);
 * - `{ position: 3 }` — the 3rd column (1-based; headerless files);
 * - `{ sql: "..." }` — a DuckDB SQL expression over staging columns (quote them: "Col Name"), producing text;
 *   use it for concatenations, splits, CASE on several columns. It runs once over the whole set, not per row.
 * - `{ value: 'x' }` — a constant for every row (NULL with `{ value: null }`).
 */
export type ColumnSource = string | readonly string[] | { position: number } | { sql: string } | { value: string | null };

/**
 * Per-source parsing applied by the typed casts (in SQL). Locale is a property of the source, never guessed
 * per value: a value that does not parse under these options is quarantined with the reason.
 */
export interface ParseOptions {
  /** strptime formats tried in order after ISO-8601, e.g. ['%d.%m.%Y', '%Y%m%d', '%d.%m.%Y %H:%M:%S']. */
  dateFormats?: readonly string[];
  /** IANA zone for timestamps without an offset (default 'UTC'); values with an offset keep theirs. */
  timeZone?: string;
  /** '1.234,56' style numbers. */
  decimalComma?: boolean;
  /** Grouping character removed before casting (',' or '.' or ' ' or "'"); default none. */
  thousandsSeparator?: string;
  /** SAP style '12.50-' means -12.50. */
  trailingMinus?: boolean;
  /** Values that mean "no value" (compared after trimming, case-insensitive); '' is always NULL. */
  nullValues?: readonly string[];
  /** Accept Excel serial day numbers (e.g. 45123, 45123.5) for dates and timestamps; default true. */
  excelSerialDates?: boolean;
  /** Words for true / false in boolean columns (case-insensitive); defaults cover true/false, yes/no, y/n, 1/0, x/''. */
  trueValues?: readonly string[];
  falseValues?: readonly string[];
  /** Separator of list columns (intake_fields, synonyms); default '|'. */
  listSeparator?: string;
}

/**
 * Source value → canonical value for an enum column (return_reason, stage, resolution, …). Keys are matched
 * after trimming and lower-casing. Values not in the dictionary are normalised (lower case, spaces and dashes
 * to '_') and accepted when they are canonical; anything else is quarantined with the raw value named — never
 * dropped silently. The raw text stays in landing (and in status_raw / failure_code_raw where the format maps it).
 */
export type Dictionary = Readonly<Record<string, string>>;

/** How `--format auto` recognises this format from the file's header (names normalised like column matching). */
export interface Detection {
  /** Header names typical of this format; score = share of them present (0..1). */
  signature: readonly string[];
  /** Names that must all be present for the format to be considered at all. */
  required?: readonly string[];
  /** File extensions this format reads ('csv', 'json', 'ndjson', 'xlsx'); a mismatch rules it out. */
  extensions?: readonly string[];
}

/** A check beyond types and required columns, in SQL over the typed row (canonical names): a true value quarantines. */
export interface RowCheck {
  column: string;
  problem: string;
  /** Boolean SQL expression over the typed canonical columns, e.g. "closed_at < opened_at". */
  failsWhen: string;
}

export interface FormatDefinition {
  /** The --format name (kebab-case). */
  name: string;
  description: string;
  target: TargetTable;
  reader: Reader;
  /**
   * Canonical column → source. Columns not listed are NULL (or derived: rma_key, batch_id, warranty_status,
   * source, company). When `inheritCanonicalNames` is true (the canonical-* formats), every canonical column
   * is also looked up by its own name and its built-in aliases.
   */
  columns: Readonly<Partial<Record<string, ColumnSource>>>;
  inheritCanonicalNames?: boolean;
  /** Enum dictionaries per canonical column. */
  dictionaries?: Readonly<Partial<Record<string, Dictionary>>>;
  parse?: ParseOptions;
  detect?: Detection;
  checks?: readonly RowCheck[];
  /** Source name when neither --source nor a `source` column gives one; default the format name. */
  defaultSource?: string;
}

/**
 * A --mapping file (JSON or YAML): overrides laid over the chosen format (for `mapped-csv` and `xlsx` it is the
 * whole mapping). Same field meanings as FormatDefinition; `columns`, `dictionaries` and `parse` merge key by key.
 */
export interface MappingFile {
  /** Format this mapping applies to; default the --format given (or 'mapped-csv'). */
  format?: string;
  target?: TargetTable;
  reader?: Partial<CsvReader> | Partial<JsonReader> | { kind: 'xlsx'; sheet?: string | number; headerRow?: number };
  columns?: Record<string, ColumnSource>;
  dictionaries?: Record<string, Dictionary>;
  parse?: ParseOptions;
  checks?: RowCheck[];
  source?: string;
  company?: string;
}

/** Progress of one file, reported while the long statements run (percent from DuckDB's query progress). */
export interface IngestProgress {
  file: string;
  phase: 'read' | 'validate' | 'land' | 'upsert' | 'done';
  percent: number;
}

/** Per-file result (CONTRACT §4). */
export interface FileResult {
  path: string;
  format: string;
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
}

/** The `ingest --json` shape (CONTRACT §4). */
export interface IngestResult {
  run_id: string;
  files: FileResult[];
  totals: Omit<FileResult, 'path' | 'format'>;
}

export interface IngestOptions {
  /** A format name, or 'auto' (default): detected per file from its header/shape. */
  format?: string;
  /** Source name for lineage and rma_key. */
  source?: string;
  /** Company / tenant for rma_key; default ''. */
  company?: string;
  /**
   * Path of a mapping file (JSON or YAML), or the mapping itself. For declarative formats it is a MappingFile
   * (validated); for custom-reader formats (presets, mapped-csv, xlsx) it is passed to the reader as given.
   */
  mapping?: string | MappingFile | Record<string, unknown>;
  onProgress?: (progress: IngestProgress) => void;
}

/** Identity helper so presets get type checking: `export const format = defineFormat({...})`. */
export function defineFormat(def: FormatDefinition): FormatDefinition {
  return def;
}
