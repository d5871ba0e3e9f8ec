import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, openWorld, type TestWorld } from './helpers.js';

let w: TestWorld;
beforeAll(async () => {
  w = await openWorld();
});
afterAll(async () => {
  await w.close();
});

async function upload(csv: string): Promise<void> {
  const form = new FormData();
  form.append('format', 'canonical-csv');
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'rmas.csv');
  const req = new Request('http://x/api/ingest', { method: 'POST', body: form });
  const r = await w.app.inject({ method: 'POST', url: '/api/ingest', payload: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type')!, ...bearer(w.keys.ingest) } });
  expect(r.statusCode, r.body).toBe(200);
}

const numbers = async (url: string): Promise<string[]> => {
  const r = await w.app.inject({ url, headers: bearer(w.keys.viewer) });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { rma_number: string }[]).map((row) => row.rma_number);
};

// Drill-down pages are kept in memory until the next write: a write through the server must show at once.
describe('GET /api/rmas after a write through the server', () => {
  test('an upload ingested after a page was served appears on the same request', async () => {
    const header = 'source,rma_number,opened_at,sku,batch_id,return_reason\n';
    await upload(`${header}fresh,F-1,2026-02-01T10:00:00Z,SKU-1,B-FRESH,defective\nfresh,F-3,2026-02-02T10:00:00Z,SKU-1,B-FRESH,defective\n`);
    expect(await numbers('/api/rmas?batch_id=B-FRESH&limit=10')).toEqual(['F-1', 'F-3']);
    expect(await numbers('/api/rmas?batch_id=B-FRESH&limit=10')).toEqual(['F-1', 'F-3']);
    await upload(`${header}fresh,F-2,2026-02-03T10:00:00Z,SKU-1,B-FRESH,defective\n`);
    expect(await numbers('/api/rmas?batch_id=B-FRESH&limit=10')).toEqual(['F-1', 'F-2', 'F-3']);
    // Keyset paging over the new state: every line once, in key order.
    const first = await w.app.inject({ url: '/api/rmas?batch_id=B-FRESH&limit=2', headers: bearer(w.keys.viewer) });
    const next = first.headers['x-next-cursor'] as string;
    expect((first.json() as { rma_number: string }[]).map((r) => r.rma_number)).toEqual(['F-1', 'F-2']);
    expect(await numbers(`/api/rmas?batch_id=B-FRESH&limit=2&cursor=${next}`)).toEqual(['F-3']);
  });
});
