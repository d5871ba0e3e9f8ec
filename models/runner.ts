import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIGINT, BOOLEAN, DOUBLE, VARCHAR, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { RmaError } from '../pipeline/errors.js';
import { defaultConfig } from '../pipeline/config.js';
import { modelVariables } from '../pipeline/model-variables.js';
import { appendColumns } from '../pipeline/append-columns.js';
import { assetPath } from '../pipeline/paths.js';
import { sqlIdent, sqlString } from '../pipeline/sql-text.js';
import { queryRows, type Store } from '../pipeline/store.js';
import type { Audit, BuildContext, TsModel } from './model.js';

/**
 * The model runner: discovers models/*.sql and models/*.model.ts, orders them by their declared
 * inputs, and materialises each as a table in the `models` schema — all in one transaction, so a
 * failed model or audit leaves the previous build intact.
 *
 * Model tables live in schema `models` (models.batches, models.firmware, …) so they never collide
 * with the canonical tables in `main` (the canonical `batches` table and the `batches` report).
 * SQL models therefore name other models as `models.<name>`, in their SQL and in `inputs:`.
 */

export const modelSchema = 'models';

export interface SqlModel {
  kind: 'sql';
  name: string;
  grain: string[];
  /** Grain columns that may be NULL (written `name?` in the header): unique together, not audited not-null. */
  nullableGrain?: string[];
  inputs: string[];
  audits: Audit[];
  description: string;
  /** `view` for thin staging layers whose rows are only ever aggregated (no audits of the grain). */
  materialized: 'table' | 'view';
  sql: string;
  file: string;
}

export interface LoadedTsModel extends TsModel {
  kind: 'ts';
  file: string;
}

export type Model = SqlModel | LoadedTsModel;

export interface ModelRun {
  name: string;
  rows: number;
  ms: number;
}

const here = dirname(fileURLToPath(import.meta.url));

const splitList = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean);

/** `unique(a, b), not_null(a), between(rate, 0, 1)` → audits. */
export function parseAudits(text: string, file: string): Audit[] {
  const audits: Audit[] = [];
  const re = /(\w+)\s*\(([^)]*)\)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const kind = m[1];
    const args = splitList(m[2]);
    if (kind === 'unique') audits.push({ kind, columns: args });
    else if (kind === 'not_null') for (const c of args) audits.push({ kind, columns: [c] });
    else if (kind === 'between' && args.length === 3 && !Number.isNaN(Number(args[1])) && !Number.isNaN(Number(args[2]))) {
      audits.push({ kind, columns: [args[0]], low: Number(args[1]), high: Number(args[2]) });
    } else throw new RmaError('RMA_ERR_BUILD', `${file}: unknown audit '${m[0]}' (use unique(cols), not_null(cols), between(col, low, high))`, { file });
  }
  return audits;
}

/** Parse a SQL model: the header comment (model, grain, inputs, audits, materialized, description) and the SELECT. */
export function parseSqlModel(text: string, file: string): SqlModel {
  const header = /^\s*\/\*([\s\S]*?)\*\//.exec(text);
  if (!header) throw new RmaError('RMA_ERR_BUILD', `${file}: a SQL model starts with a /* model: … */ header`, { file });
  const fields: Record<string, string> = {};
  const prose: string[] = [];
  for (const raw of header[1].split('\n')) {
    const line = raw.trim();
    const kv = /^(model|grain|inputs|audits|materialized):\s*(.*)$/.exec(line);
    if (kv) fields[kv[1]] = kv[2].trim();
    else if (line) prose.push(line);
  }
  for (const key of ['model', 'grain', 'inputs'] as const) {
    if (fields[key] === undefined) throw new RmaError('RMA_ERR_BUILD', `${file}: header has no '${key}:' line`, { file, column: key });
  }
  const expected = file.split(/[\\/]/).pop()!.replace(/\.sql$/, '');
  if (fields.model !== expected) throw new RmaError('RMA_ERR_BUILD', `${file}: header names model '${fields.model}' but the file is ${expected}.sql`, { file, column: 'model' });
  const materialized = fields.materialized ?? 'table';
  if (materialized !== 'table' && materialized !== 'view') throw new RmaError('RMA_ERR_BUILD', `${file}: materialized must be table or view`, { file, column: 'materialized' });
  const sql = text.slice(header[0].length).trim().replace(/;\s*$/, '');
  const grain = splitList(fields.grain);
  return {
    kind: 'sql',
    name: fields.model,
    grain: grain.map((c) => c.replace(/\?$/, '')),
    nullableGrain: grain.filter((c) => c.endsWith('?')).map((c) => c.slice(0, -1)),
    inputs: splitList(fields.inputs),
    audits: fields.audits ? parseAudits(fields.audits, file) : [],
    description: prose.join(' '),
    materialized,
    sql,
    file,
  };
}

