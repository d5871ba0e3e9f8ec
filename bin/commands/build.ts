import type { Command } from '../cli.js';
import { stringOption } from '../cli.js';
import { build } from '../../pipeline/build.js';
import { loadConfig } from '../../pipeline/config.js';
import { openStore } from '../../pipeline/store.js';

export const command: Command = {
  name: 'build',
  summary: 'rebuild every model and evaluate alerts as of a date (default today)',
  usage: 'rma-intel build [--as-of DATE] [--fail-on-alert] [--config FILE] [--db PATH] [--json]',
  options: {
    'as-of': { type: 'string' },
    'fail-on-alert': { type: 'boolean', default: false },
    config: { type: 'string' },
  },
  async run(ctx) {
    const config = loadConfig(stringOption(ctx, 'config'));
    const store = await openStore(ctx.db);
    try {
      const result = await build(store, {
        asOf: stringOption(ctx, 'as-of'),
        config,
        onModel: (m) => ctx.log(`built ${m.name}: ${m.rows} rows in ${m.ms} ms`),
      });
      ctx.print(result, () =>
        [
          `built ${result.models.length} models as of ${result.as_of}`,
          ...result.models.map((m) => `  ${m.name.padEnd(20)} ${String(m.rows).padStart(10)} rows ${String(m.ms).padStart(7)} ms`),
          `alerts: ${result.alerts.opened} opened, ${result.alerts.resolved} resolved, ${result.alerts.open} open`,
        ].join('\n'),
      );
      return ctx.values['fail-on-alert'] === true && result.alerts.open > 0 ? 1 : 0;
    } finally {
      await store.close();
    }
  },
};
