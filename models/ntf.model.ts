import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../pipeline/store.js';
import type { TsModel } from './model.js';
import { writeModelTable, type ColumnType } from './runner.js';
import { wilsonInterval } from './stats/index.js';

/**
 * No-trouble-found rate per dealer with a Wilson interval, against the rate over every dealer.
 * A dealer whose interval lies wholly above the overall rate sends back working units more often
 * than chance explains: a training gap, not a hardware problem.
 */

interface Counts {
  dealer_id: string;
  inspected: number;
  no_trouble_found: number;
  customer_damage: number;
  top_ntf_stated_code: string | null;
}

const columns: (readonly [string, ColumnType])[] = [
  ['dealer_id', 'VARCHAR'],
  ['inspected', 'BIGINT'],
  ['no_trouble_found', 'BIGINT'],
  ['ntf_rate', 'DOUBLE'],
  ['ci_low', 'DOUBLE'],
  ['ci_high', 'DOUBLE'],
  ['overall_rate', 'DOUBLE'],
  ['above_overall', 'BOOLEAN'],
  ['customer_damage', 'BIGINT'],
  ['top_ntf_stated_code', 'VARCHAR'],
];

export const model: TsModel = {
  name: 'ntf',
  grain: ['dealer_id'],
  inputs: ['models.ntf_counts'],
  audits: [
    { kind: 'between', columns: ['ntf_rate'], low: 0, high: 1 },
    { kind: 'between', columns: ['ci_low'], low: 0, high: 1 },
    { kind: 'between', columns: ['ci_high'], low: 0, high: 1 },
  ],
  description: 'NTF rate per dealer with a Wilson interval and a flag when it is above the overall rate.',
  async run(conn: DuckDBConnection): Promise<void> {
    const counts = await queryRows<Counts>(conn, 'SELECT * FROM models.ntf_counts ORDER BY dealer_id');
    const inspected = counts.reduce((n, c) => n + c.inspected, 0);
    const ntf = counts.reduce((n, c) => n + c.no_trouble_found, 0);
    const overall = inspected > 0 ? ntf / inspected : null;
    const rows = counts.map((c) => {
      const ci = wilsonInterval(c.no_trouble_found, c.inspected);
      return {
        ...c,
        ntf_rate: ci.estimate,
        ci_low: ci.low,
        ci_high: ci.high,
        overall_rate: overall,
        above_overall: overall !== null && ci.low > overall,
      };
    });
    await writeModelTable(conn, 'ntf', columns, rows);
  },
};
