import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { RmaError } from '../pipeline/errors.js';
import type { ColumnDef, TableDef } from '../pipeline/schema/define.js';
import { sqlIdent as q, sqlString } from '../pipeline/sql-text.js';
import { tableDef } from '../pipeline/schema/tables.js';
import { queryRows, type Store } from '../pipeline/store.js';
import { columnAliases, normaliseName } from './aliases.js';
import { scanFile, transcodeWindows1252, type FileScan } from './encoding.js';
import type { ColumnSource, CsvReader, FileResult, FormatDefinition, IngestProgress, JsonReader } from './format.js';
import { cleanText, problemSql, typedSql } from './typed-sql.js';
import { clockLines, landingCalendar } from './normalise/business-clock.js';
import { markUnresolved, resolveUnits } from './normalise/index.js';
import { applyShipDays, countShipDays } from './normalise/ship-days.js';

export interface FileJob {
  path: string;
  format: FormatDefinition;
  runId: string;
  fileIndex: number;
  source?: string;
  company?: string;
  /** The --mapping as given (custom readers interpret it; declarative formats have it applied already). */
  mapping?: unknown;
  scan?: FileScan;
  onProgress?: (progress: IngestProgress) => void;
}

/** Key columns that have a documented default instead of being required (CONTRACT §3.2: '' = all, '*' = every SKU). */
const keyDefaults: Record<string, Record<string, string>> = {
  firmware_builds: { sku: "''" },
  warranty_policies: { sku: "'*'" },
  reserve_plan: { sku: "'*'" },
  cost_rates: { sku: "'*'" },
};

/** rma columns the engine derives rather than reads as required. */
const rmaDerived = new Set(['rma_key', 'source', 'company', 'line']);

const sqlPath = (p: string): string => sqlString(p);

