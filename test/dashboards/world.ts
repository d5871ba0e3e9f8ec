import { fillBulkStore } from '../../data/generate/bulk.js';
import { build } from '../../pipeline/build.js';
import { openWorld, type TestWorld } from '../api/helpers.js';

export const asOf = '2026-06-30';

export type BuiltWorld = TestWorld;

/**
 * The API tests' world (a real DuckDB file, a key per role, the real app with the dashboards plugin),
 * filled with the SQL bulk generator and every model built as of 2026-06-30.
 */
export function openBuiltWorld(): Promise<BuiltWorld> {
  return openWorld({
    async prepare(store) {
      await fillBulkStore(store, { units: 8000, rmas: 500, batches: 8, asOf });
      await build(store, { asOf });
    },
  });
}
