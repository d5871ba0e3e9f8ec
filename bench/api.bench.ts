/**
 * HTTP API under load (issue 6): 50 concurrent keep-alive connections from a worker thread (its own
 * event loop, loopback only, bounded by request count and time) against
 *   - a bare fastify route returning a constant (baseline, same process, same fastify config),
 *   - GET /api/batches, GET /api/dashboards/batch-quality (a Vega-Lite spec with its data inline),
 *     GET /api/rmas?batch_id=… (a drill-down that queries DuckDB on every request),
 * on a store filled by fillBulkStore (default 10 million RMAs, 50 million units; RMA_BENCH_SCALE=0.1
 * for a tenth) and built; then the same load while an upload is ingested through the server: zero
 * errors expected. Prints p50 / p99 latency and throughput, and ratios against the baseline.
 */
import { mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { RunningServer } from '../api/serve.js';

interface LoadSpec {
  url: string;
  key?: string;
  connections: number;
  maxRequests: number;
  maxMs: number;
}

interface LoadResult {
  requests: number;
  errors: number;
  firstError?: string;
  ms: number;
  latencies: number[];
}

/** The load generator (runs in the worker): N workers looping fetch until the count or the time is used up. */
async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let issued = 0;
  const started = performance.now();
  const headers = spec.key ? { authorization: `Bearer ${spec.key}` } : undefined;
  const worker = async (): Promise<void> => {
    while (issued < spec.maxRequests && performance.now() - started < spec.maxMs) {
      issued++;
      const t = performance.now();
      try {
        const r = await fetch(spec.url, { headers });
        await r.arrayBuffer();
        if (r.status >= 400) {
          errors++;
          firstError ??= `HTTP ${r.status}`;
        }
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, worker));
  return { requests: latencies.length, errors, firstError, ms: performance.now() - started, latencies };
}

if (!isMainThread && (workerData as { rmaLoad?: LoadSpec } | undefined)?.rmaLoad) {
  void generateLoad((workerData as { rmaLoad: LoadSpec }).rmaLoad).then((r) => parentPort!.postMessage(r));
}

function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: { rmaLoad: spec } });
    w.once('message', (r: LoadResult) => {
      void w.terminate();
      resolve(r);
    });
    w.once('error', reject);
  });
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

interface Figures {
  p50: number;
  p99: number;
  rps: number;
}

function report(label: string, r: LoadResult, baseline?: Figures): Figures {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const f = { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), rps: (r.requests / r.ms) * 1000 };
  const vs = baseline ? `  (p50 ${(f.p50 / baseline.p50).toFixed(1)}× / throughput ${(f.rps / baseline.rps).toFixed(2)}× baseline)` : '';
  process.stdout.write(
    `${label.padEnd(44)} p50 ${f.p50.toFixed(2).padStart(8)} ms  p99 ${f.p99.toFixed(2).padStart(8)} ms  ${f.rps.toFixed(0).padStart(6)} req/s  ${r.requests} requests, ${r.errors} errors${r.firstError ? ` (first: ${r.firstError})` : ''}${vs}\n`,
  );
  return f;
}

