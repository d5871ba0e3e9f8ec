import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { grants, allowedRoles, type Access } from '../../api/auth.js';
import { roles, revokeApiKey, createApiKey } from '../../api/keys.js';
import { sign } from '../../api/signature.js';
import { bearer, openWorld, type TestWorld } from './helpers.js';

let w: TestWorld;
beforeAll(async () => {
  w = await openWorld({ webhookSecret: 'test-secret' });
});
afterAll(async () => {
  await w?.close();
});

interface RouteCase {
  method: 'GET' | 'POST';
  url: string;
  path: string;
  access: Access[];
  payload?: unknown;
  headers?: () => Record<string, string>;
}

const intakeBody = '[]';

/** Every route of CONTRACT §5 and its access; the OpenAPI test below checks nothing is missing. */
const cases: RouteCase[] = [
  { method: 'GET', url: '/api/batches', path: '/api/batches', access: ['viewer'] },
  { method: 'GET', url: '/api/batches/B1', path: '/api/batches/{batch_id}', access: ['viewer'] },
  { method: 'GET', url: '/api/firmware', path: '/api/firmware', access: ['viewer'] },
  { method: 'GET', url: '/api/firmware/gate?candidate=2.4.1', path: '/api/firmware/gate', access: ['product'] },
  { method: 'GET', url: '/api/reserve', path: '/api/reserve', access: ['finance'] },
  { method: 'GET', url: '/api/reports/pareto', path: '/api/reports/{name}', access: ['viewer'] },
  { method: 'GET', url: '/api/reports/reserve', path: '/api/reports/{name}', access: ['finance'] },
  { method: 'GET', url: '/api/rmas', path: '/api/rmas', access: ['viewer'] },
  { method: 'GET', url: '/api/alerts', path: '/api/alerts', access: ['viewer'] },
  { method: 'POST', url: '/api/alerts/1/ack', path: '/api/alerts/{id}/ack', access: ['product', 'finance'], payload: {} },
  { method: 'GET', url: '/api/quarantine', path: '/api/quarantine', access: ['ingest'] },
  { method: 'POST', url: '/api/intake/canonical-json', path: '/api/intake/{format}', access: ['ingest'], payload: intakeBody, headers: () => ({ 'content-type': 'application/json', 'x-rma-signature': sign('test-secret', intakeBody, Math.floor(Date.now() / 1000)) }) },
  { method: 'POST', url: '/api/ingest', path: '/api/ingest', access: ['ingest'], payload: {} },
  { method: 'POST', url: '/api/build', path: '/api/build', access: ['ingest'], payload: { as_of: 'not-a-date' } },
  { method: 'GET', url: '/api/keys', path: '/api/keys', access: ['admin'] },
  { method: 'GET', url: '/api/export', path: '/api/export', access: ['admin'] },
  { method: 'GET', url: '/api/export/rma', path: '/api/export/{table}', access: ['admin'] },
  { method: 'GET', url: '/api/dashboards', path: '/api/dashboards', access: ['viewer'] },
  { method: 'GET', url: '/api/dashboards/batch-quality', path: '/api/dashboards/{name}', access: ['viewer'] },
  { method: 'GET', url: '/api/dashboards/reserve-burn', path: '/api/dashboards/{name}', access: ['finance'] },
  { method: 'POST', url: '/api/keys', path: '/api/keys', access: ['admin'], payload: { role: 'nobody' } },
  { method: 'POST', url: '/api/keys/nobody/revoke', path: '/api/keys/{name}/revoke', access: ['admin'] },
];

