/**
 * End to end: the demo world's RMA files through the real ingest engine into a real DuckDB file. The
 * planted dirty rows land in quarantine (row numbers match the ground truth), exact repeats count as
 * unchanged, newer versions as updated, and cross-source copies are linked to their first record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEmitters, generateDemoWorld, type GeneratedDemo } from '../../data/generate/index.js';
import { ingest, type FileResult } from '../../ingest/index.js';
import { normaliseRma } from '../../ingest/normalise/index.js';
import { openStore, type Store } from '../../pipeline/store.js';

const root = mkdtempSync(join(tmpdir(), 'rma-demo-ingest-'));
let demo: GeneratedDemo;
let store: Store;
const results = new Map<string, FileResult>();

beforeAll(async () => {
  // Reference data is not needed to check RMA landing; leaving the 100k-unit registry out keeps this quick.
  demo = await generateDemoWorld({ outDir: join(root, 'demo'), seed: 42, emitters: defaultEmitters.filter((e) => e.name !== 'reference-csv') });
  store = await openStore(join(root, 'store.duckdb'));
  for (const f of demo.files.filter((x) => x.expected)) {
    const r = await ingest(store, [join(demo.outDir, f.path)], { format: f.format, source: f.source });
    results.set(f.path, r.files[0]);
  }
}, 300_000);

afterAll(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('demo world through ingest', () => {
  it('reports for each file exactly the counts the ground truth expects', () => {
    expect(results.size).toBeGreaterThanOrEqual(5);
    for (const f of demo.files.filter((x) => x.expected)) {
      const r = results.get(f.path)!;
      expect({ rows_read: r.rows_read, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, quarantined: r.quarantined }, f.path).toEqual(f.expected);
    }
    const totals = [...results.values()].reduce((s, r) => ({ updated: s.updated + r.updated, unchanged: s.unchanged + r.unchanged }), { updated: 0, unchanged: 0 });
    expect(totals.updated).toBeGreaterThan(50);
    expect(totals.unchanged).toBeGreaterThan(20);
  });

  it('quarantines exactly the planted dirty rows, at their row numbers', async () => {
    const rows = await store.all<{ file_path: string; row_number: number }>('SELECT file_path, row_number FROM quarantine ORDER BY file_path, row_number');
    const got = rows.map((r) => `${basename(r.file_path)}#${r.row_number}`).sort();
    const planted = demo.groundTruth.dirty_rows.map((d) => `${basename(d.file)}#${d.row_number}`).sort();
    expect(got).toEqual(planted);
  });

  it('keeps one record per RMA, with the newest version of updated ones', async () => {
    const erp = demo.groundTruth.rma_sources.erp;
    const portal = demo.groundTruth.rma_sources['dealer-portal'];
    const crossSource = demo.groundTruth.duplicates.filter((d) => d.kind === 'cross_source');
    const counts = await store.all<{ source: string; n: number }>('SELECT source, count(*)::INTEGER AS n FROM rma GROUP BY source ORDER BY source');
    expect(counts).toEqual([{ source: 'dealer-portal', n: portal + crossSource.length }, { source: 'erp', n: erp }]);
    // An RMA updated in the last export carries that export's state.
    const updated = demo.groundTruth.duplicates.filter((d) => d.kind === 'updated' && d.file === 'rma-erp-2026h1.csv');
    const numbers = updated.map((d) => `'${d.rma_number}'`).join(', ');
    const stale = await store.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM rma WHERE source = 'erp' AND rma_number IN (${numbers}) AND file_sha256 <> (SELECT file_sha256 FROM ingest_runs WHERE file_path LIKE '%rma-erp-2026h1.csv' LIMIT 1)`,
    );
    expect(updated.length).toBeGreaterThan(0);
    expect(stale!.n).toBe(0);
  });

  it('links the cross-source copies to the ERP record they repeat (normalise step after ingest)', async () => {
    await store.withConnection((conn) => normaliseRma(conn));
    const crossSource = demo.groundTruth.duplicates.filter((d) => d.kind === 'cross_source');
    const linked = await store.all<{ rma_number: string; duplicate_of: string }>(
      "SELECT rma_number, duplicate_of FROM rma WHERE source = 'dealer-portal' AND duplicate_of IS NOT NULL ORDER BY rma_number");
    const byNumber = new Map(linked.map((r) => [r.rma_number, r.duplicate_of]));
    for (const d of crossSource) expect(byNumber.get(d.rma_number), d.rma_number).toBe(d.first_seen);
  });
});
