import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmCurves } from '../../dashboards/data-source.js';
import { wilsonInterval } from '../../models/stats/index.js';
import { report } from '../../pipeline/report.js';
import type { Store } from '../../pipeline/store.js';
import { insert, rmaLine, runModels, tempStore } from './helpers.js';

type Row = Record<string, unknown>;

/**
 * One small world: four units of SKU A from batch BA (supplier Acme) sold by dealers D1 and D2, six
 * RMA lines. As of 2025-03-31 line 6 is not yet inspected (its inspection is dated later).
 */
describe('reports on literal inputs', () => {
  let store: Store;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ store, dispose } = await tempStore());
    await insert(store, 'batches', [{ batch_id: 'BA', sku: 'A', supplier: 'Acme' }, { batch_id: 'BX', sku: 'A' }]);
    await insert(store, 'failure_codes', [
      { code: 'PWR', category: 'power/battery', disposition_class: 'return_modular' },
      { code: 'ZERO', category: 'zeroing/profiles', disposition_class: 'no_return' },
    ]);
    await insert(store, 'units', ['A1', 'A2', 'A3', 'A4'].map((s, i) => ({
      serial_number: s, sku: 'A', batch_id: 'BA', dealer_id: i < 2 ? 'D1' : 'D2', shipped_at: '2025-01-06T00:00:00Z',
    })));
    const defect = { return_reason: 'defective' };
    await insert(store, 'rma', [
      rmaLine(1, { ...defect, serial_number: 'A1', opened_at: '2025-01-15T09:00:00Z', failure_code_stated: 'PWR', failure_code_verified: 'PWR', inspection_outcome: 'trouble_found_repair', inspected_at: '2025-01-20T09:00:00Z', resolution: 'repair', resolved_at: '2025-01-25T09:00:00Z', cost_labor: 50 }),
      rmaLine(2, { ...defect, serial_number: 'A2', opened_at: '2025-02-03T09:00:00Z', failure_code_stated: 'ZERO', inspection_outcome: 'no_trouble_found', inspected_at: '2025-02-05T09:00:00Z' }),
      rmaLine(3, { ...defect, serial_number: 'A3', opened_at: '2025-02-10T09:00:00Z', failure_code_stated: 'PWR', failure_code_verified: 'PWR', inspection_outcome: 'trouble_found_replace', inspected_at: '2025-02-12T09:00:00Z', resolution: 'replace', resolved_at: '2025-02-20T09:00:00Z', cost_replacement: 120, supplier_recovery: 20 }),
      rmaLine(4, { ...defect, serial_number: 'A4', opened_at: '2025-03-01T09:00:00Z', failure_code_stated: 'PWR' }),
      rmaLine(5, { return_reason: 'wrong_item', serial_number: 'A4', opened_at: '2025-03-02T09:00:00Z' }),
      rmaLine(6, { ...defect, serial_number: 'A1', opened_at: '2025-03-10T09:00:00Z', failure_code_stated: 'ZERO', inspection_outcome: 'no_trouble_found', inspected_at: '2025-04-10T09:00:00Z' }),
    ]);
    await runModels(store, '2025-03-31', ['pareto', 'nevada', 'ntf', 'dealers', 'recovery', 'repeats', 'sla', 'weibull']);
  });
  afterAll(async () => dispose());

  it('pareto ranks verified codes with the stated ones beside them, NTF excluded', async () => {
    const rows = await report(store, 'pareto', { sku: 'A' });
    expect(rows.map((r) => [r.rank, r.failure_code, r.category, r.verified, r.stated, r.stated_ntf, r.share, r.cumulative_share])).toEqual([
      [1, 'PWR', 'power/battery', 2, 3, 0, 1, 1],
      // Line 6's NTF came after the analysis date: as of then, only line 2 was NTF.
      [2, 'ZERO', 'zeroing/profiles', 0, 2, 1, 0, 1],
    ]);
    expect((await report(store, 'pareto', { sku: '*' })).map((r) => r.verified)).toEqual([2, 0]);
  });

  it('nevada counts first warranty claims per ship cohort and return month, zeros included', async () => {
    const rows = await report(store, 'nevada', { sku: 'A' });
    expect(rows.map((r) => [r.ship_month, r.return_month, r.age_months, r.units_shipped, r.returns, r.returns_to_date])).toEqual([
      ['2025-01-01', '2025-01-01', 0, 4, 1, 1],
      ['2025-01-01', '2025-02-01', 1, 4, 2, 3],
      ['2025-01-01', '2025-03-01', 2, 4, 1, 4],
    ]);
  });

  it('ntf gives each dealer a Wilson interval against the overall rate', async () => {
    const rows = await report(store, 'ntf');
    const d1 = rows.find((r) => r.dealer_id === 'D1')!;
    const w = wilsonInterval(1, 2);
    expect(d1).toMatchObject({ inspected: 2, no_trouble_found: 1, ntf_rate: 0.5, top_ntf_stated_code: 'ZERO', above_overall: false });
    expect(d1.ci_low).toBeCloseTo(w.low, 12);
    expect(d1.ci_high).toBeCloseTo(w.high, 12);
    expect(d1.overall_rate).toBeCloseTo(1 / 3, 12);
    expect(rows.find((r) => r.dealer_id === 'D2')).toMatchObject({ inspected: 1, no_trouble_found: 0, ntf_rate: 0 });
    expect(rows[0].dealer_id).toBe('D1'); // highest NTF rate first
  });

  it('dealer_claims counts the lines per dealer by what dealers and ntf split on, the stated code on NTF lines only', async () => {
    const rows = await store.all<Row>(
      `SELECT dealer_id, return_reason, inspection_outcome, paid_claim, ntf_stated_code, lines, net_cost::DOUBLE AS net_cost
       FROM models.dealer_claims WHERE NOT cancelled ORDER BY ALL`,
    );
    expect(rows).toEqual([
      // D1: line 2 (NTF, stated ZERO), line 1 (repaired, 50), line 6 (its inspection is after the date: not yet inspected)
      { dealer_id: 'D1', return_reason: 'defective', inspection_outcome: 'no_trouble_found', paid_claim: false, ntf_stated_code: 'ZERO', lines: 1, net_cost: 0 },
      { dealer_id: 'D1', return_reason: 'defective', inspection_outcome: 'trouble_found_repair', paid_claim: true, ntf_stated_code: null, lines: 1, net_cost: 50 },
      { dealer_id: 'D1', return_reason: 'defective', inspection_outcome: null, paid_claim: false, ntf_stated_code: null, lines: 1, net_cost: 0 },
      // D2: line 3 (replacement 120 less 20 recovered from the supplier), line 4 (open), line 5 (a commercial return)
      { dealer_id: 'D2', return_reason: 'defective', inspection_outcome: 'trouble_found_replace', paid_claim: true, ntf_stated_code: null, lines: 1, net_cost: 100 },
      { dealer_id: 'D2', return_reason: 'defective', inspection_outcome: null, paid_claim: false, ntf_stated_code: null, lines: 1, net_cost: 0 },
      { dealer_id: 'D2', return_reason: 'wrong_item', inspection_outcome: null, paid_claim: false, ntf_stated_code: null, lines: 1, net_cost: 0 },
    ]);
  });

  it('dealers scorecard counts returns by kind, NTF share and cost', async () => {
    const rows = await report(store, 'dealers');
    expect(rows.find((r) => r.dealer_id === 'D1')).toMatchObject({
      units_sold: 2, rmas: 3, defect_claims: 3, confirmed_defects: 1, commercial_returns: 0, inspected: 2, no_trouble_found: 1, ntf_rate: 0.5,
      claims_paid: 1, cost_paid: 50, returns_per_unit_sold: 1.5,
    });
    expect(rows.find((r) => r.dealer_id === 'D2')).toMatchObject({
      units_sold: 2, rmas: 3, defect_claims: 2, confirmed_defects: 1, commercial_returns: 1, inspected: 1, ntf_rate: 0, claims_paid: 1, cost_paid: 100, cost_per_claim: 100,
    });
  });

  it('recovery prices confirmed hardware defects of supplied batches net of what was recovered', async () => {
    const rows = await report(store, 'recovery');
    expect(rows).toEqual([expect.objectContaining({
      supplier: 'Acme', batch_id: 'BA', units_shipped: 4, confirmed_defects: 2, attributable_defects: 2, defect_rate: 0.5,
      whole_batch_claim: true, attributable_cost: 170, recovered: 20, opportunity: 150, rma_keys: ['t::R1:1', 't::R3:1'],
    })]);
  });

  it('weibull reports too few failures instead of a fit', async () => {
    const rows = await report(store, 'weibull');
    expect(rows.map((r) => [r.level, r.subject_id, r.failures, r.suspensions, r.status])).toEqual([
      ['sku', 'A', 3, 1, 'insufficient_failures'],
      ['batch', 'BA', 3, 1, 'insufficient_failures'],
    ]);
  });

  it('filters are bound values, and bad report names or filters are usage errors', async () => {
    expect(await report(store, 'pareto', { sku: "A' OR '1'='1" })).toEqual([]);
    await expect(report(store, 'pareto', { dealer_id: 'D1' })).rejects.toMatchObject({ code: 'RMA_ERR_USAGE', message: expect.stringContaining("cannot be filtered by 'dealer_id'") });
    await expect(report(store, 'nevada', { from: '03/01/2025' })).rejects.toMatchObject({ code: 'RMA_ERR_USAGE' });
    await expect(report(store, 'cohorts')).rejects.toMatchObject({ code: 'RMA_ERR_USAGE' });
    expect((await report(store, 'nevada', { from: '2025-02-01', to: '2025-02-28' }))).toEqual([]);
    expect((await report(store, 'nevada', { from: '2025-01-01', to: '2025-01-31' })).length).toBe(3);
  });
});

