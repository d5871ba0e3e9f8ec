import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultTaxonomyPath, ensureTaxonomy } from '../../ingest/taxonomy.js';
import { openStore, type Store } from '../../pipeline/store.js';
import { count, fixture, tempStore } from './helpers.js';

let store: Store;
let db: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, db, cleanup } = await tempStore()));
afterEach(async () => cleanup());

describe('default failure-code taxonomy', () => {
  it('loads a failure-codes-csv into an empty failure_codes table, once', async () => {
    expect(await ensureTaxonomy(store, fixture('taxonomy-standin.csv'))).toBe(3);
    expect(await store.all('SELECT code, category, default_resolution FROM failure_codes ORDER BY code')).toEqual([
      { code: 'PWR-01', category: 'power/battery', default_resolution: 'repair' },
      { code: 'SEAL-01', category: 'sealing/fogging', default_resolution: 'replace' },
      { code: 'ZERO-01', category: 'zeroing/profiles', default_resolution: 'education' },
    ]);
    expect(await ensureTaxonomy(store, fixture('taxonomy-standin.csv'))).toBe(0);
    expect(await count(store, 'SELECT count(*) AS n FROM ingest_runs')).toBe(1);
  });

  it('a new store opened normally gets the shipped taxonomy (data/taxonomy/failure-codes.csv) with lineage', async () => {
    if (!existsSync(defaultTaxonomyPath())) return; // the demo-world file is another engineer's; the stand-in test covers the loader
    await store.close();
    const opened = await openStore(db);
    try {
      const expected = await count(opened, `SELECT count(*) AS n FROM read_csv('${defaultTaxonomyPath()}', all_varchar = true)`);
      expect(expected).toBeGreaterThan(0);
      expect(await count(opened, 'SELECT count(*) AS n FROM failure_codes')).toBe(expected);
      expect(await opened.one("SELECT format, source, quarantined FROM ingest_runs")).toEqual({ format: 'failure-codes-csv', source: 'rma-intel-default-taxonomy', quarantined: 0 });
    } finally {
      await opened.close();
    }
    store = await openStore(db); // reopened: nothing loaded twice
    expect(await count(store, 'SELECT count(*) AS n FROM ingest_runs')).toBe(1);
  });
});
