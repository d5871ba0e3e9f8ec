import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, openWorld, type TestWorld } from './helpers.js';
import { seedRmas } from './seed.js';

let w: TestWorld;
const total = 2500;
beforeAll(async () => {
  w = await openWorld();
  await seedRmas(w.store, total);
});
afterAll(async () => {
  await w?.close();
});

const get = (url: string, key: string, headers: Record<string, string> = {}) => w.app.inject({ url, headers: { ...bearer(key), ...headers } });

describe('GET /api/rmas', () => {
  test('pages through every record once with the cursor, in key order', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/api/rmas?limit=1000';
    let pages = 0;
    while (url) {
      const r = await get(url, w.keys.viewer);
      expect(r.statusCode).toBe(200);
      const rows = r.json() as { rma_key: string }[];
      seen.push(...rows.map((x) => x.rma_key));
      url = r.headers.link ? /<([^>]+)>; rel="next"/.exec(String(r.headers.link))![1] : undefined;
      if (url) expect(r.headers['x-next-cursor']).toBeTruthy();
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect([...seen].sort()).toEqual(seen);
  });

  test('default page is 100; above 1000 is a 400', async () => {
    expect((await get('/api/rmas', w.keys.viewer)).json()).toHaveLength(100);
    const r = await get('/api/rmas?limit=1001', w.keys.viewer);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('RMA_ERR_USAGE');
  });

  test('filters narrow the records and each carries its lineage', async () => {
    const r = await get('/api/rmas?batch_id=B3&firmware_version=2.4.1&failure_code=PWR-01&limit=1000', w.keys.viewer);
    const rows = r.json() as Record<string, unknown>[];
    const expected = await w.store.one<{ n: number }>("SELECT count(*) AS n FROM rma WHERE batch_id = 'B3' AND firmware_version = '2.4.1' AND failure_code_verified = 'PWR-01'");
    expect(rows.length).toBe(expected!.n);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect([row.batch_id, row.firmware_version, row.failure_code_verified]).toEqual(['B3', '2.4.1', 'PWR-01']);
    expect(rows[0].lineage).toMatchObject({ run_id: 'run-1', file_sha256: 'abc123', file_path: 'seed.csv', format: 'canonical-csv' });
    expect(rows[0].lineage).toHaveProperty('source_row');
  });

  test('money columns only for finance and admin; internal columns never', async () => {
    const viewer = (await get('/api/rmas?limit=1', w.keys.viewer)).json()[0];
    const finance = (await get('/api/rmas?limit=1', w.keys.finance)).json()[0];
    expect(viewer).not.toHaveProperty('cost_labor');
    expect(finance.cost_labor).toBe(12.5);
    for (const row of [viewer, finance]) {
      expect(row).not.toHaveProperty('record_hash');
      expect(row).not.toHaveProperty('duplicate_of');
    }
    const csv = (await get('/api/rmas?limit=5', w.keys.viewer, { accept: 'text/csv' })).body;
    expect(csv.split('\r\n')[0]).not.toContain('cost_labor');
  });

  test('answers CSV with formulas neutralised, and Arrow IPC, by Accept', async () => {
    const csv = await get('/api/rmas?limit=20', w.keys.viewer, { accept: 'text/csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(21);
    expect(lines[0].split(',')[0]).toBe('rma_key');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const arrow = await get('/api/rmas?limit=20', w.keys.viewer, { accept: 'application/vnd.apache.arrow.stream' });
    expect(arrow.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(arrow.rawPayload);
    expect(table.numRows).toBe(20);
    expect(table.getChild('rma_key')!.get(0)).toBe('test::000000:1');
    const no = await get('/api/rmas', w.keys.viewer, { accept: 'image/png' });
    expect(no.statusCode).toBe(406);
    expect(no.json().error.code).toBe('RMA_ERR_USAGE');
  });
});

describe('GET /api/quarantine', () => {
  test('pages rejected rows in SQL with raw rows and reasons', async () => {
    await w.store.run(`INSERT INTO quarantine (run_id, source, file_path, row_number, raw, reasons, quarantined_at)
      SELECT 'run-q', 'test', 'bad.csv', i, '{"opened_at":"31/31/2025"}', '[{"column":"opened_at","problem":"not a date"}]', now() FROM range(1, 151) AS t(i)`);
    const first = await get('/api/quarantine?run=run-q&limit=100', w.keys.ingest);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toHaveLength(100);
    expect(first.json()[0]).toMatchObject({ run_id: 'run-q', row_number: 1, raw: { opened_at: '31/31/2025' }, reasons: [{ column: 'opened_at', problem: 'not a date' }] });
    const second = await get(`/api/quarantine?run=run-q&limit=100&cursor=${first.headers['x-next-cursor']}`, w.keys.ingest);
    expect(second.json().map((r: { row_number: number }) => r.row_number)).toEqual(Array.from({ length: 50 }, (_, i) => i + 101));
    expect(second.headers['x-next-cursor']).toBeUndefined();
  });
});

describe('errors', () => {
  test('unknown routes answer the error shape', async () => {
    const r = await get('/api/nope', w.keys.viewer);
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'RMA_ERR_NOT_FOUND', message: expect.any(String), details: {} } });
  });
  test('reports before the first build say so with a 404 in the error shape', async () => {
    const r = await get('/api/reports/pareto', w.keys.viewer);
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('RMA_ERR_NOT_FOUND');
  });
});

