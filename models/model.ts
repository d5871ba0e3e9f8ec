import type { DuckDBConnection } from '@duckdb/node-api';
import type { Store } from '../pipeline/store.js';

/**
 * The two kinds of model the build runner (models/runner.ts) knows, ordered by their declared inputs:
 *
 * - SQL models: `models/<name>.sql`, one SELECT materialised as table <name>, with a header
 *     /* model: <name>
 *        grain: <columns that are unique per row>
 *        inputs: <tables it reads>
 *        audits: unique(<cols>), not_null(<col>), between(<col>, 0, 1)
 *        <one-paragraph description> *\/
 *   The analysis date is `getvariable('as_of')` (a DATE); models never read the wall clock.
 *
 * - TypeScript models: `models/<name>.model.ts` exporting `model: TsModel` — inference on aggregates
 *   the SQL models produced (intervals, tests, fits from rma-intel/stats), writing table <name>.
 */
export interface BuildContext {
  /** Analysis date, 'YYYY-MM-DD'. */
  asOf: string;
  store: Store;
  config: BuildConfig;
}

export interface BuildConfig {
  /** Batch defect-rate threshold per SKU; default 0.02. */
  batchThreshold: (sku: string) => number;
  [key: string]: unknown;
}

export interface Audit {
  kind: 'unique' | 'not_null' | 'between';
  columns: string[];
  low?: number;
  high?: number;
}

export interface TsModel {
  name: string;
  grain: string[];
  inputs: string[];
  audits?: Audit[];
  description: string;
  run(conn: DuckDBConnection, ctx: BuildContext): Promise<void>;
}
