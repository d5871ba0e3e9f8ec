import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingest, type IngestOptions } from '../../ingest/index.js';
import { openStore, type Store } from '../../pipeline/store.js';

export const fixture = (name: string): string => resolve('test/fixtures/ingest', name);

/** A fresh store in its own temp dir (no default taxonomy unless asked), removed by the returned cleanup. */
export async function tempStore(options: { taxonomy?: boolean } = {}): Promise<{ store: Store; dir: string; db: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rma-ingest-test-'));
  const db = join(dir, 'test.duckdb');
  const store = await openStore(db, { taxonomy: options.taxonomy ?? false });
  return {
    store,
    dir,
    db,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let written = 0;
/** Write CSV lines (header first) to a new file in dir and ingest it, as a user would drop a file in. */
export async function ingestLines(store: Store, dir: string, lines: string[], options: IngestOptions = {}): Promise<void> {
  const path = join(dir, `lines${++written}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  await ingest(store, [path], options);
}

export const count = async (store: Store, sql: string): Promise<number> => Number((await store.one<{ n: number }>(sql))?.n ?? 0);

/** Run the built CLI (npx tsc -p tsconfig.json first). */
export function cli(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [resolve('dist/bin/rma-intel.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