/** Every model: SQL files from models/ in the package, TS models compiled beside this runner. */
export async function discoverModels(sqlDir = assetPath('models'), tsDir = here): Promise<Model[]> {
  const models: Model[] = [];
  for (const f of readdirSync(sqlDir).filter((f) => f.endsWith('.sql')).sort()) {
    const file = join(sqlDir, f);
    models.push(parseSqlModel(readFileSync(file, 'utf8'), file));
  }
  const tsFiles = readdirSync(tsDir).filter((f) => /\.model\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
  for (const f of tsFiles) {
    const file = join(tsDir, f);
    const mod = (await import(pathToFileURL(file).href)) as { model?: TsModel };
    if (!mod.model) throw new RmaError('RMA_ERR_BUILD', `${file}: a TS model exports 'model'`, { file });
    models.push({ ...mod.model, kind: 'ts', file });
  }
  const seen = new Map<string, string>();
  for (const m of models) {
    if (seen.has(m.name)) throw new RmaError('RMA_ERR_BUILD', `model ${m.name} is defined twice: ${seen.get(m.name)} and ${m.file}`, { model: m.name });
    seen.set(m.name, m.file);
  }
  return models;
}

const modelRef = (input: string): string | undefined => (input.startsWith(`${modelSchema}.`) ? input.slice(modelSchema.length + 1) : undefined);

/** Dependency order from declared inputs (`models.<name>` inputs are other models). */
export function orderModels(models: Model[]): Model[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const ordered: Model[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: Model, path: string[]): void => {
    const s = state.get(m.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new RmaError('RMA_ERR_BUILD', `models depend on each other in a cycle: ${[...path, m.name].join(' → ')}`, { model: m.name });
    state.set(m.name, 'visiting');
    for (const input of m.inputs) {
      const ref = modelRef(input);
      if (ref === undefined) continue;
      const dep = byName.get(ref);
      if (!dep) throw new RmaError('RMA_ERR_BUILD', `model ${m.name} (${m.file}) declares input ${input}, but there is no model ${ref}`, { model: m.name, input });
      visit(dep, [...path, m.name]);
    }
    state.set(m.name, 'done');
    ordered.push(m);
  };
  for (const m of [...models].sort((a, b) => a.name.localeCompare(b.name))) visit(m, []);
  return ordered;
}

/** A SQL model may only read tables it declares (DuckDB lists the tables a statement reads). */
function checkDeclaredInputs(conn: DuckDBConnection, model: SqlModel, byName: Map<string, Model>): void {
  let read: readonly string[];
  try {
    read = conn.getTableNames(model.sql, true);
  } catch (e) {
    throw new RmaError('RMA_ERR_BUILD', `model ${model.name} (${model.file}): ${(e as Error).message}`, { model: model.name });
  }
  const declared = new Set<string>();
  // DuckDB looks through views: a view's own inputs count as declared by whoever declares the view.
  const declare = (input: string): void => {
    if (declared.has(input.toLowerCase())) return;
    declared.add(input.toLowerCase());
    const dep = byName.get(modelRef(input) ?? '');
    if (dep?.kind === 'sql' && dep.materialized === 'view') dep.inputs.forEach(declare);
  };
  model.inputs.forEach(declare);
  for (const entry of read) {
    const name = entry.replace(/\s+AS\s+.*$/i, '').replace(/"/g, '').toLowerCase();
    const bare = name.startsWith('main.') ? name.slice(5) : name;
    if (!declared.has(bare)) {
      throw new RmaError('RMA_ERR_BUILD', `model ${model.name} (${model.file}) reads ${bare} but does not declare it in 'inputs:' (declared: ${model.inputs.join(', ')})`, { model: model.name, table: bare });
    }
  }
}

const q = sqlIdent;
export const modelTable = (name: string): string => `${modelSchema}.${q(name)}`;

function auditSql(table: string, audit: Audit): string {
  const cols = audit.columns.map(q);
  switch (audit.kind) {
    case 'unique':
      return `SELECT ${cols.join(', ')}, count(*) AS duplicates FROM ${table} GROUP BY ALL HAVING count(*) > 1 LIMIT 3`;
    case 'not_null':
      return `SELECT * FROM ${table} WHERE ${cols[0]} IS NULL LIMIT 3`;
    case 'between':
      return `SELECT * FROM ${table} WHERE ${cols[0]} < ${Number(audit.low)} OR ${cols[0]} > ${Number(audit.high)} OR isnan(${cols[0]}::DOUBLE) LIMIT 3`;
  }
}

const describeAudit = (a: Audit): string =>
  a.kind === 'between' ? `between(${a.columns[0]}, ${a.low}, ${a.high})` : `${a.kind}(${a.columns.join(', ')})`;

/** Audits of a table: the declared ones plus, implicitly, a unique and not-null grain. */
export function auditsOf(model: Model): Audit[] {
  const declared = model.audits ?? [];
  if (model.kind === 'sql' && model.materialized === 'view') return declared;
  const nullable = new Set(model.kind === 'sql' ? model.nullableGrain : []);
  const implicit: Audit[] = model.grain.length
    ? [{ kind: 'unique', columns: model.grain }, ...model.grain.filter((c) => !nullable.has(c)).map((c): Audit => ({ kind: 'not_null', columns: [c] }))]
    : [];
  const key = (a: Audit): string => describeAudit(a);
  const seen = new Set(declared.map(key));
  return [...implicit.filter((a) => !seen.has(key(a))), ...declared];
}

/**
 * Distinct hashes mean distinct keys: a unique grain is usually proved by counting the keys' hashes, about
 * half the cost of grouping the keys themselves (1.3 s for firmware_returns' 3.4 M rows of five keys at
 * 10 M RMAs). A real duplicate, or two keys that share a hash, falls through to the exact query, which
 * names the offending rows.
 */
const uniqueByHashSql = (table: string, audit: Audit): string =>
  `SELECT count(*) = count(DISTINCT hash(${audit.columns.map(q).join(', ')})) AS proved FROM ${table}`;

export async function runAudits(conn: DuckDBConnection, model: Model): Promise<void> {
  const table = modelTable(model.name);
  for (const audit of auditsOf(model)) {
    if (audit.kind === 'unique' && (await queryRows<{ proved: boolean }>(conn, uniqueByHashSql(table, audit)))[0].proved) continue;
    const offending = await queryRows(conn, auditSql(table, audit));
    if (offending.length) {
      const sample = JSON.stringify(offending[0], (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
      throw new RmaError('RMA_ERR_AUDIT', `model ${model.name}: audit ${describeAudit(audit)} failed, e.g. ${sample}`, {
        model: model.name,
        audit: describeAudit(audit),
        sample: offending,
      });
    }
  }
}

/** An object left by an earlier build as the other kind (table vs view) would block CREATE OR REPLACE. */
async function dropIfKind(conn: DuckDBConnection, name: string, kind: 'BASE TABLE' | 'VIEW'): Promise<void> {
  const found = await queryRows(conn, 'SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2 AND table_type = $3', [modelSchema, name, kind]);
  if (found.length) await conn.run(`DROP ${kind === 'VIEW' ? 'VIEW' : 'TABLE'} ${modelTable(name)}`);
}

/**
 * A view is evaluated by whoever reads it, in their session: the build's variables (as_of, settings)
 * are written into it as literals, so it reads the same rows after the build as during it.
 */
export function pinVariables(sql: string, variables: Record<string, string>): string {
  return sql.replace(/getvariable\(\s*'([a-z_][a-z0-9_]*)'\s*\)/gi, (call, name: string) => variables[name.toLowerCase()] ?? call);
}

/** A model's row count; a view is evaluated here for the first time, so its errors are the model's. */
async function countRows(conn: DuckDBConnection, model: Model): Promise<number> {
  try {
    const [{ n }] = await queryRows<{ n: number }>(conn, `SELECT count(*) AS n FROM ${modelTable(model.name)}`);
    return n;
  } catch (e) {
    throw new RmaError('RMA_ERR_BUILD', `model ${model.name} (${model.file}) failed: ${(e as Error).message}`, { model: model.name });
  }
}

/** Materialise one model on the build connection (inside the build transaction). */
async function materialise(conn: DuckDBConnection, model: Model, ctx: BuildContext, byName: Map<string, Model>, variables: Record<string, string>): Promise<void> {
  if (model.kind === 'sql') {
    checkDeclaredInputs(conn, model, byName);
    const verb = model.materialized === 'view' ? 'VIEW' : 'TABLE';
    await dropIfKind(conn, model.name, verb === 'VIEW' ? 'BASE TABLE' : 'VIEW');
    const sql = verb === 'VIEW' ? pinVariables(model.sql, variables) : model.sql;
    try {
      await conn.run(`CREATE OR REPLACE ${verb} ${modelTable(model.name)} AS\n${sql}`);
    } catch (e) {
      throw new RmaError('RMA_ERR_BUILD', `model ${model.name} (${model.file}) failed: ${(e as Error).message}`, { model: model.name });
    }
    return;
  }
  try {
    await model.run(conn, ctx);
  } catch (e) {
    if (e instanceof RmaError) throw e;
    throw new RmaError('RMA_ERR_BUILD', `model ${model.name} (${model.file}) failed: ${(e as Error).message}`, { model: model.name });
  }
}

export interface RunModelsOptions {
  /** Models to run (default: discovered). */
  models?: Model[];
  /** Called after each model, for progress logs. */
  onModel?: (run: ModelRun) => void;
  /**
   * Session variables for SQL models (`getvariable('name')`): settings from the config file
   * (pipeline/model-variables.ts), over the defaults' values.
   */
  variables?: Record<string, number | string | number[]>;
}

/**
 * Tables of earlier versions that a build removes, so a store keeps no stale results: firmware_strata is now
 * a query of the firmware model (models/firmware/strata.sql), km_curves worked out when asked (models/km-curves.ts).
 */
const retiredModels = ['firmware_strata', 'km_curves'];

/** A JS value as a DuckDB literal (numbers, strings, integer lists only: settings, never user rows). */
function sqlLiteral(value: number | string | number[]): string {
  if (Array.isArray(value)) return `[${value.map((v) => sqlLiteral(v)).join(', ')}]`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RmaError('RMA_ERR_BUILD', `model variable is not a finite number: ${value}`);
    return Number.isInteger(value) ? `${value}` : `${value}::DOUBLE`;
  }
  return sqlString(value);
}

/**
 * Build every model as of ctx.asOf in one transaction: all models and their audits pass and land
 * together, or the previous build stays as it was. Writes models.model_runs (one row per model).
 */
export async function runModels(store: Store, ctx: BuildContext, options: RunModelsOptions = {}): Promise<ModelRun[]> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ctx.asOf) || Number.isNaN(Date.parse(`${ctx.asOf}T00:00:00Z`))) {
    throw new RmaError('RMA_ERR_USAGE', `as-of date must be YYYY-MM-DD, got '${ctx.asOf}'`, { column: 'as_of' });
  }
  const ordered = orderModels(options.models ?? (await discoverModels()));
  const byName = new Map(ordered.map((m) => [m.name, m]));
  return store.transaction(async (conn) => {
    await conn.run(`CREATE SCHEMA IF NOT EXISTS ${modelSchema}`);
    for (const name of retiredModels) await conn.run(`DROP TABLE IF EXISTS ${modelTable(name)}`);
    const literals: Record<string, string> = { as_of: `DATE '${ctx.asOf}'` };
    for (const [name, value] of Object.entries({ ...modelVariables(defaultConfig()), ...options.variables })) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RmaError('RMA_ERR_BUILD', `bad model variable name '${name}'`);
      literals[name] = sqlLiteral(value);
    }
    for (const [name, literal] of Object.entries(literals)) await conn.run(`SET VARIABLE ${name} = ${literal}`);
    const runs: ModelRun[] = [];
    for (const model of ordered) {
      const started = performance.now();
      await materialise(conn, model, ctx, byName, literals);
      await runAudits(conn, model);
      const n = await countRows(conn, model);
      const run = { name: model.name, rows: Number(n), ms: Math.round(performance.now() - started) };
      runs.push(run);
      options.onModel?.(run);
    }
    await conn.run(`CREATE OR REPLACE TABLE ${modelTable('model_runs')} (name VARCHAR, as_of DATE, rows BIGINT, ms BIGINT, built_at TIMESTAMPTZ)`);
    for (const r of runs) {
      await conn.run(`INSERT INTO ${modelTable('model_runs')} VALUES ($1, $2::DATE, $3, $4, now())`, [r.name, ctx.asOf, r.rows, r.ms]);
    }
    return runs;
  });
}