describe('after POST /api/build', () => {
  beforeAll(async () => {
    const r = await w.app.inject({ method: 'POST', url: '/api/build', headers: bearer(w.keys.ingest), payload: { as_of: '2026-01-01' } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().as_of).toBe('2026-01-01');
  });

  test('GET /api/batches answers the batch rows, filtered and paged', async () => {
    const all = (await get('/api/batches', w.keys.viewer)).json() as { batch_id: string; sku: string; returns: number }[];
    expect(all.map((b) => b.batch_id)).toEqual(['B0', 'B1', 'B2', 'B3', 'B4']);
    expect(all.reduce((n, b) => n + b.returns, 0)).toBe(total);
    const sku = (await get('/api/batches?sku=SKU-1', w.keys.viewer)).json() as { sku: string }[];
    expect(sku.length).toBeGreaterThan(0);
    expect(sku.every((b) => b.sku === 'SKU-1')).toBe(true);
    const first = await get('/api/batches?limit=2', w.keys.viewer);
    expect(first.json()).toHaveLength(2);
    const rest = await get(`/api/batches?limit=10&cursor=${first.headers['x-next-cursor']}`, w.keys.viewer);
    expect(rest.json().map((b: { batch_id: string }) => b.batch_id)).toEqual(['B2', 'B3', 'B4']);
    const csv = await get('/api/batches', w.keys.viewer, { accept: 'text/csv' });
    expect(csv.body.split('\r\n')[0]).toBe('batch_id,sku,units_shipped,unit_days,returns,confirmed_defects,pending,no_trouble_found,defect_rate,ci_low,ci_high,projected_rate,threshold,status');
  });

  test('GET /api/batches/:batch_id answers the batch, its RMAs and a cumulative time-to-return curve', async () => {
    const r = await get('/api/batches/B1?limit=50', w.keys.viewer);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.batch.batch_id).toBe('B1');
    expect(body.rmas).toHaveLength(50);
    expect(body.rmas.every((x: { batch_id: string }) => x.batch_id === 'B1')).toBe(true);
    expect(body.next_cursor).toBeTruthy();
    const curve = body.time_to_return as { age_months: number; returns: number; cumulative_returns: number; cumulative_rate: number }[];
    expect(curve.reduce((n, p) => n + p.returns, 0)).toBe(total / 5);
    // the curve counts the lines the batch row counts (the last build's, duplicates dropped)
    expect(curve.reduce((n, p) => n + p.returns, 0)).toBe(body.batch.returns);
    expect(curve[curve.length - 1].cumulative_returns).toBe(total / 5);
    expect(curve[curve.length - 1].cumulative_rate).toBeCloseTo(1, 6);
    for (let i = 1; i < curve.length; i++) expect(curve[i].age_months).toBeGreaterThan(curve[i - 1].age_months);
    expect((await get('/api/batches/NOPE', w.keys.viewer)).statusCode).toBe(404);
  });

  test('GET /api/firmware and the gate answer after a build; the gate is for product keys', async () => {
    const cells = await get('/api/firmware?limit=1000', w.keys.viewer);
    expect(cells.statusCode, cells.body).toBe(200);
    const g = await get('/api/firmware/gate?candidate=2.4.1&baseline=2.3.0&sku=SKU-1', w.keys.product);
    expect(g.statusCode, g.body).toBe(200);
    expect(['go', 'hold', 'insufficient_evidence']).toContain(g.json().verdict);
    expect(g.json()).toMatchObject({ candidate: '2.4.1', baseline: '2.3.0', sku: 'SKU-1', candidate_stats: { returns: expect.any(Number) } });
    expect((await get('/api/firmware/gate?candidate=2.4.1', w.keys.viewer)).statusCode).toBe(403);
  });

  test('reports: money columns hidden from viewers, finance-only reports refused', async () => {
    expect((await get('/api/reports/reserve', w.keys.viewer)).statusCode).toBe(403);
    const bad = await get('/api/reports/pareto?batch_id=B1', w.keys.viewer);
    expect([200, 400]).toContain(bad.statusCode);
    const unknown = await get('/api/reports/secrets', w.keys.viewer);
    expect(unknown.statusCode).toBe(400);
  });
});

