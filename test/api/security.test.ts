import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sign } from '../../api/signature.js';
import { bearer, openWorld, type TestWorld } from './helpers.js';
import { seedRmas } from './seed.js';

const secret = 'whsec-test';
let w: TestWorld;
let clock = new Date('2026-03-01T12:00:00Z');
beforeAll(async () => {
  w = await openWorld({ webhookSecret: secret, now: () => clock, bodyLimit: 64 * 1024, uploadLimit: 256 * 1024 });
  await seedRmas(w.store, 50);
});
afterAll(async () => {
  await w?.close();
});

const unix = (): number => Math.floor(clock.getTime() / 1000);
const record = (n: string, extra: Record<string, unknown> = {}) => ({ source: 'portal', rma_number: n, opened_at: '2026-02-20T10:00:00Z', sku: 'SKU-1', serial_number: `SN-${n}`, return_reason: 'defective', ...extra });
const intake = (body: string, headers: Record<string, string> = {}) =>
  w.app.inject({ method: 'POST', url: '/api/intake/canonical-json', payload: body, headers: { 'content-type': 'application/json', ...bearer(w.keys.ingest), ...headers } });

describe('signed portal intake', () => {
  test('a valid signature lands the records once; a replay is acknowledged and ingests nothing', async () => {
    const body = JSON.stringify([record('W-1'), record('W-2')]);
    const headers = { 'x-rma-signature': sign(secret, body, unix()), 'x-rma-payload-id': 'evt-1' };
    const first = await intake(body, headers);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ format: 'canonical-json', payload_id: 'evt-1', duplicate: false, totals: { rows_read: 2, inserted: 2 } });
    const count = async () => (await w.store.one<{ n: number }>("SELECT count(*) AS n FROM rma WHERE rma_number IN ('W-1', 'W-2')"))!.n;
    expect(await count()).toBe(2);
    const replay = await intake(body, headers);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ duplicate: true, run_id: first.json().run_id, totals: null });
    const runs = await w.store.one<{ n: number }>('SELECT count(DISTINCT run_id) AS n FROM ingest_runs');
    // Concurrent deliveries of one payload are serialised by the write queue: one ingests, the rest are duplicates.
    const again = await Promise.all([1, 2, 3].map(() => intake(body, { ...headers, 'x-rma-payload-id': 'evt-2' })));
    expect(again.map((r) => r.json().duplicate).sort()).toEqual([false, true, true]);
    expect((await w.store.one<{ n: number }>('SELECT count(DISTINCT run_id) AS n FROM ingest_runs'))!.n).toBe(runs!.n + 1);
    expect(await count()).toBe(2);
    expect((await w.store.one<{ n: number }>("SELECT count(*) AS n FROM intake_events WHERE payload_id IN ('evt-1', 'evt-2')"))!.n).toBe(2);
  });

  test('the body id makes a payload idempotent without the header', async () => {
    const body = JSON.stringify({ id: 'obj-9', ...record('W-9') });
    const a = await intake(body, { 'x-rma-signature': sign(secret, body, unix()) });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().payload_id).toBe('obj-9');
    const b = await intake(body, { 'x-rma-signature': sign(secret, body, unix()) });
    expect(b.json().duplicate).toBe(true);
  });

  test.each([
    ['stale (6 minutes old)', (body: string) => sign(secret, body, unix() - 360)],
    ['from the future', (body: string) => sign(secret, body, unix() + 360)],
    ['signed with another secret', (body: string) => sign('not-the-secret', body, unix())],
    ['signed over another body', () => sign(secret, JSON.stringify([record('OTHER')]), unix())],
    ['malformed', () => 'v1=deadbeef'],
    ['missing', () => undefined],
  ])('a %s signature is a 401 and ingests nothing', async (_name, signer) => {
    const body = JSON.stringify([record('BAD-1')]);
    const sig = signer(body);
    const r = await intake(body, sig ? { 'x-rma-signature': sig } : {});
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('RMA_ERR_BAD_SIGNATURE');
    expect((await w.store.one<{ n: number }>("SELECT count(*) AS n FROM rma WHERE rma_number = 'BAD-1'"))!.n).toBe(0);
  });

  test('a tampered body (one byte changed after signing) is a 401', async () => {
    const body = JSON.stringify([record('T-1')]);
    const sig = sign(secret, body, unix());
    const r = await intake(body.replace('T-1', 'T-2'), { 'x-rma-signature': sig });
    expect(r.statusCode).toBe(401);
  });

  test('a signed body that is not JSON is a 400; an unknown format is a 400; no key is a 401', async () => {
    const body = '{not json';
    expect((await intake(body, { 'x-rma-signature': sign(secret, body, unix()) })).statusCode).toBe(400);
    const other = await w.app.inject({ method: 'POST', url: '/api/intake/..%2f..%2fetc', payload: '[]', headers: { 'content-type': 'application/json', ...bearer(w.keys.ingest) } });
    expect(other.statusCode).toBe(400);
    const anon = await w.app.inject({ method: 'POST', url: '/api/intake/canonical-json', payload: '[]', headers: { 'content-type': 'application/json', 'x-rma-signature': sign(secret, '[]', unix()) } });
    expect(anon.statusCode).toBe(401);
  });
});

