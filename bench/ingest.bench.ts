/**
 * Bulk ingest throughput: our ingest of a 2-million-row canonical CSV into a fresh store, against DuckDB's own
 * `CREATE TABLE t AS SELECT * FROM read_csv(file)` of the same file into a fresh database, measured in the same
 * run. Each side runs in its own child process so its peak RSS (maxRSS) is its own.
 * Target: ours / raw ≥ 0.8 of raw rows/s, peak RSS < 2 GB.  `npm run bench -- ingest`; rows via RMA_BENCH_ROWS.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingest } from '../ingest/index.js';
import { syntheticCanonicalCsvSql } from '../ingest/synthetic.js';
import { sqlString } from '../pipeline/sql-text.js';
import { openStore } from '../pipeline/store.js';

const here = fileURLToPath(import.meta.url);
const outDir = resolve(dirname(here), '..', '..', 'bench', 'out');

interface SideResult {
  side: 'ours' | 'raw';
  rows: number;
  ms: number;
  max_rss_mb: number;
}

function freshDb(name: string): string {
  const db = join(outDir, name);
  for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
  return db;
}

/** One side, in this (child) process. */
async function side(which: 'ours' | 'raw', csv: string): Promise<SideResult> {
  if (which === 'raw') {
    const instance = await DuckDBInstance.create(freshDb('raw.duckdb'));
    const conn = await instance.connect();
    const t0 = performance.now();
    await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv(${sqlString(csv)})`);
    const ms = performance.now() - t0;
    const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRowsJS()[0][0]);
    conn.closeSync();
    instance.closeSync();
    return { side: which, rows, ms, max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
  }
  const store = await openStore(freshDb('ours.duckdb'), { taxonomy: false });
  const t0 = performance.now();
  const result = await ingest(store, [csv], { format: 'canonical-csv' });
  const ms = performance.now() - t0;
  await store.close();
  return { side: which, rows: result.totals.inserted, ms, max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

export async function run(): Promise<void> {
  const rows = Number(process.env.RMA_BENCH_ROWS ?? 2_000_000);
  mkdirSync(outDir, { recursive: true });
  const csv = join(outDir, `canonical-${rows}.csv`);
  if (!existsSync(csv)) {
    const t0 = performance.now();
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(syntheticCanonicalCsvSql(csv, rows));
    conn.closeSync();
    instance.closeSync();
    process.stdout.write(`generated ${rows} rows (${(statSync(csv).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const measure = (which: 'ours' | 'raw'): SideResult =>
    JSON.parse(execFileSync(process.execPath, [here, which, csv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 })) as SideResult;
  // Raw first, ours second, then raw again: the machine is shared, so the baseline brackets our run.
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
  const loadBefore = load();
  const raw1 = measure('raw');
  const ours = measure('ours');
  const raw2 = measure('raw');
  const rawMs = Math.min(raw1.ms, raw2.ms);
  const rate = (n: number, ms: number): string => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} rows/s`;
  process.stdout.write([
    `rows                     ${rows.toLocaleString('en-US')}`,
    `duckdb read_csv CTAS     ${(raw1.ms / 1000).toFixed(2)} s / ${(raw2.ms / 1000).toFixed(2)} s  ${rate(raw1.rows, rawMs)} (best)  peak RSS ${Math.max(raw1.max_rss_mb, raw2.max_rss_mb)} MB`,
    `rma-intel ingest         ${(ours.ms / 1000).toFixed(2)} s  ${rate(ours.rows, ours.ms)}  peak RSS ${ours.max_rss_mb} MB`,
    `ratio ours/raw           ${(rawMs / ours.ms).toFixed(2)}  (target >= 0.80)`,
    `peak RSS under 2 GB      ${ours.max_rss_mb < 2048 ? 'yes' : 'NO'}`,
    `load average             ${loadBefore} before, ${load()} after (shared machine: compare ratios, not times)`,
  ].join('\n') + '\n');
}

if (process.argv[1] === here && (process.argv[2] === 'ours' || process.argv[2] === 'raw')) {
  side(process.argv[2], process.argv[3]).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
}
