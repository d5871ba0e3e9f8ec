import type { Command } from '../cli.js';
import { stringOption } from '../cli.js';
import { RmaError } from '../../pipeline/errors.js';
import { acknowledgeAlert, listAlerts } from '../../pipeline/alerts/index.js';
import { openStore } from '../../pipeline/store.js';

/** One alert as a line of text (shared by `alerts` and `demo`). */
export const alertLine = (a: Record<string, unknown>): string => {
  const value = typeof a.value === 'number' ? Math.round(a.value * 10000) / 10000 : a.value;
  const threshold = typeof a.threshold === 'number' ? Math.round(a.threshold * 10000) / 10000 : a.threshold;
  return `${a.id}  ${String(a.state).padEnd(12)} ${String(a.severity ?? '').padEnd(8)} ${a.rule} ${a.subject_type}=${a.subject_id}  ${a.metric} ${value} vs ${threshold}  since ${String(a.opened_at ?? '').slice(0, 10)}`;
};

export const command: Command = {
  name: 'alerts',
  summary: 'list alerts, or acknowledge one (alerts ack ID --note T)',
  usage: 'rma-intel alerts [--state open|acknowledged|resolved|all] | rma-intel alerts ack ID [--note T] [--db PATH] [--json]',
  options: {
    state: { type: 'string' },
    note: { type: 'string' },
  },
  async run(ctx) {
    const [sub, id, ...extra] = ctx.positionals;
    if (sub === 'ack') {
      if (!id) throw new RmaError('RMA_ERR_USAGE', 'alerts ack needs the alert ID (see rma-intel alerts)');
      if (extra.length) throw new RmaError('RMA_ERR_USAGE', `unexpected argument '${extra[0]}'`);
      const store = await openStore(ctx.db);
      try {
        const alert = await acknowledgeAlert(store, id, stringOption(ctx, 'note'));
        ctx.print(alert, () => `acknowledged ${alertLine(alert)}`);
        return 0;
      } finally {
        await store.close();
      }
    }
    if (sub !== undefined) throw new RmaError('RMA_ERR_USAGE', `unknown alerts subcommand '${sub}'; usage: ${this.usage}`);
    const store = await openStore(ctx.db, { readOnly: true });
    try {
      const rows = await listAlerts(store, stringOption(ctx, 'state') ?? 'open');
      ctx.print(rows, () => (rows.length ? rows.map(alertLine).join('\n') : '(no alerts)'));
      return 0;
    } finally {
      await store.close();
    }
  },
};
