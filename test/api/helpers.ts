import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../api/app.js';
import { createApiKey, roles, type Role } from '../../api/keys.js';
import { openStore, type Store } from '../../pipeline/store.js';

export interface TestWorld {
  dir: string;
  store: Store;
  app: FastifyInstance;
  keys: Record<Role, string>;
  close(): Promise<void>;
}

/**
 * A real DuckDB file in a temp dir, one key per role, and the real app. `prepare` fills the store before
 * the app exists (e.g. bulk data and a build), so no cache sees the empty store.
 */
export async function openWorld(options: Partial<AppOptions> & { prepare?: (store: Store) => Promise<void> } = {}): Promise<TestWorld> {
  const { prepare, ...appOptions } = options;
  const dir = mkdtempSync(join(tmpdir(), 'rma-api-'));
  const store = await openStore(join(dir, 'rma.duckdb'));
  await prepare?.(store);
  const keys = {} as Record<Role, string>;
  for (const role of roles) keys[role] = (await createApiKey(store, { role, name: `${role}-test` })).key;
  const app = await buildApp({ store, rateLimit: false, ...appOptions });
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

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });
