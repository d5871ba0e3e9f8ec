import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { presetEmitters, presetRoutes, presetSources } from '../../data/generate/emit-presets.js';
import { generateDemoWorld, type GeneratedDemo } from '../../data/generate/index.js';
import { ingest } from '../../ingest/index.js';
import { openStore, type Store } from '../../pipeline/store.js';

let dir: string;
let demo: GeneratedDemo;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rma-emit-'));
  demo = await generateDemoWorld({ outDir: join(dir, 'demo'), routes: presetRoutes, emitters: presetEmitters });
  store = await openStore(join(dir, 'demo.duckdb'));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the demo world emits part of its RMAs as SAP QM, NetSuite and Shopify exports, and each ingests cleanly with its preset', async () => {
  const byFormat = Object.fromEntries(demo.files.map((f) => [f.format, f]));
  expect(Object.keys(byFormat).sort()).toEqual(['netsuite-ra', 'sap-qm', 'shopify-returns']);
  for (const f of demo.files) {
    expect(f.rows).toBeGreaterThan(5);
    const r = await ingest(store, [join(demo.outDir, f.path)], { format: f.format, source: f.source });
    expect({ format: f.format, ...r.totals }).toMatchObject({ format: f.format, rows_read: f.rows, inserted: f.rows, quarantined: 0 });
  }
  // Shopify ids beyond 2^53 survive exactly; SAP numbers keep their zeros; NetSuite order text is cut to the order number.
  const shopifyId = /"admin_graphql_api_id":"gid:\/\/shopify\/Return\/(\d+)"/.exec(readFileSync(join(demo.outDir, 'shopify-returns.ndjson'), 'utf8'))![1];
  expect(await store.one('SELECT rma_number FROM rma WHERE source = $1 AND rma_number = $2', [presetSources.shopify, shopifyId])).toEqual({ rma_number: shopifyId });
  expect(await store.one("SELECT count(*)::INTEGER AS n FROM rma WHERE source = 'sap-qm' AND rma_number LIKE '0003%'")).toEqual({ n: byFormat['sap-qm'].rows });
  expect(await store.one("SELECT count(*)::INTEGER AS n FROM rma WHERE source = 'netsuite' AND order_number LIKE '%#%'")).toEqual({ n: 0 });
  // Every SAP-routed defect carries its stated code mapped back from catalog/group/code.
  expect(await store.one("SELECT count(*)::INTEGER AS n FROM rma WHERE source = 'sap-qm' AND failure_code_stated IS NULL AND unmapped_values IS NOT NULL")).toEqual({ n: 0 });
});
