import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serve, type RunningServer } from '../../api/serve.js';
import { createApiKey } from '../../api/keys.js';
import { openStore, serverMarkerPath } from '../../pipeline/store.js';

const cli = resolve('dist/bin/rma-intel.js');
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
// Each CLI start loads the whole package: on a busy 2-core machine that takes seconds.
const slow = 240_000;

let dir: string;
let db: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rma-serve-'));
  db = join(dir, 'rma.duckdb');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('keys command', () => {
  test('create prints the key once as JSON; list never shows it; revoke marks it', () => {
    const created = run(['keys', 'create', '--role', 'admin', '--name', 'ops', '--db', db, '--json']);
    expect(created.status, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout) as { name: string; role: string; key: string };
    expect(key).toMatchObject({ name: 'ops', role: 'admin' });
    expect(key.key).toMatch(/^rma_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const list = run(['keys', 'list', '--db', db, '--json']);
    expect(list.status).toBe(0);
    expect(list.stdout).not.toContain(key.key.slice(17));
    const bad = run(['keys', 'create', '--role', 'root', '--db', db]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown role 'root'");
    const revoked = run(['keys', 'revoke', 'ops', '--db', db, '--json']);
    expect(revoked.status).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ name: 'ops', revoked_at: expect.any(String) });
  }, slow);
});

describe('the server owns the database', () => {
  let server: RunningServer;
  let adminKey: string;
  beforeAll(async () => {
    const store = await openStore(db);
    adminKey = (await createApiKey(store, { role: 'admin', name: 'srv' })).key;
    server = await serve({ store, port: 0, rateLimit: false });
  });
  afterAll(async () => {
    await server?.close();
    await server?.store.close();
  });

  test('listens on loopback, answers real HTTP, and leaves a marker naming itself', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', db: 'ok' });
    const keys = await fetch(`${server.url}/api/keys`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(keys.status).toBe(200);
    expect(((await keys.json()) as { name: string }[]).map((k) => k.name)).toContain('srv');
    const marker = JSON.parse(readFileSync(serverMarkerPath(server.store.path), 'utf8'));
    expect(marker).toMatchObject({ pid: process.pid, url: server.url });
  });

  test('a CLI command against the held database fails fast and points at the server', () => {
    const r = run(['keys', 'create', '--role', 'viewer', '--db', db, '--json']);
    expect(r.status, r.stderr).toBe(2);
    expect(JSON.parse(r.stdout).error.code, r.stderr).toBe('RMA_ERR_DB_LOCKED');
    expect(r.stderr).toContain(server.url);
    expect(r.stderr).toContain('rma-intel server');
  }, slow);

  test('the same work goes through the API instead', async () => {
    const r = await fetch(`${server.url}/api/keys`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ role: 'viewer', name: 'via-api' }) });
    expect(r.status).toBe(201);
    const { key } = (await r.json()) as { key: string };
    expect((await fetch(`${server.url}/api/rmas`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });
});

describe('rma-intel serve', () => {
  test('prints its URL, serves, and on SIGTERM removes its marker and frees the database', async () => {
    const db2 = join(dir, 'served.duckdb');
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--db', db2, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) ok((JSON.parse(line) as { url: string }).url);
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => fail(new Error(`serve exited ${code}: ${err}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(existsSync(serverMarkerPath(db2))).toBe(true);
    const exited = new Promise<number | null>((ok) => child.on('exit', ok));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(serverMarkerPath(db2))).toBe(false);
    expect(run(['keys', 'list', '--db', db2, '--json']).status).toBe(0);
  }, slow);
});

describe('scheduled builds', () => {
  test('serve --build-every rebuilds inside the server, in its write queue', async () => {
    const db3 = join(dir, 'scheduled.duckdb');
    const store = await openStore(db3);
    const key = (await createApiKey(store, { role: 'viewer', name: 'v' })).key;
    const logs: string[] = [];
    // 0.01 minutes = 600 ms: the command line takes whole minutes, the library any positive number.
    const server = await serve({ store, port: 0, rateLimit: false, buildEveryMinutes: 0.01, log: (m) => logs.push(m) });
    try {
      const before = await fetch(`${server.url}/api/reports/batches`, { headers: { authorization: `Bearer ${key}` } });
      expect(before.status).toBe(404);
      const deadline = Date.now() + 60_000;
      while (!logs.some((l) => l.startsWith('scheduled build')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(logs.find((l) => l.startsWith('scheduled build'))).toMatch(/^scheduled build as of \d{4}-\d{2}-\d{2}: \d+ models/);
      const after = await fetch(`${server.url}/api/reports/batches`, { headers: { authorization: `Bearer ${key}` } });
      expect(after.status).toBe(200);
    } finally {
      await server.close();
      await store.close();
    }
  }, slow);
});
