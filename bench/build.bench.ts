/**
 * Full model build on a bulk store (default 10 million RMAs, 50 million units; RMA_BENCH_SCALE=0.1 for a
 * tenth): time and peak memory of `build`, then the rebuild after appending 10,000 RMAs. Baseline in the
 * same run and store: a plain `SELECT batch_id, count(*) FROM rma GROUP BY ALL`.
 * Target (CONTRACT / issue 5): the full build under 60 s on the 2-core reference machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildResult } from '../pipeline/build.js';
import { defaultConfig } from '../pipeline/config.js';
import { resolveUnits, resolvedColumns } from '../ingest/normalise/index.js';
import { ensureShipDays } from '../ingest/normalise/ship-days.js';
import { clockColumns, clockLines } from '../ingest/normalise/business-clock.js';
import { slaCalendar } from '../pipeline/model-variables.js';
import type { Store } from '../pipeline/store.js';
import { openBulkStore } from './bulk-store.js';

const asOf = '2026-06-30';

/** Peak resident memory while fn runs (DuckDB's memory is native: RSS, sampled every 50 ms). */
async function measured<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const started = performance.now();
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, ms: performance.now() - started, peakRssMb: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

async function baselineQuery(store: Store): Promise<number> {
  const started = performance.now();
  await store.all('SELECT batch_id, count(*) AS n FROM rma GROUP BY ALL');
  return performance.now() - started;
}

/** 10,000 new RMA lines: copies of existing ones under new keys, opened a day later, not yet resolved against the registry nor read on the SLA clock (as ingest writes them). */
async function appendRmas(store: Store, n: number): Promise<void> {
  await store.run(
    `INSERT INTO rma BY NAME
     SELECT * EXCLUDE (${[...resolvedColumns, ...clockColumns].join(', ')}) REPLACE (rma_key || ':appended' AS rma_key, rma_number || 'A' AS rma_number, opened_at + INTERVAL 1 DAY AS opened_at)
     FROM rma USING SAMPLE ${n} ROWS`,
  );
}

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const slowest = (r: BuildResult, k = 12): string =>
  `Σ models ${fmt(r.models.reduce((a, m) => a + m.ms, 0))}; ` +
  [...r.models].sort((a, b) => b.ms - a.ms).slice(0, k).map((m) => `${m.name} ${fmt(m.ms)}`).join(', ');

export async function run(): Promise<void> {
  const scale = Number(process.env.RMA_BENCH_SCALE ?? '1');
  const units = Math.round(50_000_000 * scale);
  const rmas = Math.round(10_000_000 * scale);
  const dir = mkdtempSync(join(tmpdir(), 'rma-bench-build-'));
  // filled once per shape and cached (bench/bulk-store.ts): only the build is timed
  const { store, counts, ms: fillMs, fromCache } = await openBulkStore(join(dir, 'bench.duckdb'), { units, rmas, asOf });
  try {
    process.stdout.write(`store: ${counts.units.toLocaleString('en-US')} units, ${counts.rma.toLocaleString('en-US')} RMAs, ${counts.batches.toLocaleString('en-US')} batches, ${counts.firmware_installs} install snapshots (${fromCache ? 'copied from the cache' : 'filled'} in ${fmt(fillMs)})\n`);

    const baseMs = await baselineQuery(store);
    process.stdout.write(`baseline  SELECT batch_id, count(*) FROM rma GROUP BY ALL: ${fmt(baseMs)}\n`);

    // Ingest resolves each line against the unit registry as it lands, counts units per ship day and reads the
    // stage times on the SLA clock; the bulk fill writes rows directly, so that work is done here for all of
    // them at once and timed on its own: a build then finds none left.
    const resolving = await measured(() => store.withConnection((conn) => resolveUnits(conn)));
    process.stdout.write(`resolving ${resolving.result.toLocaleString('en-US')} lines against the unit registry (ingest's work as lines land): ${fmt(resolving.ms)}, peak RSS ${resolving.peakRssMb.toFixed(0)} MB\n`);

    const counting = await measured(() => store.withConnection((conn) => ensureShipDays(conn)));
    process.stdout.write(`counting ${counting.result.toLocaleString('en-US')} units per ship day (ingest's work as units land): ${fmt(counting.ms)}, peak RSS ${counting.peakRssMb.toFixed(0)} MB\n`);

    const config = defaultConfig();
    const clocking = await measured(() => store.withConnection((conn) => clockLines(conn, slaCalendar(config.sla.holidays))));
    process.stdout.write(`reading ${clocking.result.toLocaleString('en-US')} lines' stage times on the SLA business clock (ingest's work as lines land): ${fmt(clocking.ms)}, peak RSS ${clocking.peakRssMb.toFixed(0)} MB\n`);

    const phases: Record<string, number> = {};
    const onPhase = (phase: string, ms: number): void => {
      phases[phase] = ms;
    };
    const phaseText = (): string => Object.entries(phases).map(([p, ms]) => `${p} ${fmt(ms)}`).join(', ');
    const full = await measured(() => build(store, { asOf, config, onPhase }));
    process.stdout.write(
      `full build (${full.result.models.length} models): ${fmt(full.ms)}, peak RSS ${full.peakRssMb.toFixed(0)} MB, ${(full.ms / baseMs).toFixed(1)}× baseline; target < 60 s at scale 1\n` +
        `  phases: ${phaseText()}; slowest: ${slowest(full.result)}\n`,
    );

    await appendRmas(store, 10_000);
    const again = await measured(() => build(store, { asOf, config, onPhase }));
    process.stdout.write(
      `rebuild after appending 10,000 RMAs: ${fmt(again.ms)}, peak RSS ${again.peakRssMb.toFixed(0)} MB, ${(again.ms / baseMs).toFixed(1)}× baseline, ${(again.ms / full.ms).toFixed(2)}× the first build\n` +
        `  phases: ${phaseText()}; slowest: ${slowest(again.result)}\n`,
    );
    process.stdout.write(`process max RSS (including the fill): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; scale ${scale}\n`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
