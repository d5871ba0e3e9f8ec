import type { Command } from '../cli.js';
import { stringOption } from '../cli.js';
import { RmaError } from '../../pipeline/errors.js';
import { serve } from '../../api/serve.js';

function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new RmaError('RMA_ERR_USAGE', `--${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

export const command: Command = {
  name: 'serve',
  summary: 'HTTP API and dashboards; the server owns the database while it runs',
  usage: 'rma-intel serve [--host H] [--port P] [--build-every MINUTES] [--cors ORIGIN,...] [--no-rate-limit]',
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'build-every': { type: 'string' },
    cors: { type: 'string' },
    'no-rate-limit': { type: 'boolean', default: false },
  },
  async run(ctx) {
    const port = intOption(stringOption(ctx, 'port') ?? process.env.PORT, 'port', 0, 65535) ?? 3000;
    const buildEveryMinutes = intOption(stringOption(ctx, 'build-every'), 'build-every', 1, 10_080);
    const cors = stringOption(ctx, 'cors');
    const server = await serve({
      db: ctx.db,
      host: stringOption(ctx, 'host') ?? '127.0.0.1',
      port,
      buildEveryMinutes,
      cors: cors ? { origins: cors.split(',').map((o) => o.trim()).filter(Boolean) } : undefined,
      rateLimit: ctx.values['no-rate-limit'] === true ? false : undefined,
      log: ctx.log,
    });
    ctx.print({ url: server.url, db: server.store.path, pid: process.pid }, () => `rma-intel serving ${server.store.path} on ${server.url} (docs: ${server.url}/docs)`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        ctx.log('stopping…');
        void server.close().then(resolve, (e: unknown) => {
          ctx.log(`error while stopping: ${(e as Error).message}`);
          resolve();
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};
