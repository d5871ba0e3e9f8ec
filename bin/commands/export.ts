import type { Command } from '../cli.js';
import { stringOption } from '../cli.js';
import { exportParquet } from '../../ingest/export.js';
import { openStore } from '../../pipeline/store.js';

export const command: Command = {
  name: 'export',
  summary: 'the canonical tables and models as Parquet, Hive-partitioned by month',
  usage: 'rma-intel export --out DIR [--db PATH] [--json]',
  options: { out: { type: 'string' } },
  async run(ctx) {
    const out = stringOption(ctx, 'out', true);
    const store = await openStore(ctx.db, { readOnly: true });
    try {
      const tables = await exportParquet(store, out);
      ctx.print(tables, () => [
        `exported ${tables.length} tables to ${out}`,
        ...tables.map((t) => `  ${t.table.padEnd(28)} ${String(t.rows).padStart(10)} rows${t.month_from ? `  by month of ${t.month_from}` : ''}`),
      ].join('\n'));
      return 0;
    } finally {
      await store.close();
    }
  },
};
