import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openWorld, type TestWorld } from './helpers.js';

let w: TestWorld;
beforeAll(async () => {
  w = await openWorld();
});
afterAll(async () => {
  await w?.close();
});

type Operation = { summary?: string; security?: unknown[]; parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, unknown> }>; requestBody?: unknown };

describe('OpenAPI document', () => {
  test('is OpenAPI 3 and lists every route of the contract with its schemas', async () => {
    const r = await w.app.inject('/openapi.json');
    expect(r.statusCode).toBe(200);
    const doc = r.json() as { openapi: string; info: { version: string }; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    for (const route of [
      'GET /healthz', 'GET /api/batches', 'GET /api/batches/{batch_id}', 'GET /api/firmware', 'GET /api/firmware/gate', 'GET /api/reserve',
      'GET /api/reports/{name}', 'GET /api/rmas', 'GET /api/alerts', 'POST /api/alerts/{id}/ack', 'POST /api/intake/{format}', 'POST /api/ingest',
      'POST /api/build', 'GET /api/quarantine', 'GET /api/keys', 'POST /api/keys', 'POST /api/keys/{name}/revoke',
    ]) expect(routes).toContain(route);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        // The dashboard spec is open-shaped Vega-Lite: documented without a response allow list.
        if (path !== '/api/dashboards/{name}') expect(Object.keys(op.responses).some((s) => s.startsWith('2')), `${method} ${path}`).toBe(true);
        if (path !== '/healthz' && path.startsWith('/api/')) {
          expect(op.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
          if (!path.startsWith('/api/dashboards')) {
            expect(op.responses['401'], `${method} ${path}`).toBeTruthy();
            expect(op.responses['403'], `${method} ${path}`).toBeTruthy();
          }
        }
      }
    }
    const rmas = doc.paths['/api/rmas'].get;
    expect(rmas.parameters!.map((p) => p.name).sort()).toEqual(['batch_id', 'cursor', 'failure_code', 'firmware_version', 'limit', 'sku']);
    expect(Object.keys(rmas.responses['200'].content!)).toEqual(['application/json', 'text/csv', 'application/vnd.apache.arrow.stream']);
    expect(doc.paths['/api/keys'].post.requestBody).toBeTruthy();
  });

  test('response schemas are allow lists: internal columns are not in them', async () => {
    const doc = (await w.app.inject('/openapi.json')).json();
    const rmaItem = doc.paths['/api/rmas'].get.responses['200'].content['application/json'].schema.items;
    expect(rmaItem.additionalProperties).toBe(false);
    expect(Object.keys(rmaItem.properties)).toContain('lineage');
    expect(Object.keys(rmaItem.properties)).not.toContain('record_hash');
    const keyItem = doc.paths['/api/keys'].get.responses['200'].schema?.items ?? doc.paths['/api/keys'].get.responses['200'].content['application/json'].schema.items;
    expect(Object.keys(keyItem.properties)).not.toContain('hash');
    expect(Object.keys(keyItem.properties)).not.toContain('salt');
  });

  test('/docs serves Swagger UI from the package itself (no network), pointing at the document', async () => {
    const page = await w.app.inject('/docs');
    expect(page.statusCode).toBe(200);
    const scripts = [...page.body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of [...scripts, ...[...page.body.matchAll(/<link[^>]*href="([^"]+)"/g)].map((m) => m[1])]) {
      expect(src).not.toMatch(/^(https?:)?\/\//);
      const asset = await w.app.inject(new URL(src, 'http://x/docs/').pathname);
      expect(asset.statusCode, src).toBe(200);
    }
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/);
    const json = await w.app.inject('/docs/json');
    expect(json.json().paths['/api/rmas']).toBeTruthy();
  });
});
