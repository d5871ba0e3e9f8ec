import { existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createApiKey } from '../../api/keys.js';
import { serve } from '../../api/serve.js';
import { defaultDemoSeed, generateDemoWorld } from '../../data/generate/index.js';
import { ingest } from '../../ingest/index.js';
import { build } from '../../pipeline/build.js';
import { RmaError } from '../../pipeline/errors.js';
import { openStore } from '../../pipeline/store.js';
import type { Command, CommandContext } from '../cli.js';
import { stringOption } from '../cli.js';
import { alertLine } from './alerts.js';
import { listAlerts } from '../../pipeline/alerts/index.js';

function intOption(ctx: CommandContext, name: string, fallback: number, min: number, max: number): number {
  const raw = stringOption(ctx, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new RmaError('RMA_ERR_USAGE', `--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return n;
}

export const command: Command = {
  name: 'demo',
  summary: 'generate the seeded demo world, ingest it, build every model, evaluate alerts and serve the dashboards',
  usage: 'rma-intel demo [--out DIR] [--seed N] [--port P] [--host H] [--no-serve] [--fresh]',
  options: {
    out: { type: 'string' },
    seed: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'no-serve': { type: 'boolean', default: false },
    // The demo adds to the database it is given; --fresh starts it over (only the file named by --db).
    fresh: { type: 'boolean', default: false },
  },
  async run(ctx) {
    const seed = intOption(ctx, 'seed', defaultDemoSeed, 0, 2 ** 31 - 1);
    const port = intOption(ctx, 'port', Number(process.env.PORT ?? 3000), 0, 65535);
    const outDir = resolve(stringOption(ctx, 'out') ?? join('data', 'demo'));
    const demo = await generateDemoWorld({ outDir, seed });
    ctx.log(`demo world (seed ${seed}, as of ${demo.asOf}): ${demo.files.length} files in ${relative(process.cwd(), outDir) || '.'} (${demo.ms} ms); ground truth ${relative(process.cwd(), demo.groundTruthPath)}`);

    if (ctx.values.fresh === true) for (const f of [ctx.db, `${ctx.db}.wal`]) if (existsSync(f)) rmSync(f);
    const store = await openStore(ctx.db);
    let keepOpen = false;
    try {
      // One file at a time, in the order the emitters give (reference data, then exports oldest first),
      // so a later export's newer version of an RMA updates the earlier one.
      const totals = { rows_read: 0, inserted: 0, updated: 0, unchanged: 0, quarantined: 0 };
      for (const file of demo.files) {
        const result = await ingest(store, [join(outDir, file.path)], { format: file.format, source: file.source });
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += result.totals[k];
        ctx.log(`  ingested ${file.path}: ${result.totals.inserted} inserted, ${result.totals.updated} updated, ${result.totals.unchanged} unchanged, ${result.totals.quarantined} quarantined`);
      }
      // The analysis date comes from the world, not the clock, so the demo is reproducible. The build links
      // cross-source duplicates and suggests codes from free text first.
      const built = await build(store, { asOf: demo.asOf, onModel: (m) => ctx.log(`  built ${m.name}`) });
      const alerts = await listAlerts(store, 'open');
      const summary = { seed, out: outDir, as_of: built.as_of, ingest: totals, models: built.models.length, alerts: built.alerts, open_alerts: alerts };
      if (ctx.values['no-serve'] === true) {
        ctx.print(summary, () => demoText(summary, alerts));
        return 0;
      }
      const admin = await createApiKey(store, { role: 'admin', name: `demo-admin-${Date.now().toString(36)}` });
      const server = await serve({ store, host: stringOption(ctx, 'host') ?? '127.0.0.1', port, log: ctx.log });
      keepOpen = true;
      ctx.print({ ...summary, url: server.url, admin_key: admin.key }, () =>
        `${demoText(summary, alerts)}\n\nserving on ${server.url}/dashboards/  (API docs ${server.url}/docs)\nadmin key (shown once): ${admin.key}\nlog in at ${server.url}/login or send "Authorization: Bearer <key>"; Ctrl-C stops.`);
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          ctx.log('stopping…');
          void server.close().then(() => store.close()).then(done, () => done());
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      return 0;
    } finally {
      if (!keepOpen) await store.close();
    }
  },
};

function demoText(summary: { as_of: string; ingest: Record<string, number>; models: number }, alerts: Record<string, unknown>[]): string {
  const i = summary.ingest;
  const lines = [
    `demo as of ${summary.as_of}: ${i.rows_read} rows read, ${i.inserted} inserted, ${i.updated} updated, ${i.unchanged} unchanged, ${i.quarantined} quarantined; ${summary.models} models built`,
    `${alerts.length} open alert(s):`,
    ...alerts.map((a) => `  ${alertLine(a)}`),
  ];
  return lines.join('\n');
}
