import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../ingest/index.js';
import { openStore } from '../../pipeline/store.js';
import { fixture } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rma-kill-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const snapshot = async (db: string): Promise<Record<string, number>> => {
  const store = await openStore(db, { taxonomy: false });
  try {
    return (await store.one<Record<string, number>>(
      'SELECT (SELECT count(*) FROM rma) AS rma, (SELECT count(*) FROM landing) AS landing, (SELECT count(*) FROM quarantine) AS quarantine, (SELECT count(*) FROM ingest_runs) AS runs',
    ))!;
  } finally {
    await store.close();
  }
};

describe('a process killed in the middle of an ingest', () => {
  it('leaves the store exactly as it was before that file', async () => {
    const db = join(dir, 'kill.duckdb');
    const big = join(dir, 'big.csv');
    const gen = spawnSync(process.execPath, [resolve('test/ingest/children/generate.mjs'), big, '200000'], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const store = await openStore(db, { taxonomy: false });
    await ingest(store, [fixture('basic.csv')]);
    await store.close();
    const before = await snapshot(db);
    expect(before.rma).toBe(4);

    const child = spawn(process.execPath, [resolve('test/ingest/children/ingest-with-progress.mjs'), db, big], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const killedAt = await new Promise<string>((ok, fail) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        // 'validate' runs inside the file's transaction: staging is done, writes have begun.
        const m = /phase (validate|land|upsert)/.exec(out);
        if (m) {
          child.kill('SIGKILL');
          ok(m[1]);
        }
      });
      child.on('exit', () => fail(new Error(`child exited before it could be killed: ${out}`)));
    });
    await new Promise((ok) => child.on('close', ok));
    expect(out).not.toContain('finished');
    expect(['validate', 'land', 'upsert']).toContain(killedAt);
    expect(await snapshot(db)).toEqual(before);
  });
});
