import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaVersion } from '../../pipeline/migrate.js';
import { RmaError } from '../../pipeline/errors.js';
import { openStore } from '../../pipeline/store.js';
import { cli, fixture } from '../ingest/helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rma-store-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Change a store behind rma-intel's back, as an older or newer version would have left it. */
async function tamper(db: string, sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(db);
  const conn = await instance.connect();
  try {
    await conn.run(sql);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

const version = async (db: string): Promise<number> => {
  const store = await openStore(db, { readOnly: true });
  try {
    return Number((await store.one<{ value: string }>("SELECT value FROM rma_intel_meta WHERE key = 'schema_version'"))?.value);
  } finally {
    await store.close();
  }
};

describe('the store', () => {
  it('records the schema version and uses UTC for the session', async () => {
    const db = join(dir, 'version.duckdb');
    const store = await openStore(db, { taxonomy: false });
    expect(await store.one("SELECT current_setting('TimeZone') AS tz")).toEqual({ tz: 'UTC' });
    expect(await store.one("SELECT TIMESTAMPTZ '2024-01-01 10:00:00+02:00' AS t")).toEqual({ t: '2024-01-01T08:00:00.000Z' });
    await store.close();
    expect(await version(db)).toBe(schemaVersion);
  });

  it('migrates an older store forward: missing columns come back, the version is bumped, data kept', async () => {
    const db = join(dir, 'old.duckdb');
    const store = await openStore(db, { taxonomy: false });
    await store.run("INSERT INTO batches (batch_id, sku) VALUES ('B-1', 'TX-35')");
    await store.close();
    await tamper(db, "ALTER TABLE rma DROP COLUMN cost_duties; ALTER TABLE batches DROP COLUMN factory_line; UPDATE rma_intel_meta SET value = '0' WHERE key = 'schema_version'");
    expect(await version(db)).toBe(0);
    const reopened = await openStore(db, { taxonomy: false });
    const cols = await reopened.all<{ table_name: string; column_name: string }>("SELECT table_name, column_name FROM duckdb_columns() WHERE column_name IN ('cost_duties', 'factory_line') ORDER BY 1");
    expect(cols).toEqual([{ table_name: 'batches', column_name: 'factory_line' }, { table_name: 'rma', column_name: 'cost_duties' }]);
    expect(await reopened.all('SELECT batch_id, factory_line FROM batches')).toEqual([{ batch_id: 'B-1', factory_line: null }]);
    await reopened.close();
    expect(await version(db)).toBe(schemaVersion);
  });

  it('syncs a store whose definitions drifted without a version bump (schema fingerprint)', async () => {
    const db = join(dir, 'drift.duckdb');
    await (await openStore(db, { taxonomy: false })).close();
    await tamper(db, "ALTER TABLE units DROP COLUMN unit_price; UPDATE rma_intel_meta SET value = 'stale' WHERE key = 'schema_fingerprint'");
    expect(await version(db)).toBe(schemaVersion);
    const reopened = await openStore(db, { taxonomy: false });
    expect(await reopened.all("SELECT column_name FROM duckdb_columns() WHERE table_name = 'units' AND column_name = 'unit_price'")).toEqual([{ column_name: 'unit_price' }]);
    await reopened.close();
  });

  it('refuses a store written by a newer version with a clear error', async () => {
    const db = join(dir, 'new.duckdb');
    await (await openStore(db, { taxonomy: false })).close();
    await tamper(db, `UPDATE rma_intel_meta SET value = '${schemaVersion + 1}' WHERE key = 'schema_version'`);
    const err = await openStore(db, { taxonomy: false }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(RmaError);
    expect((err as RmaError).code).toBe('RMA_ERR_DB_SCHEMA');
    expect((err as RmaError).message).toContain(`schema version ${schemaVersion + 1}, newer than this rma-intel (${schemaVersion})`);
  });

  it('a second writer gets a clear error naming the process that holds the file, exit 2, no hang', async () => {
    const db = join(dir, 'locked.duckdb');
    const child: ChildProcess = spawn(process.execPath, [resolve('test/ingest/children/hold-store.mjs'), db], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((ok, fail) => {
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('holding') && ok());
        child.on('exit', (code) => fail(new Error(`holder exited ${code}`)));
      });
      const err = await openStore(db).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(RmaError);
      expect((err as RmaError).code).toBe('RMA_ERR_DB_LOCKED');
      expect((err as RmaError).details.pid).toBe(child.pid);
      expect((err as RmaError).message).toContain(`is held by process ${child.pid}`);
      const started = Date.now();
      const r = cli(['ingest', fixture('basic.csv'), '--db', db]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`database ${db} is held by process ${child.pid}`);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
