import { rmSync, writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { openStore, serverMarkerPath, type ServerMarker, type Store } from '../pipeline/store.js';
import { buildApp, type AppOptions } from './app.js';
import { need } from './services.js';
import { WriteQueue } from './write-queue.js';

export interface ServeOptions extends Omit<AppOptions, 'store'> {
  /** An open read-write store (the caller keeps ownership), or … */
  store?: Store;
  /** … a database path the server opens and closes itself. */
  db?: string;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Rebuild every model this often (minutes), in the server's write queue; off when absent or 0. */
  buildEveryMinutes?: number;
  /** Where scheduled-build failures are reported; default stderr. */
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  store: Store;
  /** Stop listening, finish queued writes, remove the server marker, close the store if serve opened it. */
  close(): Promise<void>;
}

/**
 * Serve the API: the one owner of the database while it runs. It writes `<db>.server.json` (pid, url)
 * so a CLI command that finds the file locked names the server and its URL.
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  if (!options.store && !options.db) throw new Error('serve: pass store or db');
  const owned = !options.store;
  const store = options.store ?? (await openStore(options.db!));
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const writes = options.writes ?? new WriteQueue();
  let app: FastifyInstance;
  try {
    app = await buildApp({ ...options, store, writes });
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 3000 });
  } catch (e) {
    if (owned) await store.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const marker = store.path === ':memory:' ? undefined : serverMarkerPath(store.path);
  if (marker) writeFileSync(marker, `${JSON.stringify({ pid: process.pid, url, started_at: new Date().toISOString() } satisfies ServerMarker)}\n`);

  let timer: NodeJS.Timeout | undefined;
  if (options.buildEveryMinutes && options.buildEveryMinutes > 0) {
    timer = setInterval(() => {
      // Skip a tick rather than pile builds up behind a slow one.
      if (writes.size > 0) return;
      writes
        .run(() => need(app.rma.services, 'build')(store, {}))
        .then((r) => log(`scheduled build as of ${r.as_of}: ${r.models.length} models, ${r.alerts.open} open alerts`))
        .catch((e: unknown) => log(`scheduled build failed: ${(e as Error).message}`));
    }, options.buildEveryMinutes * 60_000);
    timer.unref();
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      if (timer) clearInterval(timer);
      await app.close();
      await writes.idle();
      if (marker) rmSync(marker, { force: true });
      if (owned) await store.close();
    })());
  return { url, app, store, close };
}
