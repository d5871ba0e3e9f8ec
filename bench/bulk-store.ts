/**
 * A bulk store for the build and API benchmarks, filled once per shape and kept in bench/out/cache: filling
 * 50 million units takes minutes, so later runs (and the second benchmark of a run) start from a copy. The
 * cache key covers the shape and the code that decides the file's contents (the generator and the table
 * definitions), so a changed generator or schema fills afresh.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillBulkStore, type BulkStoreCounts } from '../data/generate/bulk.js';
import { packageRoot } from '../pipeline/paths.js';
import { openStore, type Store } from '../pipeline/store.js';

const compiledRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = process.env.RMA_BENCH_CACHE ?? join(packageRoot, 'bench', 'out', 'cache');
const contentSources = ['data/generate/bulk.js', 'pipeline/schema/tables.js', 'pipeline/migrate.js'];

function cacheKey(shape: BulkStoreCounts): string {
  const h = createHash('sha256').update(JSON.stringify(shape));
  for (const f of contentSources) h.update(readFileSync(join(compiledRoot, f)));
  return h.digest('hex').slice(0, 16);
}

export interface BulkStore {
  store: Store;
  counts: Record<string, number>;
  /** Time to fill (or to copy from the cache). */
  ms: number;
  fromCache: boolean;
}

/** Open a filled bulk store at path (a new file): a copy of the cached one, or filled now and then cached. */
export async function openBulkStore(path: string, shape: BulkStoreCounts): Promise<BulkStore> {
  const started = performance.now();
  const key = cacheKey(shape);
  const cached = join(cacheDir, `bulk-${key}.duckdb`);
  const countsFile = `${cached}.json`;
  if (existsSync(cached) && existsSync(countsFile)) {
    copyFileSync(cached, path);
    const store = await openStore(path);
    return { store, counts: JSON.parse(readFileSync(countsFile, 'utf8')) as Record<string, number>, ms: performance.now() - started, fromCache: true };
  }
  let store = await openStore(path);
  const counts = await fillBulkStore(store, shape);
  const ms = performance.now() - started;
  // A closed file is complete (checkpointed, no WAL), so a plain copy is a valid database.
  await store.close();
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(path, `${cached}.partial`);
  renameSync(`${cached}.partial`, cached);
  writeFileSync(countsFile, JSON.stringify(counts));
  store = await openStore(path);
  return { store, counts, ms, fromCache: false };
}