describe('every route × every role', () => {
  for (const c of cases) {
    test(`${c.method} ${c.url}: 401 without a key`, async () => {
      const r = await w.app.inject({ method: c.method, url: c.url, payload: c.payload as object, headers: c.headers?.() });
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('RMA_ERR_UNAUTHORIZED');
    });
    for (const role of roles) {
      const allowed = allowedRoles(c.access).includes(role);
      test(`${c.method} ${c.url} as ${role}: ${allowed ? 'allowed' : '403'}`, async () => {
        const r = await w.app.inject({ method: c.method, url: c.url, payload: c.payload as object, headers: { ...c.headers?.(), ...bearer(w.keys[role]) } });
        if (allowed) {
          expect([401, 403]).not.toContain(r.statusCode);
          // A route may answer 503 when the store has no build yet; never another 5xx. Success bodies need not be JSON (Parquet).
          if (r.statusCode >= 500) expect([r.statusCode, r.json().error?.code]).toEqual([503, 'RMA_ERR_NOT_AVAILABLE']);
        } else {
          expect(r.statusCode).toBe(403);
          expect(r.json().error.code).toBe('RMA_ERR_FORBIDDEN');
        }
      });
    }
  }

  test('the matrix covers every route in the OpenAPI document', async () => {
    const doc = (await w.app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const covered = new Set(cases.map((c) => `${c.method} ${c.path}`));
    const missing = documented.filter((r) => r !== 'GET /healthz' && !covered.has(r));
    expect(missing).toEqual([]);
  });

  test('grants follow the contract: money for finance and admin, the gate for product, intake for ingest', () => {
    expect(grants.finance).toEqual(['finance', 'admin']);
    expect(grants.product).toEqual(['product', 'admin']);
    expect(grants.viewer).not.toContain('ingest');
    expect(grants.ingest).toEqual(['ingest', 'admin']);
  });
});

describe('keys', () => {
  test('are stored as scrypt hashes, never in clear', async () => {
    const rows = await w.store.all<{ name: string; key_id: string; salt: string; hash: string }>('SELECT name, key_id, salt, hash FROM api_keys');
    expect(rows.length).toBeGreaterThanOrEqual(roles.length);
    for (const row of rows) {
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.salt).toMatch(/^[0-9a-f]{32}$/);
    }
    const secret = w.keys.viewer.split('_').slice(2).join('_');
    const dump = JSON.stringify(await w.store.all('SELECT * FROM api_keys'));
    expect(dump).not.toContain(secret);
  });

  test.each([
    ['a malformed key', 'Bearer nonsense'],
    ['a right id with a wrong secret', () => `Bearer ${w.keys.admin.slice(0, 17)}${'A'.repeat(43)}`],
    ['a basic auth header', 'Basic YWRtaW46YWRtaW4='],
    ['an empty bearer', 'Bearer '],
  ])('refuse %s with 401', async (_name, header) => {
    const authorization = typeof header === 'function' ? header() : header;
    const r = await w.app.inject({ url: '/api/rmas', headers: { authorization } });
    expect(r.statusCode).toBe(401);
  });

  test('a revoked key stops working at once (through the API)', async () => {
    const k = await createApiKey(w.store, { role: 'viewer', name: 'to-revoke' });
    expect((await w.app.inject({ url: '/api/rmas', headers: bearer(k.key) })).statusCode).toBe(200);
    const r = await w.app.inject({ method: 'POST', url: '/api/keys/to-revoke/revoke', headers: bearer(w.keys.admin) });
    expect(r.statusCode).toBe(200);
    expect(r.json().revoked_at).toBeTruthy();
    expect((await w.app.inject({ url: '/api/rmas', headers: bearer(k.key) })).statusCode).toBe(401);
  });

  test('a key revoked in the store is refused once its cache entry is forgotten', async () => {
    const k = await createApiKey(w.store, { role: 'viewer', name: 'to-revoke-2' });
    expect((await w.app.inject({ url: '/api/rmas', headers: bearer(k.key) })).statusCode).toBe(200);
    await revokeApiKey(w.store, 'to-revoke-2');
    w.app.rma.keys.forget();
    expect((await w.app.inject({ url: '/api/rmas', headers: bearer(k.key) })).statusCode).toBe(401);
  });

  test('admins create keys through the API; the key works and is shown once', async () => {
    const r = await w.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(w.keys.admin), payload: { role: 'finance', name: 'cfo' } });
    expect(r.statusCode).toBe(201);
    const { key, role, name } = r.json();
    expect([role, name]).toEqual(['finance', 'cfo']);
    expect((await w.app.inject({ url: '/api/reserve', headers: bearer(key) })).statusCode).not.toBe(403);
    const list = (await w.app.inject({ url: '/api/keys', headers: bearer(w.keys.admin) })).json() as Record<string, unknown>[];
    expect(list.find((k) => k.name === 'cfo')).toMatchObject({ role: 'finance', revoked_at: null });
    expect(JSON.stringify(list)).not.toContain(key.split('_').slice(2).join('_'));
    const again = await w.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(w.keys.admin), payload: { role: 'finance', name: 'cfo' } });
    expect(again.statusCode).toBe(409);
  });
});

describe('browser sessions', () => {
  test('/login sets an HttpOnly SameSite=Strict cookie that GET pages accept, but not writes', async () => {
    const form = await w.app.inject('/login?next=/dashboards/');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<form method="post" action="/login">');
    const bad = await w.app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'key=wrong&next=/api/rmas' });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['set-cookie']).toBeUndefined();
    const ok = await w.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ key: w.keys.product, next: '/api/rmas' }).toString(),
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/api/rmas');
    const setCookie = String(ok.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = setCookie.split(';')[0];
    expect((await w.app.inject({ url: '/api/rmas', headers: { cookie } })).statusCode).toBe(200);
    // A cookie alone never authorises a write (no cross-site request forgery even if SameSite fails).
    const write = await w.app.inject({ method: 'POST', url: '/api/alerts/1/ack', headers: { cookie }, payload: {} });
    expect(write.statusCode).toBe(401);
    const page = await w.app.inject('/dashboards/');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fdashboards%2F');
    const withCookie = await w.app.inject({ url: '/dashboards/', headers: { cookie } });
    expect(withCookie.statusCode).toBe(200);
    expect(withCookie.headers['content-type']).toMatch(/^text\/html/);
    const evil = await w.app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ key: w.keys.viewer, next: '//evil.example/' }).toString() });
    expect(evil.headers.location).toBe('/dashboards/');
  });
});
