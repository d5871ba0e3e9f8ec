import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dashboards } from '../../dashboards/registry.js';
import { writeStaticBundle, type BundleResult } from '../../dashboards/static-bundle.js';
import { fillBulkStore } from '../../data/generate/bulk.js';
import { build } from '../../pipeline/build.js';
import { openStore } from '../../pipeline/store.js';
import * as f from './fixtures.js';

const data = { batches: f.batchRows, firmware: f.firmwareRows, reserve: f.reserveRows, pareto: f.paretoRows, nevada: f.nevadaRows, weibull: f.weibullRows, km_curves: f.kmRows, sla: f.slaRows, ntf: f.ntfRows };
const hostile = '<script>alert(1)</script>';

/** Marks vega drew: children of the mark groups (axes, legends and titles are role-axis/legend/title). */
function markItems(svg: string): number {
  const groups = [...svg.matchAll(/<g class="mark-[a-z]+ role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)];
  return groups.reduce((n, g) => n + (g[1].match(/<(path|line|text|rect)\b/g) ?? []).length, 0);
}

describe('static bundle from report rows', () => {
  let dir: string;
  let result: BundleResult;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rma-bundle-'));
    const batches = [...f.batchRows, { ...f.batchRows[0], batch_id: hostile }];
    result = await writeStaticBundle(dir, { data: { ...data, batches }, alerts: f.alertRows });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('writes a static page, an SVG and an interactive page per dashboard, the vendor scripts and an index', () => {
    expect(result.dashboards.map((d) => d.name)).toEqual(dashboards.map((d) => d.name));
    for (const file of ['index.html', 'vendor/vega.min.js', 'vendor/vega-lite.min.js', 'vendor/vega-embed.min.js', 'vendor/vega-interpreter.js', 'assets/dashboard.js', 'assets/dashboards.css']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    for (const d of result.dashboards) {
      for (const file of [d.page, d.interactive, d.svg]) expect(existsSync(join(dir, file)), file).toBe(true);
      expect(d.warnings).toEqual([]);
    }
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    for (const d of dashboards) expect(index).toContain(`href="${d.name}.html"`);
  });

  test('every SVG has drawn marks, and the static page carries it inline with no script at all', () => {
    for (const d of result.dashboards) {
      const svg = readFileSync(join(dir, d.svg), 'utf8');
      expect(svg.startsWith('<svg'), d.name).toBe(true);
      expect(markItems(svg), d.name).toBeGreaterThan(0);
      const page = readFileSync(join(dir, d.page), 'utf8');
      expect(page).toContain(svg);
      expect(page).not.toMatch(/<script/);
    }
    // 10 batches: one interval rule and one point each at least.
    expect(markItems(readFileSync(join(dir, 'svg/batch-quality.svg'), 'utf8'))).toBeGreaterThanOrEqual(20);
  });

  test('nothing is loaded from the internet: every src and href is relative', () => {
    for (const file of result.files.filter((x) => x.endsWith('.html'))) {
      const html = readFileSync(join(dir, file), 'utf8');
      const refs = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
      expect(refs.filter((r) => /^[a-z]+:|^\/\//i.test(r)), file).toEqual([]);
      for (const ref of refs) expect(existsSync(resolve(dir, file, '..', ref.split('#')[0])), `${file} → ${ref}`).toBe(true);
    }
  });

  test('hostile text from the data is escaped in the SVG, the banner and the inline spec', () => {
    for (const file of ['batch-quality.html', 'interactive/batch-quality.html', 'svg/batch-quality.svg']) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toContain(hostile);
    }
    expect(readFileSync(join(dir, 'svg/batch-quality.svg'), 'utf8')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const interactive = readFileSync(join(dir, 'interactive/batch-quality.html'), 'utf8');
    const spec = JSON.parse(/<script type="application\/json" id="rma-spec">([\s\S]*?)<\/script>/.exec(interactive)![1]);
    expect(spec.layer[1].data.values.at(-1).batch_id).toBe(hostile);
    expect(interactive).toContain('XP50 &lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('rma-intel dashboards --out DIR', () => {
  const cli = resolve('dist/bin/rma-intel.js');
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rma-dash-cli-'));
    const store = await openStore(join(dir, 'rma.duckdb'));
    await fillBulkStore(store, { units: 4000, rmas: 250, batches: 6, asOf: '2026-06-30' });
    await build(store, { asOf: '2026-06-30' });
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('writes the bundle from a built store and reports it as JSON', () => {
    const out = join(dir, 'bundle');
    const r = spawnSync(process.execPath, [cli, 'dashboards', '--out', out, '--db', join(dir, 'rma.duckdb'), '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const answer = JSON.parse(r.stdout);
    expect(answer.out).toBe(out);
    expect(answer.dashboards.map((d: { name: string }) => d.name)).toEqual(dashboards.map((d) => d.name));
    expect(answer.files).toBeGreaterThan(dashboards.length * 3);
    expect(markItems(readFileSync(join(out, 'svg/batch-quality.svg'), 'utf8'))).toBeGreaterThanOrEqual(12);
  });

  test('without --out: usage error, exit 2, nothing written', () => {
    const r = spawnSync(process.execPath, [cli, 'dashboards', '--db', join(dir, 'rma.duckdb')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--out is required');
  });

  test('a missing database file: exit 2 naming it', () => {
    const r = spawnSync(process.execPath, [cli, 'dashboards', '--out', join(dir, 'never'), '--db', join(dir, 'missing.duckdb')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'missing.duckdb')} does not exist`);
  });

  test('an unbuilt store: exit 2 with a message saying to build first', async () => {
    const empty = join(dir, 'empty.duckdb');
    await (await openStore(empty)).close();
    const r = spawnSync(process.execPath, [cli, 'dashboards', '--out', join(dir, 'never'), '--db', empty], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/has not been built yet; run rma-intel build first/);
    expect(existsSync(join(dir, 'never', 'index.html'))).toBe(false);
  });
});