export async function run(): Promise<void> {
  // Imported here, not at the top: the load worker loads this file too and needs none of it.
  const { default: Fastify } = await import('fastify');
  const { createApiKey } = await import('../api/keys.js');
  const { serve } = await import('../api/serve.js');
  const { writeBulkCanonicalCsv } = await import('../data/generate/bulk.js');
  const { build } = await import('../pipeline/build.js');
  const { openBulkStore } = await import('./bulk-store.js');
  const scale = Number(process.env.RMA_BENCH_SCALE ?? '1');
  const units = Math.round(50_000_000 * scale);
  const rmas = Math.round(10_000_000 * scale);
  const connections = 50;
  const maxRequests = Number(process.env.RMA_BENCH_API_REQUESTS ?? '20000');
  const maxMs = Number(process.env.RMA_BENCH_API_MS ?? '15000');
  const asOf = '2026-06-30';
  const dir = mkdtempSync(join(tmpdir(), 'rma-bench-api-'));
  const bulk = await openBulkStore(join(dir, 'bench.duckdb'), { units, rmas, asOf });
  const { store, counts } = bulk;
  const bare = Fastify({ logger: false });
  bare.get('/const', async () => ({ ok: true }));
  let server: RunningServer | undefined;
  try {
    const buildStarted = performance.now();
    const built = await build(store, { asOf });
    process.stdout.write(
      `store: ${counts.rma.toLocaleString('en-US')} RMAs, ${counts.units.toLocaleString('en-US')} units, ${counts.batches.toLocaleString('en-US')} batches; ` +
        `${bulk.fromCache ? 'copied from the bench cache' : 'filled'} in ${(bulk.ms / 1000).toFixed(1)} s, built (${built.models.length} models) in ${((performance.now() - buildStarted) / 1000).toFixed(1)} s\n`,
    );
    const viewer = (await createApiKey(store, { role: 'viewer', name: 'bench-viewer' })).key;
    const ingester = (await createApiKey(store, { role: 'ingest', name: 'bench-ingest' })).key;

    // The rate limit is off here (a documented option, --no-rate-limit on serve): 50 connections from one key would trip it.
    server = await serve({ store, port: 0, rateLimit: false });
    const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
    const [firstBatch] = (await (await fetch(`${server.url}/api/batches?limit=1`, { headers: { authorization: `Bearer ${viewer}` } })).json()) as { batch_id: string }[];
    const targets = [
      { label: 'GET /api/batches', url: `${server.url}/api/batches` },
      { label: 'GET /api/dashboards/batch-quality', url: `${server.url}/api/dashboards/batch-quality` },
      { label: `GET /api/rmas?batch_id=${firstBatch.batch_id}&limit=100`, url: `${server.url}/api/rmas?batch_id=${encodeURIComponent(firstBatch.batch_id)}&limit=100` },
    ];
    const cold = performance.now();
    await fetch(`${server.url}/api/reports/firmware?limit=1`, { headers: { authorization: `Bearer ${viewer}` } });
    process.stdout.write(`first (uncached) report request: ${(performance.now() - cold).toFixed(1)} ms; later ones are served from the report cache until the next write\n`);

    process.stdout.write(`\n${connections} connections, up to ${maxRequests} requests or ${maxMs / 1000} s per target\n`);
    const baseline = report('baseline: bare fastify GET /const', await load({ url: `${bareUrl}/const`, connections, maxRequests, maxMs }));
    for (const t of targets) report(t.label, await load({ url: t.url, key: viewer, connections, maxRequests, maxMs }), baseline);

    // The same load while the server ingests an upload (its write queue) and rebuilds.
    const rows = Math.max(1000, Math.round(200_000 * scale));
    const csv = await writeBulkCanonicalCsv(join(dir, 'upload.csv'), rows, 7);
    const form = new FormData();
    form.append('format', 'canonical-csv');
    form.append('source', 'bench-upload');
    form.append('file', await openAsBlob(csv), 'upload.csv');
    const ingestStarted = performance.now();
    let ingestMs = 0;
    const ingesting = fetch(`${server.url}/api/ingest`, { method: 'POST', headers: { authorization: `Bearer ${ingester}` }, body: form }).then(async (r) => {
      ingestMs = performance.now() - ingestStarted;
      return { status: r.status, body: (await r.json()) as { totals?: { inserted: number }; error?: { message: string } } };
    });
    process.stdout.write(`\nwhile ingesting ${rows.toLocaleString('en-US')} RMA lines through POST /api/ingest:\n`);
    for (const t of targets) report(`${t.label} (during ingest)`, await load({ url: t.url, key: viewer, connections, maxRequests, maxMs: Math.min(maxMs, 10_000) }), baseline);
    const ingested = await ingesting;
    process.stdout.write(`ingest answered ${ingested.status} in ${(ingestMs / 1000).toFixed(1)} s: ${ingested.body.totals ? `${ingested.body.totals.inserted} inserted` : ingested.body.error?.message}\n`);
  } finally {
    await server?.close();
    await bare.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