describe('uploads', () => {
  test('a multipart upload is ingested like the CLI would, answering with the client file name', async () => {
    const csv = 'source,rma_number,opened_at,sku,return_reason\nupload,U-1,2026-02-01T10:00:00Z,SKU-1,defective\nupload,U-2,not a date,SKU-1,defective\n';
    const form = new FormData();
    form.append('format', 'canonical-csv');
    form.append('file', new Blob([csv], { type: 'text/csv' }), '../../etc/rmas.csv');
    const req = new Request('http://x/api/ingest', { method: 'POST', body: form });
    const r = await w.app.inject({ method: 'POST', url: '/api/ingest', payload: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type')!, ...bearer(w.keys.ingest) } });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.files).toEqual([expect.objectContaining({ path: 'rmas.csv', format: 'canonical-csv', rows_read: 2 })]);
    expect(body.totals).toMatchObject({ rows_read: 2, inserted: 1, quarantined: 1 });
    const q = await w.app.inject({ url: `/api/quarantine?run=${body.run_id}`, headers: bearer(w.keys.ingest) });
    expect(q.json()).toHaveLength(1);
    expect(JSON.stringify(q.json()[0].reasons)).toContain('opened_at');
  });
});

describe('body size limits', () => {
  test('an oversized JSON body is a 413 in the error shape', async () => {
    const big = JSON.stringify({ role: 'viewer', name: 'x'.repeat(70 * 1024) });
    const r = await w.app.inject({ method: 'POST', url: '/api/keys', payload: big, headers: { 'content-type': 'application/json', ...bearer(w.keys.admin) } });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('RMA_ERR_PAYLOAD_TOO_LARGE');
  });
  test('an oversized webhook is a 413 before its signature is even checked', async () => {
    const body = JSON.stringify(Array.from({ length: 2000 }, (_, i) => record(`BIG-${i}`)));
    const r = await intake(body, { 'x-rma-signature': sign(secret, body, unix()) });
    expect(r.statusCode).toBe(413);
  });
  test('an oversized upload is a 413 and leaves nothing behind', async () => {
    const boundary = '----rmatest';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="../../big.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      Buffer.alloc(300 * 1024, 'a'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await w.app.inject({ method: 'POST', url: '/api/ingest', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...bearer(w.keys.ingest) } });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('RMA_ERR_PAYLOAD_TOO_LARGE');
  });
  test('a non-multipart upload is a 415', async () => {
    const r = await w.app.inject({ method: 'POST', url: '/api/ingest', payload: { a: 1 }, headers: bearer(w.keys.ingest) });
    expect(r.statusCode).toBe(415);
  });
});

describe('hostile requests get a 4xx, never a 5xx', () => {
  const hostile = [
    "/api/rmas?batch_id=' OR 1=1 --",
    '/api/rmas?batch_id=B1%27%3B%20DROP%20TABLE%20rma%3B--',
    '/api/rmas?sku=%00%00',
    '/api/rmas?firmware_version=%F0%9F%92%A5%E2%80%AE',
    '/api/rmas?failure_code=' + 'x'.repeat(5000),
    '/api/rmas?limit=99999999999999999999',
    '/api/rmas?limit=-1',
    '/api/rmas?limit=1e3',
    '/api/rmas?limit=abc',
    '/api/rmas?cursor=%7B%7D',
    '/api/rmas?cursor=' + Buffer.from('["a","b","c"]').toString('base64url'),
    '/api/rmas?batch_id=a&batch_id=b',
    '/api/batches/..%2f..%2fetc%2fpasswd',
    '/api/batches/%2e%2e%2f%2e%2e%2f',
    '/api/batches/' + 'x'.repeat(600),
    '/api/reports/..%2fpackage.json',
    '/api/reports/pareto?from=2026-13-45',
    '/api/reports/batches?sku[$gt]=',
    '/api/firmware/gate',
    '/api/firmware/gate?candidate=',
    '/api/reserve?from=13-2020',
    '/api/alerts?state=%27%20OR%201%3D1',
    '/api/quarantine?run=%27%3B%20DELETE%20FROM%20quarantine%3B--',
    '/../../etc/passwd',
    '/docs/..%2f..%2fpackage.json',
    '/docs/static/..%2f..%2f..%2fpackage.json',
    '/vendor/..%2f..%2fpackage.json',
  ];
  test.each(hostile)('GET %s', async (url) => {
    const r = await w.app.inject({ url, headers: bearer(w.keys.admin) });
    expect(r.statusCode, r.body.slice(0, 300)).toBeGreaterThanOrEqual(200);
    expect(r.statusCode, r.body.slice(0, 300)).toBeLessThan(500);
    if (r.statusCode >= 400) expect(r.json().error.code).toMatch(/^RMA_ERR_/);
    expect(r.body).not.toContain('"name": "rma-intel"');
  });
  test('SQL metacharacters are data: the table is intact and the filter matched nothing', async () => {
    const r = await w.app.inject({ url: "/api/rmas?batch_id=B1'%20OR%20'1'%3D'1", headers: bearer(w.keys.admin) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual([]);
    expect((await w.store.one<{ n: number }>("SELECT count(*) AS n FROM rma WHERE source = 'test'"))!.n).toBe(50);
  });
  test('hostile JSON bodies', async () => {
    for (const payload of ['{"role":"admin","__proto__":{"role":"admin"}}', '{"role":["admin"]}', 'null', '[]', '{"as_of":"2026-02-30"}']) {
      const r = await w.app.inject({ method: 'POST', url: payload.includes('as_of') ? '/api/build' : '/api/keys', payload, headers: { 'content-type': 'application/json', ...bearer(w.keys.admin) } });
      expect(r.statusCode, `${payload}: ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
    }
  });
});

describe('headers', () => {
  test('security headers on API, error and public answers; no-store on API JSON', async () => {
    for (const url of ['/healthz', '/api/rmas', '/api/nope', '/login']) {
      const r = await w.app.inject({ url, headers: bearer(w.keys.viewer) });
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(String(r.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      expect(String(r.headers['content-security-policy'])).not.toContain('unsafe-eval');
    }
    expect((await w.app.inject({ url: '/api/rmas', headers: bearer(w.keys.viewer) })).headers['cache-control']).toBe('no-store');
  });
  test('CORS is off unless configured', async () => {
    const r = await w.app.inject({ url: '/api/rmas', headers: { ...bearer(w.keys.viewer), origin: 'https://evil.example' } });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await w.app.inject({ method: 'OPTIONS', url: '/api/rmas', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('configured CORS and rate limits', () => {
  let v: TestWorld;
  beforeAll(async () => {
    v = await openWorld({ cors: { origins: ['https://qa.example'] }, rateLimit: { max: 5, timeWindow: 60_000 } });
  });
  afterAll(async () => {
    await v?.close();
  });
  test('only the listed origin gets CORS headers, preflight included', async () => {
    const ok = await v.app.inject({ method: 'OPTIONS', url: '/api/rmas', headers: { origin: 'https://qa.example', 'access-control-request-method': 'GET' } });
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://qa.example');
    const bad = await v.app.inject({ url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(bad.headers['access-control-allow-origin']).toBeUndefined();
  });
  test('a key past its rate limit gets 429 in the error shape; other keys are unaffected', async () => {
    const statuses: number[] = [];
    // The key's first request counts against its IP (the key is not verified yet); the next five against the key.
    for (let i = 0; i < 8; i++) statuses.push((await v.app.inject({ url: '/api/rmas', headers: bearer(v.keys.viewer) })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const limited = await v.app.inject({ url: '/api/rmas', headers: bearer(v.keys.viewer) });
    expect(limited.json().error.code).toBe('RMA_ERR_RATE_LIMITED');
    expect((await v.app.inject({ url: '/api/rmas', headers: bearer(v.keys.finance) })).statusCode).toBe(200);
  });
  test('made-up keys do not each get a fresh bucket: they share their IP\'s', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await v.app.inject({ url: '/api/rmas', remoteAddress: '10.9.9.9', headers: bearer(`rma_${'0'.repeat(11)}${i}_${'A'.repeat(43)}`) })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});