/** The as-of date of the last successful build, or undefined when nothing has been built. */
export async function lastBuildAsOf(store: Store): Promise<string | undefined> {
  const exists = await store.one<{ n: number }>(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = '${modelSchema}' AND table_name = 'model_runs'`,
  );
  if (!exists?.n) return undefined;
  const row = await store.one<{ as_of: string }>(`SELECT max(as_of) AS as_of FROM ${modelTable('model_runs')}`);
  return row?.as_of ?? undefined;
}

export type ColumnType = 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'BOOLEAN' | 'DATE';

const chunkTypes: Record<ColumnType, DuckDBType> = { VARCHAR, DATE: VARCHAR, DOUBLE, BIGINT, BOOLEAN };

/** A row value as the staging column takes it (DATE is staged as text); null/undefined/NaN → NULL. */
function chunkValue(v: unknown, t: ColumnType): DuckDBValue {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
  if (t === 'VARCHAR' || t === 'DATE') return String(v);
  if (t === 'DOUBLE') return Number(v);
  if (t === 'BIGINT') return BigInt(Math.round(Number(v)));
  return Boolean(v);
}

/**
 * For TS models: (re)create table models.<name> with the given columns and append the rows (plain
 * objects keyed by column name; null/undefined/NaN → NULL), column by column through a staging table.
 */
export async function writeModelTable(
  conn: DuckDBConnection,
  name: string,
  columns: readonly (readonly [string, ColumnType])[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const staging = `${name}__rows`;
  const stagingColumns = columns.map(([c, t]) => `${q(c)} ${t === 'DATE' ? 'VARCHAR' : t}`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${q(staging)} (${stagingColumns.join(', ')})`);
  await appendColumns(conn, staging, columns.map(([c, t]) => ({ type: chunkTypes[t], valueAt: (r: number) => chunkValue(rows[r][c], t) })), rows.length);
  const cast = columns.map(([c, t]) => (t === 'DATE' ? `CAST(${q(c)} AS DATE) AS ${q(c)}` : q(c))).join(', ');
  await dropIfKind(conn, name, 'VIEW');
  await conn.run(`CREATE OR REPLACE TABLE ${modelTable(name)} AS SELECT ${cast} FROM ${q(staging)}`);
  await conn.run(`DROP TABLE ${q(staging)}`);
}