/** Check the file can be read at all, before anything is written. */
export async function preflight(path: string): Promise<FileScan> {
  checkFile(path);
  let scan: FileScan;
  try {
    scan = await scanFile(path);
  } catch (e) {
    throw new RmaError('RMA_ERR_INPUT', `${path}: cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: path });
  }
  if (scan.binary) throw new RmaError('RMA_ERR_FORMAT', `${path}: binary data, not a text (CSV/JSON) file`, { file: path });
  if (scan.firstChar === '') throw new RmaError('RMA_ERR_FORMAT', `${path}: file holds only blank lines`, { file: path });
  return scan;
}

/** The cheap part of preflight (exists, is a file, not empty): the CLI runs it before it opens the store. */
export function checkFile(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new RmaError('RMA_ERR_INPUT', `${path}: is a directory, not a file`, { file: path });
    size = st.size;
  } catch (e) {
    if (e instanceof RmaError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RmaError('RMA_ERR_FILE_NOT_FOUND', `${path}: file not found`, { file: path });
    throw new RmaError('RMA_ERR_INPUT', `${path}: cannot read file (${code ?? (e as Error).message})`, { file: path });
  }
  if (size === 0) throw new RmaError('RMA_ERR_FORMAT', `${path}: file is empty`, { file: path });
}

/** read_csv options from a CSV reader definition. */
function csvOptions(reader: CsvReader): string {
  const opts = ['all_varchar = true', 'null_padding = true', `header = ${reader.header === false ? 'false' : 'true'}`, "nullstr = '\u0001'"];
  if (reader.delimiter) opts.push(`delim = ${sqlString(reader.delimiter)}`);
  if (reader.quote) opts.push(`quote = ${sqlString(reader.quote)}`);
  if (reader.escape) opts.push(`escape = ${sqlString(reader.escape)}`);
  if (reader.skipRows) opts.push(`skip = ${reader.skipRows}`);
  return opts.join(', ');
}

/** SQL reading a file as a relation of VARCHAR columns, in file order. */
export async function stagingSelect(conn: DuckDBConnection, path: string, reader: CsvReader | JsonReader): Promise<string> {
  if (reader.kind === 'csv') return `SELECT * FROM read_csv(${sqlPath(path)}, ${csvOptions(reader)})`;
  // JSON: records as JSON objects, each key as text (strings unquoted, nested values as JSON text).
  const shape = reader.shape === 'array' ? 'array' : reader.shape === 'ndjson' ? 'newline_delimited' : 'auto';
  let records = `SELECT json AS j FROM read_json_objects(${sqlPath(path)}, format = ${sqlString(reader.recordsPath?.length ? 'auto' : shape)})`;
  if (reader.recordsPath?.length) {
    const jsonPath = `$${reader.recordsPath.map((k) => `.${JSON.stringify(k)}`).join('')}`;
    records = `SELECT unnest(CAST(j -> ${sqlString(jsonPath)} AS JSON[])) AS j FROM (${records})`;
  }
  const keys = await queryRows<{ k: string }>(conn, `SELECT k FROM (SELECT unnest(json_keys(j)) AS k, row_number() OVER () AS n FROM (${records}) WHERE json_type(j) = 'OBJECT') GROUP BY k ORDER BY min(n)`);
  if (!keys.length) return `SELECT NULL::VARCHAR AS "__empty" WHERE false`;
  return `SELECT ${keys.map(({ k }) => `j ->> ${sqlString(`$.${JSON.stringify(k)}`)} AS ${q(k)}`).join(', ')} FROM (${records})`;
}

/** Resolve where each target column's text comes from: an SQL expression over staging columns, or undefined. */
function resolveColumns(format: FormatDefinition, target: TableDef, header: string[]): Map<string, string | undefined> {
  const byName = new Map<string, string>();
  for (const h of header) if (!byName.has(normaliseName(h))) byName.set(normaliseName(h), h);
  const find = (name: string): string | undefined => {
    const h = byName.get(normaliseName(name));
    return h === undefined ? undefined : q(h);
  };
  const fromSource = (src: ColumnSource): string | undefined => {
    if (typeof src === 'string') return find(src);
    if (Array.isArray(src)) {
      for (const s of src) {
        const hit = find(s);
        if (hit) return hit;
      }
      return undefined;
    }
    const obj = src as { position?: number; sql?: string; value?: string | null };
    if (obj.position !== undefined) return header[obj.position - 1] !== undefined ? q(header[obj.position - 1]) : undefined;
    if (obj.sql !== undefined) return `CAST((${obj.sql}) AS VARCHAR)`;
    return obj.value === null || obj.value === undefined ? 'NULL::VARCHAR' : sqlString(obj.value);
  };
  const out = new Map<string, string | undefined>();
  for (const c of target.columns) {
    if (c.internal && c.name !== 'rma_key') continue;
    const explicit = format.columns[c.name];
    let expr = explicit !== undefined ? fromSource(explicit) : undefined;
    if (expr === undefined && format.inheritCanonicalNames) expr = fromSource([c.name, ...(columnAliases[c.name] ?? [])]);
    out.set(c.name, expr);
  }
  return out;
}

/** Required columns the file cannot supply: an input error (exit 2) naming the file and the columns. */
function checkRequired(job: FileJob, target: TableDef, mapped: Map<string, string | undefined>, header: string[]): void {
  const missing = target.columns.filter((c) => (c.required || c.key) && !c.internal && mapped.get(c.name) === undefined)
    .filter((c) => !(target.name === 'rma' && rmaDerived.has(c.name)))
    .filter((c) => !keyDefaults[target.name]?.[c.name]);
  if (!missing.length) return;
  const names = missing.map((c) => {
    const aliases = job.format.inheritCanonicalNames ? columnAliases[c.name] ?? [] : [];
    return aliases.length ? `${c.name} (or ${aliases.join(', ')})` : c.name;
  });
  throw new RmaError('RMA_ERR_MISSING_COLUMNS', `${job.path}: missing required column${missing.length > 1 ? 's' : ''} ${names.join(', ')} for format ${job.format.name}; header has: ${header.join(', ')}`, {
    file: job.path,
    column: missing[0].name,
    missing: missing.map((c) => c.name),
  });
}

/** The columns a target row carries from the file (everything but lineage). */
const dataColumns = (target: TableDef): ColumnDef[] => target.columns.filter((c) => !['run_id', 'file_sha256', 'source_row', 'record_hash'].includes(c.name) && !(c.internal && target.name === 'rma' && c.name !== 'rma_key'));

/** SQL building the typed relation: `_row`, every data column typed, `_ok` and `_reasons` (NULL when ok). */
function typedRelation(job: FileJob, target: TableDef, mapped: Map<string, string | undefined>): string {
  const parse = job.format.parse ?? {};
  const cols = dataColumns(target);
  const text = (name: string): string => q(`${name}__t`);
  // Level 1: cleaned text per column (trimmed, sentinels → NULL), with rma's derived identity columns.
  const level1: string[] = ['rowid + 1 AS _row'];
  for (const c of cols) {
    if (target.name === 'rma' && c.name === 'rma_key') continue;
    let expr = mapped.get(c.name);
    let cleaned = expr === undefined ? 'NULL::VARCHAR' : cleanText(expr, parse);
    if (target.name === 'rma' && c.name === 'source') {
      cleaned = job.source !== undefined ? sqlString(job.source) : `coalesce(${cleaned}, ${sqlString(job.format.defaultSource ?? job.format.name)})`;
    } else if (target.name === 'rma' && c.name === 'company') {
      cleaned = job.company !== undefined ? sqlString(job.company) : `coalesce(${cleaned}, '')`;
    } else if (target.name === 'rma' && c.name === 'line') {
      cleaned = `coalesce(${cleaned}, '1')`;
    } else if (target.name === 'rma' && c.name === 'description' && expr !== undefined) {
      // HTML from web portals: tags out, common entities decoded, whitespace collapsed.
      cleaned = `CASE WHEN contains(${cleaned}, '<') OR contains(${cleaned}, '&') THEN nullif(trim(regexp_replace(replace(replace(replace(replace(replace(replace(regexp_replace(${cleaned}, '<[^>]*>', ' ', 'g'), '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '\"'), '&#39;', ''''), '&amp;', '&'), '\\s+', ' ', 'g')), '') ELSE ${cleaned} END`;
    }
    const dflt = keyDefaults[target.name]?.[c.name];
    if (dflt) cleaned = `coalesce(${cleaned}, ${dflt})`;
    expr = cleaned;
    level1.push(`${expr} AS ${text(c.name)}`);
  }
  // Level 2: typed values beside their text.
  const level2: string[] = ['_row'];
  for (const c of cols) {
    if (target.name === 'rma' && c.name === 'rma_key') continue;
    level2.push(text(c.name), `${typedSql(c, text(c.name), parse, job.format.dictionaries?.[c.name])} AS ${q(c.name)}`);
  }
  if (target.name === 'rma') {
    level2.push(`${text('source')} || ':' || ${text('company')} || ':' || ${text('rma_number')} || ':' || CAST(${q('line')} AS VARCHAR) AS rma_key`);
  }
  // Level 3: problems. Every one is listed; a row with any goes to quarantine.
  const problems: { when: string; column: string; problem: string }[] = [];
  for (const c of cols) {
    if (target.name === 'rma' && c.name === 'rma_key') continue;
    if (c.kind !== 'text') problems.push({ when: `${text(c.name)} IS NOT NULL AND ${q(c.name)} IS NULL`, column: c.name, problem: problemSql(c, text(c.name)) });
    if (c.required || c.key) problems.push({ when: `${text(c.name)} IS NULL`, column: c.name, problem: sqlString('required value missing') });
  }
  for (const check of job.format.checks ?? []) problems.push({ when: `coalesce((${check.failsWhen}), false)`, column: check.column, problem: sqlString(check.problem) });
  const ok = problems.length ? problems.map((p) => `NOT (${p.when})`).join(' AND ') : 'true';
  const reasons = `list_filter([${problems.map((p) => `CASE WHEN ${p.when} THEN {'column': ${sqlString(p.column)}, 'problem': ${p.problem}} END`).join(', ')}], x -> x IS NOT NULL)`;
  const outCols = cols.map((c) => q(c.name));
  return `SELECT _row, ${outCols.join(', ')}, _ok, CASE WHEN NOT _ok THEN ${problems.length ? reasons : 'NULL'} END AS _reasons FROM (
    SELECT *, ${ok} AS _ok FROM (
      SELECT ${level2.join(', ')} FROM (SELECT ${level1.join(', ')} FROM stg)
    )
  )`;
}

/** Run one statement, reporting DuckDB's query progress while it runs (when someone listens). */
/**
 * With RMA_INTEL_CHECK_PLANS set (the tests set it), a bulk statement whose plan has a blockwise nested-loop
 * join fails: DuckDB falls back to it when an equi-join also carries a condition it cannot split off (a
 * one-side filter in a LEFT JOIN's ON), and it is quadratic in the stored rows — invisible on small fixtures,
 * hours on a real store. (Inequality joins against the small policy table plan NESTED_LOOP/ASOF and are fine.)
 */
async function checkPlan(conn: DuckDBConnection, sql: string): Promise<void> {
  const plan = (await conn.runAndReadAll(`EXPLAIN ${sql}`)).getRows().map((r) => String(r[1])).join('\n');
  const loop = /\bBLOCKWISE_NL_JOIN\b/.exec(plan);
  if (loop) throw new RmaError('RMA_ERR_INTERNAL', `ingest statement plans a ${loop[0]} (quadratic in stored rows): ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
}

async function runWithProgress(conn: DuckDBConnection, sql: string, job: FileJob, phase: IngestProgress['phase']): Promise<void> {
  if (process.env.RMA_INTEL_CHECK_PLANS) await checkPlan(conn, sql);
  if (process.env.RMA_INTEL_TRACE_SQL) {
    // Where the time goes, statement by statement (benchmark work); stderr only.
    const t0 = performance.now();
    await runWithProgressInner(conn, sql, job, phase);
    process.stderr.write(`[ingest ${phase}] ${Math.round(performance.now() - t0)} ms  ${sql.replace(/\s+/g, ' ').slice(0, 90)}\n`);
    return;
  }
  await runWithProgressInner(conn, sql, job, phase);
}

async function runWithProgressInner(conn: DuckDBConnection, sql: string, job: FileJob, phase: IngestProgress['phase']): Promise<void> {
  if (!job.onProgress) {
    await conn.run(sql);
    return;
  }
  const report = job.onProgress;
  report({ file: job.path, phase, percent: 0 });
  const timer = setInterval(() => {
    const p = conn.progress;
    if (p.percentage >= 0) report({ file: job.path, phase, percent: p.percentage });
  }, 200);
  try {
    await conn.run(sql);
  } finally {
    clearInterval(timer);
  }
  report({ file: job.path, phase, percent: 100 });
}

function duckError(job: FileJob, e: unknown): RmaError {
  if (e instanceof RmaError) return e;
  const msg = (e as Error).message.split('\n').filter((l) => l.trim()).slice(0, 4).join(' ');
  return new RmaError('RMA_ERR_FORMAT', `${job.path}: cannot be read as ${job.format.name}: ${msg}`, { file: job.path });
}

const count = (v: unknown): number => Number(v ?? 0);

/**
 * Ingest one file in one transaction: stage → type/check → land → quarantine → upsert → ingest_runs.
 * Anything that fails before COMMIT (including a killed process) leaves the store as it was.
 */
export async function ingestFile(store: Store, job: FileJob): Promise<FileResult> {
  const scan = job.scan ?? (await preflight(job.path));
  const target = tableDef(job.format.target);
  const tempDir = mkdtempSync(join(tmpdir(), 'rma-ingest-'));
  let cleanup: (() => Promise<void>) | undefined;
  try {
    let readPath = job.path;
    let reader: CsvReader | JsonReader;
    if (job.format.reader.kind === 'custom') {
      const normalised = await job.format.reader.read(job.path, { tempDir, mapping: job.mapping });
      readPath = normalised.path;
      reader = normalised.reader;
      cleanup = normalised.cleanup;
    } else {
      reader = job.format.reader;
    }
    const encoding = reader.kind === 'csv' ? reader.encoding ?? 'auto' : 'auto';
    if (encoding === 'windows-1252' || (encoding === 'auto' && readPath === job.path && !scan.validUtf8)) {
      const utf8 = join(tempDir, `${basename(readPath, extname(readPath))}.utf8${extname(readPath)}`);
      await transcodeWindows1252(readPath, utf8);
      readPath = utf8;
    }
    return await store.withConnection(async (conn) => {
      await conn.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET progress_bar_time = 0');
      // Stage: the file as VARCHAR columns in file order (rowid + 1 = data row number). Temp: nothing in the store yet.
      try {
        await runWithProgress(conn, `CREATE OR REPLACE TEMP TABLE stg AS ${await stagingSelect(conn, readPath, reader)}`, job, 'read');
      } catch (e) {
        throw duckError(job, e);
      }
      const header = (await queryRows<{ column_name: string }>(conn, 'SELECT column_name FROM (DESCRIBE stg)')).map((r) => r.column_name);
      const mapped = resolveColumns(job.format, target, header);
      checkRequired(job, target, mapped, header);
      await conn.run('BEGIN TRANSACTION');
      try {
        // An empty target (first load) needs no comparison with stored rows: no join, no delete.
        const empty = await queryRows<{ empty: boolean }>(conn, `SELECT NOT EXISTS (SELECT 1 FROM ${q(target.name)}) AS empty`);
        const targetEmpty = empty[0].empty === true;
        try {
          await runWithProgress(conn, `CREATE OR REPLACE TEMP TABLE typed AS ${await typedWithDerivations(conn, job, target, typedRelation(job, target, mapped), targetEmpty)}`, job, 'validate');
        } catch (e) {
          throw new RmaError('RMA_ERR_FORMAT', `${job.path}: format ${job.format.name}: ${(e as Error).message.split('\n')[0]}`, { file: job.path });
        }
        const result = await writeFile(conn, job, scan, target, targetEmpty);
        await conn.run('COMMIT');
        // After the commit: updating lines appended in the same transaction is several times slower, and a
        // line left unresolved by a crash here is simply resolved by the next ingest or build.
        if (target.name === 'rma' || target.name === 'units') await resolveUnits(conn);
        if (target.name === 'rma') await clockLines(conn, landingCalendar(), { unreadOnly: true });
        job.onProgress?.({ file: job.path, phase: 'done', percent: 100 });
        return result;
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        await conn.run('DROP TABLE IF EXISTS stg; DROP TABLE IF EXISTS typed; DROP TABLE IF EXISTS dupinfo').catch(() => undefined);
      }
    });
  } finally {
    await cleanup?.().catch(() => undefined);
    rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Everything that writes the store, inside the file's transaction. */
async function writeFile(conn: DuckDBConnection, job: FileJob, scan: FileScan, target: TableDef, targetEmpty: boolean): Promise<FileResult> {
  const runId = sqlString(job.runId);
  const sha = sqlString(scan.sha256);
  const sourceName = sqlString(job.source ?? job.format.defaultSource ?? job.format.name);
  const started = new Date().toISOString();
  // A file already landed by an earlier run is not landed or quarantined twice: re-ingesting changes nothing.
  const seen = await queryRows<{ n: number }>(conn, `SELECT count(*) AS n FROM ingest_runs WHERE file_sha256 = ${sha} AND format = ${sqlString(job.format.name)} AND source = ${sourceName} AND status = 'succeeded'`);
  const alreadyLanded = count(seen[0]?.n) > 0;
  const totals = await queryRows<{ rows_read: number; quarantined: number }>(conn, 'SELECT count(*) AS rows_read, count(*) FILTER (WHERE NOT _ok) AS quarantined FROM typed');
  const anyQuarantined = count(totals[0].quarantined) > 0;
  if (!alreadyLanded) {
    // A clean file (the common bulk case) lands without the join that flags quarantined rows.
    const landFrom = anyQuarantined
      ? 'b._row IS NULL AS accepted FROM stg AS s LEFT JOIN (SELECT _row FROM typed WHERE NOT _ok) AS b ON b._row = s.rowid + 1'
      : 'true AS accepted FROM stg AS s';
    await runWithProgress(conn, `INSERT INTO landing BY NAME SELECT ${runId} AS run_id, ${sourceName} AS source, ${sqlString(job.format.name)} AS format, ${sha} AS file_sha256,
        s.rowid + 1 AS row_number, to_json(s) AS raw, ${landFrom}`, job, 'land');
    if (anyQuarantined) {
      await runWithProgress(conn, `INSERT INTO quarantine BY NAME SELECT ${runId} AS run_id, ${sourceName} AS source, ${sqlString(job.path)} AS file_path,
          t._row AS row_number, to_json(s) AS raw, to_json(t._reasons) AS reasons, now() AS quarantined_at
        FROM (SELECT _row, _reasons FROM typed WHERE NOT _ok) AS t JOIN stg AS s ON s.rowid + 1 = t._row`, job, 'land');
    }
  }
  const stats = await upsert(conn, job, scan, target, targetEmpty);
  const result: FileResult = {
    path: job.path,
    format: job.format.name,
    rows_read: count(totals[0].rows_read),
    inserted: stats.inserted,
    updated: stats.updated,
    unchanged: stats.unchanged,
    quarantined: count(totals[0].quarantined),
  };
  await conn.run(`INSERT INTO ingest_runs BY NAME SELECT ${runId} AS run_id, ${job.fileIndex} AS file_index, ${sqlString(started)}::TIMESTAMPTZ AS started_at, now() AS finished_at,
      ${sourceName} AS source, ${sqlString(job.format.name)} AS format, ${sqlString(job.path)} AS file_path, ${sha} AS file_sha256,
      ${result.rows_read} AS rows_read, ${result.rows_read - result.quarantined} AS accepted, ${result.inserted} AS inserted, ${result.updated} AS updated,
      ${result.unchanged} AS unchanged, ${result.quarantined} AS quarantined, 'succeeded' AS status`);
  return result;
}

/**
 * The typed rows plus, for rma, batch_id from the unit registry and warranty_status from the policy when the
 * record lacks them; then the record hash and the stored version's hash (one pass, one materialisation).
 */
async function typedWithDerivations(conn: DuckDBConnection, job: FileJob, target: TableDef, inner: string, targetEmpty: boolean): Promise<string> {
  let derived = `SELECT t.* FROM (${inner}) AS t`;
  if (target.name === 'rma') {
    const units = await queryRows<{ n: boolean }>(conn, 'SELECT EXISTS (SELECT 1 FROM units) AS n');
    derived = !units[0].n
      ? `SELECT t.* REPLACE (coalesce(t.warranty_status, 'unknown') AS warranty_status) FROM (${inner}) AS t`
      : `SELECT t.* REPLACE (
          coalesce(t.batch_id, u.batch_id) AS batch_id,
          -- dates on the UTC wall time (the store's zone): TIMESTAMPTZ + to_days() / to_months() and ::DATE go
          -- through ICU, ≈ 2 CPU-s a line-million together
          coalesce(t.warranty_status, CASE
            WHEN u.shipped_at IS NULL OR coalesce(ps.warranty_months, pa.warranty_months) IS NULL THEN 'unknown'
            WHEN coalesce(ps.doa_days, pa.doa_days) IS NOT NULL
              AND epoch_us(t.opened_at) <= epoch_us(u.shipped_at) + coalesce(ps.doa_days, pa.doa_days) * 86400000000 THEN 'doa'
            WHEN make_timestamp(epoch_us(t.opened_at)) <= make_timestamp(epoch_us(u.shipped_at)) + to_months(coalesce(ps.warranty_months, pa.warranty_months)) THEN 'in_warranty'
            ELSE 'out_of_warranty' END) AS warranty_status)
        FROM (${inner}) AS t
        LEFT JOIN units AS u ON u.serial_number = t.serial_number
        ASOF LEFT JOIN warranty_policies AS ps ON ps.sku = coalesce(t.sku, u.sku) AND make_timestamp(epoch_us(u.shipped_at))::DATE >= ps.effective_from
        ASOF LEFT JOIN (SELECT * FROM warranty_policies WHERE sku = '*') AS pa ON make_timestamp(epoch_us(u.shipped_at))::DATE >= pa.effective_from`;
  }
  const cols = dataColumns(target);
  const keyJoin = target.key.map((k) => `f.${q(k)} = e.${q(k)}`).join(' AND ');
  const hashed = cols.filter((c) => !c.key || target.name !== 'rma').map((c) => `f.${q(c.name)}`);
  const recordHash = `CASE WHEN f._ok THEN CAST(hash(${hashed.join(', ')}) AS VARCHAR) END AS record_hash`;
  if (targetEmpty) return `SELECT f.*, ${recordHash}, NULL::VARCHAR AS _existing_hash FROM (${derived}) AS f`;
  // The join condition is the key alone: a left-side filter in ON (f._ok) turns DuckDB's hash join into a
  // nested loop over every stored row (20,000 lines into 1 M RMAs: 32 s instead of 32 ms). Keys are unique in
  // the target, so the join cannot multiply rows; rejected rows simply get no stored hash.
  return `SELECT f.*, ${recordHash}, CASE WHEN f._ok THEN e.record_hash END AS _existing_hash
    FROM (${derived}) AS f LEFT JOIN ${q(target.name)} AS e ON ${keyJoin}`;
}

/**
 * Upsert by natural key. Counts: a row equal to the stored record is unchanged, different is updated, new is
 * inserted; within a file each later occurrence of a key is compared with the one before it (last one wins).
 */
async function upsert(conn: DuckDBConnection, job: FileJob, scan: FileScan, target: TableDef, targetEmpty: boolean): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const cols = dataColumns(target);
  const keys = target.key.map(q);
  const keyJoin = target.key.map((k) => `f.${q(k)} = e.${q(k)}`).join(' AND ');
  // Keys repeated within the file: only those rows get a window (small), never the whole file.
  await runWithProgress(conn, `CREATE OR REPLACE TEMP TABLE dupinfo AS
    SELECT _row, record_hash, lag(record_hash) OVER w AS prev_hash, _row < max(_row) OVER (PARTITION BY ${keys.join(', ')}) AS superseded
    FROM (SELECT * FROM typed WHERE _ok) SEMI JOIN (SELECT ${keys.join(', ')} FROM typed WHERE _ok GROUP BY ALL HAVING count(*) > 1) AS d USING (${keys.join(', ')})
    WINDOW w AS (PARTITION BY ${keys.join(', ')} ORDER BY _row)`, job, 'upsert');
  const counts = await queryRows<{ inserted: number; updated: number; unchanged: number }>(conn, `
    SELECT count(*) FILTER (WHERE base IS NULL) AS inserted,
           count(*) FILTER (WHERE base IS NOT NULL AND base <> record_hash) AS updated,
           count(*) FILTER (WHERE base = record_hash) AS unchanged
    FROM (SELECT f.record_hash, CASE WHEN d.prev_hash IS NOT NULL THEN d.prev_hash ELSE f._existing_hash END AS base
          FROM typed AS f LEFT JOIN dupinfo AS d USING (_row) WHERE f._ok)`);
  const superseded = await queryRows<{ n: number }>(conn, 'SELECT count(*) AS n FROM dupinfo WHERE superseded');
  // Filters that cannot drop anything (no stored rows, no repeated keys) are left out of the big insert.
  const winners = `SELECT * FROM typed WHERE _ok${targetEmpty ? '' : ' AND (_existing_hash IS NULL OR _existing_hash <> record_hash)'}${count(superseded[0]?.n) > 0 ? ' AND _row NOT IN (SELECT _row FROM dupinfo WHERE superseded)' : ''}`;
  if (!targetEmpty) {
    // a replaced line may have been its unit's first return: its serial's other lines are resolved again
    if (target.name === 'rma') await markUnresolved(conn, `SELECT e.serial_number FROM rma AS e JOIN (${winners}) AS f ON ${keyJoin} WHERE f._existing_hash IS NOT NULL`);
    const replaced = `FROM ${q(target.name)} AS e WHERE EXISTS (SELECT 1 FROM (${winners}) AS f WHERE f._existing_hash IS NOT NULL AND ${keyJoin})`;
    // the replaced units leave the registry's ship-day counts (they come back below as written)
    if (target.name === 'units') await countShipDays(conn, `SELECT e.* ${replaced}`, -1);
    await runWithProgress(conn, `DELETE ${replaced}`, job, 'upsert');
  }
  const insertCols = [...cols.map((c) => q(c.name)), 'run_id', 'file_sha256', 'source_row', 'record_hash'];
  await runWithProgress(conn, `INSERT INTO ${q(target.name)} (${insertCols.join(', ')})
    SELECT ${cols.map((c) => q(c.name)).join(', ')}, ${sqlString(job.runId)}, ${sqlString(scan.sha256)}, _row, record_hash FROM (${winners})`, job, 'upsert');
  if (target.name === 'units') {
    // new registry rows change what the lines of their serials resolve to, and the ship-day counts
    await markUnresolved(conn, `SELECT serial_number FROM (${winners})`);
    await countShipDays(conn, `SELECT * FROM (${winners})`, 1);
    await applyShipDays(conn);
  }
  return { inserted: count(counts[0].inserted), updated: count(counts[0].updated), unchanged: count(counts[0].unchanged) };
}
