import { existsSync } from 'node:fs';
import { assetPath } from '../pipeline/paths.js';
import type { Store } from '../pipeline/store.js';
import { ingestFile, preflight } from './engine.js';
import { newRunId } from './index.js';
import { getFormat } from './registry.js';

export const defaultTaxonomyPath = (): string => assetPath('data', 'taxonomy', 'failure-codes.csv');

/**
 * Load the default failure-code taxonomy (failure-codes-csv) when the store has none: on creation, or at
 * the first open of a store whose failure_codes is empty. Returns the codes loaded (0 when nothing to do).
 */
export async function ensureTaxonomy(store: Store, path = defaultTaxonomyPath()): Promise<number> {
  const row = await store.one<{ n: number }>('SELECT count(*) AS n FROM failure_codes');
  if (Number(row?.n ?? 0) > 0 || !existsSync(path)) return 0;
  const result = await ingestFile(store, {
    path,
    format: await getFormat('failure-codes-csv'),
    scan: await preflight(path),
    runId: newRunId(),
    fileIndex: 0,
    source: 'rma-intel-default-taxonomy',
  });
  return result.inserted;
}
