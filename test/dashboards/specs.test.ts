import * as vega from 'vega';
import { describe, expect, test } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { dashboards } from '../../dashboards/registry.js';
import { batchQualitySpec } from '../../dashboards/specs/batch-quality.js';
import { firmwareHeatmapSpec } from '../../dashboards/specs/firmware-heatmap.js';
import { paretoSpec } from '../../dashboards/specs/pareto.js';
import { weibullSpec } from '../../dashboards/specs/weibull.js';
import { RmaError } from '../../pipeline/errors.js';
import { checkSpec, schemaErrorsOf } from './check-spec.js';
import { matchGolden } from './golden.js';
import * as f from './fixtures.js';

const data = {
  batches: f.batchRows,
  firmware: f.firmwareRows,
  reserve: f.reserveRows,
  pareto: f.paretoRows,
  nevada: f.nevadaRows,
  weibull: f.weibullRows,
  km_curves: f.kmRows,
  sla: f.slaRows,
  ntf: f.ntfRows,
};

/** Inline data sets of a spec, wherever they sit (top level, layers, vconcat). */
function datasets(spec: unknown): Record<string, unknown>[][] {
  const found: Record<string, unknown>[][] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const values = (node as { data?: { values?: unknown } }).data?.values;
    if (Array.isArray(values)) found.push(values as Record<string, unknown>[]);
    for (const child of ['layer', 'vconcat', 'hconcat', 'concat']) for (const c of ((node as Record<string, unknown>)[child] as unknown[]) ?? []) walk(c);
    walk((node as { spec?: unknown }).spec);
  };
  walk(spec);
  return found;
}

