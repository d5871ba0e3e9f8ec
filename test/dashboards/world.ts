import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.js';
import { createApiKey } from '../../api/keys.js';
import { fillBulkStore } from '../../data/generate/bulk.js';
import { build } from '../../pipeline/build.js';
import { openStore, type Store } from '../../pipeline/store.js';

export const asOf = '2026-06-30';

export interface BuiltWorld {
  dir: string;
  store: Store;
  app: FastifyInstance;
  keys: { viewer: string; finance: string };
  close(): Promise<void>;
}

/**
 * A real DuckDB file in a temp dir filled with the SQL bulk generator, every model built as of
 * 2026-06-30, a viewer and a finance key, and the real app (which registers the dashboards plugin).
 */
export async function openBuiltWorld(): Promise<BuiltWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'rma-dash-'));
  const store = await openStore(join(dir, 'rma.duckdb'));
  await fillBulkStore(store, { units: 8000, rmas: 500, batches: 8, asOf });
  await build(store, { asOf });
  const keys = {
    viewer: (await createApiKey(store, { role: 'viewer', name: 'dash-viewer' })).key,
    finance: (await createApiKey(store, { role: 'finance', name: 'dash-finance' })).key,
  };
  const app = await buildApp({ store, rateLimit: false });
  return {
    dir,
    store,
    app,
    keys,
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
