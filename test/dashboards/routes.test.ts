import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { dashboards } from '../../dashboards/registry.js';
import { report } from '../../pipeline/report.js';
import { bearer, openWorld, type TestWorld } from '../api/helpers.js';
import { checkSpec } from './check-spec.js';
import { openBuiltWorld, type BuiltWorld } from './world.js';

let world: BuiltWorld;
beforeAll(async () => {
  world = await openBuiltWorld();
});
afterAll(async () => {
  await world?.close();
});

const get = (url: string, key?: string) => world.app.inject({ method: 'GET', url, headers: key ? bearer(key) : {} });

describe('GET /api/dashboards', () => {
  test('lists what the role may open: viewers do not see the reserve, finance does', async () => {
    const viewer = await get('/api/dashboards', world.keys.viewer);
    expect(viewer.statusCode).toBe(200);
    expect(viewer.json().map((d: { name: string }) => d.name)).toEqual(dashboards.filter((d) => d.name !== 'reserve-burn').map((d) => d.name));
    const finance = await get('/api/dashboards', world.keys.finance);
    expect(finance.json().map((d: { name: string }) => d.name)).toEqual(dashboards.map((d) => d.name));
    expect(finance.json()[0]).toMatchObject({ name: 'batch-quality', page: '/dashboards/batch-quality', spec: '/api/dashboards/batch-quality', report: ['batches'] });
  });

  test('401 without a key', async () => {
    const r = await get('/api/dashboards');
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('RMA_ERR_UNAUTHORIZED');
  });
});

describe('GET /api/dashboards/:name', () => {
  test('every dashboard built from the real store is schema-valid and compiles without warnings', async () => {
    for (const d of dashboards) {
      const r = await get(`/api/dashboards/${d.name}`, world.keys.finance);
      expect(r.statusCode, d.name).toBe(200);
      const { schemaErrors, warnings } = checkSpec(r.json() as TopLevelSpec);
      expect(schemaErrors, d.name).toEqual([]);
      expect(warnings, d.name).toEqual([]);
    }
  });

  test('the batch spec carries every batch of the batches report inline', async () => {
    const spec = (await get('/api/dashboards/batch-quality', world.keys.viewer)).json();
    const inline = spec.layer[1].data.values as { batch_id: string; defect_rate: number }[];
    const rows = await report(world.store, 'batches');
    expect(inline.map((b) => b.batch_id)).toEqual(rows.map((r) => r.batch_id));
    expect(inline.map((b) => b.defect_rate)).toEqual(rows.map((r) => r.defect_rate));
  });

  test('403 for the reserve with a viewer key, 404 for an unknown dashboard', async () => {
    const forbidden = await get('/api/dashboards/reserve-burn', world.keys.viewer);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('RMA_ERR_FORBIDDEN');
    const missing = await get('/api/dashboards/no-such-chart', world.keys.viewer);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toMatch(/no dashboard 'no-such-chart'/);
  });
});

describe('HTML pages', () => {
  test('without a key the browser is sent to /login and comes back to the page', async () => {
    const r = await get('/dashboards/batch-quality');
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/login?next=${encodeURIComponent('/dashboards/batch-quality')}`);
    expect((await get('/dashboards')).headers.location).toBe('/dashboards/');
  });

  test('the session cookie opens the index; it links only dashboards the role may open', async () => {
    const r = await world.app.inject({ method: 'GET', url: '/dashboards/', cookies: { rma_key: world.keys.viewer } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain('href="/dashboards/batch-quality"');
    expect(r.body).not.toContain('href="/dashboards/reserve-burn"');
  });

  test('a dashboard page: spec inline as JSON, only same-origin scripts, no inline script, a CSP without unsafe-eval', async () => {
    const r = await get('/dashboards/firmware-heatmap', world.keys.viewer);
    expect(r.statusCode).toBe(200);
    const scripts = [...r.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.filter((attrs) => !/\bsrc=/.test(attrs))).toEqual([' type="application/json" id="rma-spec"']);
    const sources = scripts.flatMap((attrs) => /src="([^"]+)"/.exec(attrs)?.[1] ?? []);
    expect(sources).toEqual(['/vendor/vega.min.js', '/vendor/vega-lite.min.js', '/vendor/vega-embed.min.js', '/vendor/vega-interpreter.js', '/dashboards/assets/dashboard.js']);
    const spec = JSON.parse(/<script type="application\/json" id="rma-spec">([\s\S]*?)<\/script>/.exec(r.body)![1]);
    expect(spec.data.values.length).toBe((await report(world.store, 'firmware')).length);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(r.headers['cache-control']).toBe('no-store');
  });

  test('the alert banner shows the open alerts of the build, worst first', async () => {
    const open = await world.store.all<{ id: number; severity: string }>("SELECT id, severity FROM alerts WHERE state = 'open'");
    expect(open.length).toBeGreaterThan(0);
    const r = await get('/dashboards/batch-quality', world.keys.viewer);
    expect(r.body).toContain(`<strong>${open.length} open alert${open.length === 1 ? '' : 's'}</strong>`);
    const shown = [...r.body.matchAll(/data-alert-id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(shown)).toEqual(new Set(open.map((a) => String(a.id))));
  });

  test('a viewer opening the reserve page gets a 403 page, not the data', async () => {
    const r = await get('/dashboards/reserve-burn', world.keys.viewer);
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('needs one of the roles finance, admin');
    expect(r.body).not.toContain('rma-spec');
  });

  test('the drill-down page escapes the filters it shows', async () => {
    const r = await get(`/dashboards/rmas?batch_id=${encodeURIComponent('<img src=x onerror=alert(1)>')}&failure_code=A%26B`, world.keys.viewer);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('batch_id = <code>&lt;img src=x onerror=alert(1)&gt;</code>');
    expect(r.body).toContain('<code>A&amp;B</code>');
    expect(r.body).not.toContain('<img src=x');
  });
});

describe('vendor files', () => {
  test('vega, vega-lite, vega-embed and the interpreter come from node_modules', async () => {
    for (const file of ['vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js']) {
      const r = await get(`/vendor/${file}`);
      expect(r.statusCode, file).toBe(200);
      expect(r.headers['content-type']).toMatch(/javascript/);
      expect(r.body.length).toBeGreaterThan(50_000);
    }
    const interpreter = await get('/vendor/vega-interpreter.js');
    expect(interpreter.body).toContain('vega.expressionInterpreter = expression;');
    expect(interpreter.body).not.toMatch(/^\s*(import|export)\b/m);
    expect((await get('/dashboards/assets/dashboard.js')).statusCode).toBe(200);
  });

  test('nothing outside the allow list: traversal and unlisted files are 404', async () => {
    for (const url of ['/vendor/..%2F..%2Fpackage.json', '/vendor/%2e%2e%2fpackage.json', '/vendor/package.json', '/vendor/vega.js', '/dashboards/assets/..%2Fhtml.ts', '/vendor/constructor', '/vendor/__proto__']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.body).not.toContain('"dependencies"');
    }
  });
});

describe('before the first build', () => {
  let empty: TestWorld;
  beforeAll(async () => {
    empty = await openWorld();
  });
  afterAll(async () => {
    await empty?.close();
  });
  test('the page says to run build instead of drawing an empty chart', async () => {
    const r = await empty.app.inject({ method: 'GET', url: '/dashboards/batch-quality', headers: bearer(empty.keys.viewer) });
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('run rma-intel build first');
    const api = await empty.app.inject({ method: 'GET', url: '/api/dashboards/batch-quality', headers: bearer(empty.keys.viewer) });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('RMA_ERR_NOT_FOUND');
  });
});