/** Marks drawn in a headless vega view (items in mark groups, recursively). */
async function countMarks(spec: TopLevelSpec): Promise<number> {
  const view = new vega.View(vega.parse(checkSpec(spec).vega), { renderer: 'none' });
  await view.runAsync();
  const svg = await view.toSVG();
  view.finalize();
  return (svg.match(/<(path|rect|line|text)\b/g) ?? []).length - (svg.match(/class="role-axis|class="role-legend|class="role-title/g) ?? []).length;
}

describe('every registered dashboard spec', () => {
  test('the registry lists the eight dashboards of issue 6 with unique names, reserve for finance only', () => {
    expect(dashboards.map((d) => d.name)).toEqual(['batch-quality', 'firmware-heatmap', 'reserve-burn', 'pareto', 'nevada', 'weibull', 'sla-aging', 'ntf-by-dealer']);
    expect(dashboards.find((d) => d.name === 'reserve-burn')?.roles).toEqual(['finance', 'admin']);
    for (const d of dashboards.filter((x) => x.name !== 'reserve-burn')) expect(d.roles).toContain('viewer');
  });

  for (const dashboard of dashboards) {
    test(`${dashboard.name}: valid against the Vega-Lite schema, compiles with zero warnings, parses in vega, matches its golden`, async () => {
      const spec = dashboard.build(data);
      const { schemaErrors, warnings, vega: compiled } = checkSpec(spec);
      expect(schemaErrors).toEqual([]);
      expect(warnings).toEqual([]);
      // Compiling is not enough: vega must accept the compiled spec (a broken data reference only shows here).
      const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
      await view.runAsync();
      view.finalize();
      expect(matchGolden(dashboard.name, compiled)).toBeUndefined();
    });
  }
});

describe('the checks are not vacuous', () => {
  test('the schema validator rejects a spec with an unknown mark and a misspelt encoding type', () => {
    const good = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', data: { values: [] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } };
    expect(schemaErrorsOf(good)).toEqual([]);
    expect(schemaErrorsOf({ ...good, mark: 'bogus' }).length).toBeGreaterThan(0);
    expect(schemaErrorsOf({ ...good, encoding: { x: { field: 'a', type: 'quantitive' } } }).length).toBeGreaterThan(0);
  });
  test('the warning collector catches a compile warning', () => {
    const spec = { data: { values: [{ a: 1 }] }, mark: 'bar', encoding: { x: { field: 'a', type: 'quantitative' }, shape: { field: 'a', type: 'nominal' } } } as TopLevelSpec;
    expect(checkSpec(spec).warnings.length).toBeGreaterThan(0);
  });
});

describe('what the charts show', () => {
  test('batch quality: one point per batch with its interval, a threshold rule at 2 %, projected rates only where given', () => {
    const spec = batchQualitySpec(f.batchRows);
    const [thresholds, batches] = datasets(spec);
    expect(batches.map((b) => b.batch_id)).toEqual(f.batchRows.map((b) => b.batch_id));
    expect(thresholds).toEqual([{ threshold: 0.02, label: 'threshold 2.00%' }]);
    const bad = batches.find((b) => b.batch_id === 'TH35-2403')!;
    expect(bad.status).toBe('confirmed_breach');
    expect(bad.ci_low as number).toBeGreaterThan(0.02);
    expect(batches.filter((b) => b.projected_rate !== null).map((b) => b.batch_id)).toEqual(['TH35-2405', 'TH35-2406', 'XP50-2403']);
  });

  test('batch quality with more batches than a chart can show keeps those most at risk, in batch order, and says so', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      batch_id: `B${String(i).padStart(4, '0')}`,
      sku: 'TS-35',
      defect_rate: 0.005,
      ci_low: 0.001,
      ci_high: 0.005 + (i % 97) / 10_000,
      status: i === 977 ? 'confirmed_breach' : i === 3 ? 'watch' : 'ok',
    }));
    const spec = batchQualitySpec(many, { maxBatches: 50 });
    const [, shown] = datasets(spec);
    expect(shown).toHaveLength(50);
    const ids = shown.map((b) => b.batch_id as string);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['B0977', 'B0003']));
    // After the two flagged batches, the 48 highest upper bounds of the rest.
    const okBounds = many.filter((b) => b.status === 'ok').map((b) => b.ci_high).sort((a, b) => b - a);
    const cut = okBounds[47];
    for (const b of shown) if (b.status === 'ok') expect(b.ci_high as number).toBeGreaterThanOrEqual(cut);
    expect(JSON.stringify(spec.title)).toContain('Showing the 50 batches most at risk of 1,000');
    expect(datasets(batchQualitySpec(many.slice(0, 40), { maxBatches: 50 }))[1]).toHaveLength(40);
  });

  test('batch quality draws marks when rendered headless', async () => {
    expect(await countMarks(batchQualitySpec(f.batchRows))).toBeGreaterThan(f.batchRows.length * 2);
  });

  test('firmware heatmap: the flagged cell is starred and saturates red; infinite and zero risks saturate instead of vanishing', () => {
    const rows = [
      ...f.firmwareRows.slice(0, 3),
      { ...f.firmwareRows[3], relative_risk: Infinity, flagged: false },
      { ...f.firmwareRows[4], relative_risk: 0, flagged: false },
    ];
    const cells = datasets(firmwareHeatmapSpec([...rows, f.firmwareRows.find((r) => r.flagged)!]))[0];
    const flagged = cells.find((c) => c.flagged)!;
    expect(flagged).toMatchObject({ firmware_version: '2.4.1', failure_code: 'REC_STORAGE', label: '4.6*' });
    expect(flagged.log2_relative_risk as number).toBeCloseTo(Math.log2(4.6), 10);
    expect(cells[3]).toMatchObject({ label: '∞', log2_relative_risk: 3, relative_risk: null });
    expect(cells[4]).toMatchObject({ label: '0.0', log2_relative_risk: -3 });
  });

  test('pareto: all-SKU rows, sorted by verified count, cumulative share ending at 100 %', () => {
    const [bars, cumulative] = datasets(paretoSpec(f.paretoRows));
    expect(bars.length).toBe(16);
    expect(cumulative.map((c) => c.failure_code)).toEqual(['REC_STORAGE', 'PWR_BATTERY', 'SEAL_FOG', 'BOOT_UI', 'ZERO_PROFILE', 'IMG_NUC', 'WIFI_APP', 'MECH_MOUNT']);
    expect(cumulative[0].cumulative_share as number).toBeCloseTo(74 / 251, 12);
    expect(cumulative.at(-1)!.cumulative_share).toBe(1);
    expect(datasets(paretoSpec(f.paretoRows, { sku: 'TH35' }))[0].find((b) => b.failure_code === 'REC_STORAGE' && b.kind === 'verified')!.count).toBe(52);
  });

  test('weibull: curves only for fitted batches, F(η) = 1 − 1/e, Kaplan–Meier as failed fraction', () => {
    const [curves, steps] = datasets(weibullSpec(f.weibullRows, f.kmRows, { horizonDays: 2100 }));
    expect([...new Set(curves.map((c) => c.batch_id))].sort()).toEqual(['TH35-2401', 'TH35-2403', 'TH35-2404', 'XP50-2402']);
    const atEta = curves.find((c) => c.batch_id === 'TH35-2403' && c.age_days === 2100)!;
    expect(atEta.failed_fraction as number).toBeCloseTo(1 - Math.exp(-1), 12);
    const km = f.kmRows.find((k) => k.batch_id === 'TH35-2401' && k.time_days === 90)!;
    expect(steps.find((s) => s.batch_id === 'TH35-2401' && s.age_days === 90)!.failed_fraction).toBeCloseTo(1 - km.survival, 12);
  });

  test('bad rows: the error names the report, the row and the column, and keeps every problem', () => {
    const rows = f.batchRows.map((r, i) => (i === 2 ? { ...r, ci_low: 'low' } : i === 4 ? { ...r, status: 'exploded' } : r));
    try {
      batchQualitySpec(rows);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RmaError);
      const err = e as RmaError;
      expect(err.code).toBe('RMA_ERR_INPUT');
      expect(err.message).toMatch(/^report batches: row 3, column ci_low: .*; row 5, column status: /);
      expect(err.details).toMatchObject({ report: 'batches', row: 3, column: 'ci_low' });
      expect((err.details.problems as unknown[]).length).toBe(2);
    }
  });
});
