import type { Command } from '../cli.js';
import { stringOption } from '../cli.js';
import { openStore } from '../../pipeline/store.js';
import { quarantineRows } from '../../ingest/quarantine.js';

export const command: Command = {
  name: 'quarantine',
  summary: 'rows rejected at ingest, with every problem found (file, row, column)',
  usage: 'rma-intel quarantine [--run ID] [--db PATH] [--json]',
  options: { run: { type: 'string' } },
  async run(ctx) {
    const store = await openStore(ctx.db, { readOnly: true });
    try {
      const rows = await quarantineRows(store, stringOption(ctx, 'run'));
      ctx.print(rows, () => rows.length
        ? rows.map((r) => `${r.file_path}, row ${r.row_number} (run ${r.run_id}):\n${r.reasons.map((x) => `    ${x.column}: ${x.problem}`).join('\n')}`).join('\n')
        : 'no quarantined rows');
      return 0;
    } finally {
      await store.close();
    }
  },
};