describe('alerts', () => {
  test('list by state, acknowledge with a note (product), 404 for an unknown id, 409 once resolved', async () => {
    await w.store.run(`INSERT INTO alerts (id, rule, subject_type, subject_id, state, severity, metric, value, threshold, opened_at, updated_at, evidence)
      VALUES ('a1', 'batch_status', 'batch', 'B1', 'open', 'high', 'defect_rate', 0.05, 0.02, TIMESTAMPTZ '2026-01-01 00:00:00+00', TIMESTAMPTZ '2026-01-01 00:00:00+00', '{"rma_keys":["k1"]}'),
             ('a2', 'batch_status', 'batch', 'B2', 'resolved', 'low', 'defect_rate', 0.01, 0.02, TIMESTAMPTZ '2026-01-01 00:00:00+00', TIMESTAMPTZ '2026-01-01 00:00:00+00', '{}')`);
    // The build above may have opened real alerts too: look at ours.
    const ours = (rows: { id: string }[]) => rows.filter((a) => a.id === 'a1' || a.id === 'a2');
    const open = ours((await get('/api/alerts?limit=1000', w.keys.viewer)).json()) as { id: string; evidence: unknown }[];
    expect(open.map((a) => a.id)).toEqual(['a1']);
    expect(open[0].evidence).toEqual({ rma_keys: ['k1'] });
    expect(ours((await get('/api/alerts?state=all&limit=1000', w.keys.viewer)).json())).toHaveLength(2);
    const ack = await w.app.inject({ method: 'POST', url: '/api/alerts/a1/ack', headers: bearer(w.keys.product), payload: { note: 'sealing team on it' } });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ acknowledged: true, alert: { id: 'a1', state: 'acknowledged', ack_note: 'sealing team on it' } });
    expect(ours((await get('/api/alerts?state=acknowledged&limit=1000', w.keys.viewer)).json()).map((a) => a.id)).toEqual(['a1']);
    expect((await w.app.inject({ method: 'POST', url: '/api/alerts/nope/ack', headers: bearer(w.keys.finance), payload: {} })).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'POST', url: '/api/alerts/a2/ack', headers: bearer(w.keys.admin), payload: {} })).statusCode).toBe(409);
    expect((await get('/api/alerts?state=bogus', w.keys.viewer)).statusCode).toBe(400);
  });
});