describe('report before any build', () => {
  it('says so instead of failing on a missing table', async () => {
    const { store, dispose } = await tempStore();
    try {
      await expect(report(store, 'reserve')).rejects.toMatchObject({ code: 'RMA_ERR_NOT_FOUND', message: expect.stringContaining('rma-intel build') });
    } finally {
      await dispose();
    }
  });
});

describe('weibull and Kaplan–Meier on a batch with enough failures', () => {
  it('fits the same life data an engineer would write down, and the KM curve falls with each failure', async () => {
    const { store, dispose } = await tempStore();
    try {
      const { weibullFit } = await import('../../models/stats/index.js');
      await store.run(`INSERT INTO units (serial_number, sku, batch_id, shipped_at) SELECT 'W' || i, 'W', 'BW', TIMESTAMPTZ '2024-01-01 00:00:00+00' FROM range(100) AS t(i)`);
      // Units 0..19 fail at day 30 + 10 i.
      await store.run(`INSERT INTO rma (rma_key, source, rma_number, serial_number, opened_at, return_reason)
        SELECT 'w:' || i, 't', 'W' || i, 'W' || i, TIMESTAMPTZ '2024-01-01 12:00:00+00' + to_days(30 + 10 * i), 'defective' FROM range(20) AS t(i)`);
      await runModels(store, '2024-12-31', ['weibull']);
      const fit = weibullFit({
        failures: Array.from({ length: 20 }, (_, i) => 30 + 10 * i + 0.5),
        suspensions: [{ time: 365.5, count: 80 }],
      });
      const rows = await report(store, 'weibull');
      for (const level of ['sku', 'batch']) {
        const r = rows.find((x) => x.level === level) as Row;
        expect(r).toMatchObject({ units: 100, failures: 20, suspensions: 80, status: 'fitted' });
        expect(r.beta as number).toBeCloseTo(fit.beta, 9);
        expect(r.eta_days as number).toBeCloseTo(fit.eta, 6);
        expect(r.p_fail_in_warranty as number).toBeGreaterThan(0.2);
      }
      // the dashboards' steps, worked out from the same life data when asked (no km_curves table is built)
      const km = (await kmCurves(store)) as Row[];
      expect(await store.all("SELECT 1 FROM information_schema.tables WHERE table_name = 'km_curves'")).toEqual([]);
      expect(km).toHaveLength(20);
      expect(km.every((step) => step.batch_id === 'BW' && step.sku === 'W')).toBe(true);
      // the same life data as the batch's fit: every failure is a step's event, every unit starts at risk
      const batchFit = rows.find((x) => x.level === 'batch') as Row;
      expect(km.reduce((n, step) => n + (step.events as number), 0)).toBe(batchFit.failures);
      expect(km[0].at_risk).toBe(batchFit.units);
      expect(km[0]).toMatchObject({ time_days: 30.5, at_risk: 100, events: 1, survival: 0.99 });
      expect(km[19].survival as number).toBeCloseTo(0.8, 12);
    } finally {
      await dispose();
    }
  });
});
