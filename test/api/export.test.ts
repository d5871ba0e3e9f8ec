import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../../pipeline/store.js';
import { bearer, openWorld, type TestWorld } from './helpers.js';
import { seedRmas } from './seed.js';

let w: TestWorld;
const total = 1200;
beforeAll(async () => {
  w = await openWorld();
  await seedRmas(w.store, total);
});
afterAll(async () => {
  await w?.close();
});

const get = (url: string, key: string) => w.app.inject({ url, headers: bearer(key) });

describe('GET /api/export (what `rma-intel export` writes, over HTTP)', () => {
  test('lists the canonical tables, never the API key hashes', async () => {
    const r = await get('/api/export', w.keys.admin);
    expect(r.statusCode).toBe(200);
    const tables = (r.json() as { table: string; month_from: string | null }[]).map((t) => t.table);
    expect(tables).toEqual(expect.arrayContaining(['rma', 'units', 'quarantine', 'landing']));
    expect(tables).not.toContain('api_keys');
  });

  test('a table downloads as Parquet that reads back with the same rows', async () => {
    const r = await get('/api/export/rma', w.keys.admin);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.apache.parquet');
    const file = join(w.dir, 'rma-download.parquet');
    writeFileSync(file, r.rawPayload);
    const reader = await openStore(':memory:', { taxonomy: false });
    try {
      const back = await reader.one<{ n: number; keys: number }>(`SELECT count(*) AS n, count(DISTINCT rma_key) AS keys FROM read_parquet('${file}')`);
      expect(back).toEqual({ n: total, keys: total });
    } finally {
      await reader.close();
    }
  });

  test('admins only; unknown tables, key hashes and injected names are 4xx', async () => {
    for (const role of ['viewer', 'finance', 'product', 'ingest'] as const) expect((await get('/api/export/rma', w.keys[role])).statusCode).toBe(403);
    expect((await get('/api/export/api_keys', w.keys.admin)).statusCode).toBe(404);
    expect((await get('/api/export/nope', w.keys.admin)).statusCode).toBe(404);
    expect((await get(`/api/export/${encodeURIComponent('rma; DROP TABLE rma')}`, w.keys.admin)).statusCode).toBe(400);
    expect((await get('/api/export/..%2F..%2Fetc', w.keys.admin)).statusCode).toBe(400);
  });
});
