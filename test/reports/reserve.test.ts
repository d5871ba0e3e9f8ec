import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../pipeline/store.js';
import { weibullFit, weibullForecast } from '../../models/stats/index.js';
import { insert, rmaLine, runModels, tempStore } from './helpers.js';

type Row = Record<string, number | string | null>;

describe('reserve ledger (7.4) on literal inputs', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  let ledger: Row[];
  let monthly: Row[];

  beforeAll(async () => {
    ({ store, dispose } = await tempStore());
    await insert(store, 'reserve_plan', [
      { sku: '*', effective_from: '2024-01-01', reserve_per_unit: 40, currency: 'EUR' },
      { sku: 'B', effective_from: '2024-01-01', reserve_pct_of_revenue: 0.05, currency: 'EUR' },
    ]);
    await insert(store, 'cost_rates', [
      { resolution: 'repair', sku: '*', standard_cost: 80 },
      { resolution: 'repair', sku: 'A', standard_cost: 70 },
    ]);
    await insert(store, 'units', [
      ...['A1', 'A2', 'A3'].map((s) => ({ serial_number: s, sku: 'A', shipped_at: '2025-01-15T00:00:00Z', unit_price: 100 })),
      ...['A4', 'A5'].map((s) => ({ serial_number: s, sku: 'A', shipped_at: '2025-02-15T00:00:00Z', unit_price: 100 })),
      ...['B1', 'B2'].map((s) => ({ serial_number: s, sku: 'B', shipped_at: '2025-01-05T00:00:00Z', unit_price: 200 })),
      { serial_number: 'A9', sku: 'A', shipped_at: '2025-05-15T00:00:00Z', unit_price: 100 }, // after the analysis date
    ]);
    await insert(store, 'rma', [
      rmaLine(1, { serial_number: 'A1', opened_at: '2025-02-03T09:00:00Z', resolved_at: '2025-02-10T09:00:00Z', return_reason: 'defective', resolution: 'repair', cost_labor: 20, cost_parts: 30, cost_shipping: 10, deductible_collected: 5 }),
      rmaLine(2, { serial_number: 'A2', opened_at: '2025-03-01T09:00:00Z', resolved_at: '2025-03-04T09:00:00Z', return_reason: 'defective', resolution: 'repair', supplier_recovery: 15 }),
      rmaLine(3, { serial_number: 'A3', opened_at: '2025-03-02T09:00:00Z', resolved_at: '2025-03-05T09:00:00Z', return_reason: 'wrong_item', resolution: 'restock', cost_shipping: 12 }),
      rmaLine(4, { serial_number: 'A4', opened_at: '2025-04-20T09:00:00Z', resolved_at: '2025-05-02T09:00:00Z', return_reason: 'defective', resolution: 'repair', cost_labor: 100 }),
      rmaLine(5, { serial_number: 'B1', opened_at: '2025-01-20T09:00:00Z', resolved_at: '2025-01-25T09:00:00Z', return_reason: 'defective', resolution: 'replace', cost_replacement: 150, credit_amount: 0 }),
      rmaLine(6, { serial_number: 'A5', opened_at: '2025-03-10T09:00:00Z', resolved_at: '2025-03-12T09:00:00Z', return_reason: 'defective', warranty_status: 'out_of_warranty', resolution: 'repair', cost_labor: 40 }),
      rmaLine(7, { serial_number: 'A1', opened_at: '2025-02-03T09:00:00Z', resolved_at: '2025-02-10T09:00:00Z', return_reason: 'defective', resolution: 'repair', cost_labor: 99, duplicate_of: 't::R1:1' }),
    ]);
    await runModels(store, '2025-04-30', ['reserve']);
    ledger = await store.all<Row>('SELECT * FROM models.reserve ORDER BY sku, month');
    monthly = await store.all<Row>('SELECT * FROM models.reserve_monthly ORDER BY sku, month');
  });
  afterAll(async () => dispose());

  it('has one row per month from the first activity to the analysis month', () => {
    expect(ledger.map((r) => `${r.sku} ${r.month}`)).toEqual([
      'A 2025-01-01', 'A 2025-02-01', 'A 2025-03-01', 'A 2025-04-01',
      'B 2025-01-01', 'B 2025-02-01', 'B 2025-03-01', 'B 2025-04-01',
    ]);
  });

  it('accrues per unit, or as a share of revenue, from the plan in force', () => {
    expect(ledger.map((r) => r.accrual)).toEqual([120, 80, 0, 0, 20, 0, 0, 0]);
    expect(ledger.map((r) => r.units_shipped)).toEqual([3, 2, 0, 0, 2, 0, 0, 0]);
    expect(ledger[0].currency).toBe('EUR');
  });

  it('pays warranty cost by component when resolved, net of deductibles and recovery; estimates unknown costs', () => {
    // Feb: 20 + 30 + 10 − 5 deductible; Mar: standard repair cost of A (70) − 15 recovered.
    // Left out: the commercial return, the out-of-warranty repair, the duplicate, the repair resolved after the date.
    expect(ledger.map((r) => r.cost_paid)).toEqual([0, 55, 55, 0, 150, 0, 0, 0]);
    const feb = monthly.find((r) => r.sku === 'A' && r.month === '2025-02-01')!;
    expect([feb.cost_labor, feb.cost_parts, feb.cost_shipping, feb.deductibles, feb.claims_paid]).toEqual([20, 30, 10, 5, 1]);
    const mar = monthly.find((r) => r.sku === 'A' && r.month === '2025-03-01')!;
    expect([mar.cost_estimated, mar.claims_estimated, mar.supplier_recovery, mar.cost_gross]).toEqual([70, 1, 15, 70]);
    const janB = monthly.find((r) => r.sku === 'B' && r.month === '2025-01-01')!;
    expect([janB.cost_replacement, janB.credits, janB.cost_paid]).toEqual([150, 0, 150]);
  });

  it('runs cumulative totals, balance, burn ratio and runway at the trailing three-month burn', () => {
    const a = ledger.filter((r) => r.sku === 'A');
    expect(a.map((r) => r.cumulative_accrual)).toEqual([120, 200, 200, 200]);
    expect(a.map((r) => r.cumulative_cost)).toEqual([0, 55, 110, 110]);
    expect(a.map((r) => r.balance)).toEqual([120, 145, 90, 90]);
    expect(a.map((r) => r.burn_ratio)).toEqual([0, 0.275, 0.55, 0.55]);
    // Trailing burn: Jan 0 → no runway to speak of; Feb (0 + 55) / 2; Mar and Apr (55 + 55 + 0) / 3.
    expect(a[0].runway_months).toBeNull();
    expect(a[1].runway_months).toBeCloseTo(145 / 27.5, 9);
    expect(a[2].runway_months).toBeCloseTo(90 / (110 / 3), 9);
    expect(a[3].runway_months).toBeCloseTo(90 / (110 / 3), 9);
    const b = ledger.filter((r) => r.sku === 'B');
    expect(b.map((r) => r.balance)).toEqual([-130, -130, -130, -130]);
    expect(b.map((r) => r.runway_months)).toEqual([0, 0, 0, 0]);
  });

  it('keeps the forecast band around the forecast', () => {
    for (const r of ledger.filter((x) => x.forecast_liability !== null)) {
      expect(Number(r.forecast_low)).toBeLessThanOrEqual(Number(r.forecast_liability));
      expect(Number(r.forecast_high)).toBeGreaterThanOrEqual(Number(r.forecast_liability));
    }
  });
});

describe('forecast liability from the fitted return curve', () => {
  it('equals expected in-warranty claims per ship cohort × net cost per paid claim', async () => {
    const { store, dispose } = await tempStore();
    try {
      await insert(store, 'reserve_plan', [{ sku: '*', effective_from: '2020-01-01', reserve_per_unit: 25 }]);
      await insert(store, 'warranty_policies', [{ sku: '*', effective_from: '2020-01-01', warranty_months: 12 }]);
      // Six monthly cohorts of 200 units (Jan–Jun 2024); cohort c sees c % 3 + 1 claims in every later month, each costing 50.
      await store.run(`INSERT INTO units (serial_number, sku, shipped_at)
        SELECT 'U' || c || '-' || n, 'F', make_timestamptz(2024, c, 15, 0, 0, 0) FROM range(1, 7) AS a(c), range(200) AS b(n)`);
      await store.run(`INSERT INTO rma (rma_key, source, rma_number, opened_at, resolved_at, serial_number, return_reason, cost_labor)
        SELECT 'k:' || c || ':' || m || ':' || n, 't', c || '-' || m || '-' || n, make_timestamptz(2024, m, 10, 0, 0, 0), make_timestamptz(2024, m, 12, 0, 0, 0),
               'U' || c || '-' || (m * 10 + n), 'defective', 50
        FROM range(1, 7) AS a(c), range(1, 9) AS b(m), range(3) AS d(n)
        WHERE m > c AND n < c % 3 + 1`);
      await runModels(store, '2024-08-31', ['reserve']);
      const aug = (await store.one<Row>("SELECT * FROM models.reserve WHERE month = DATE '2024-08-01'"))!;

      // The same life data written down from the design: cohort c (month index c − 1) at analysis month 8.
      const failures: { age: number; count: number }[] = [];
      const suspensions: { age: number; count: number }[] = [];
      const atRisk: { age: number; count: number }[] = [];
      for (let c = 1; c <= 6; c++) {
        const perMonth = (c % 3) + 1;
        let returned = 0;
        for (let m = c + 1; m <= 8; m++) {
          failures.push({ age: m - c, count: perMonth });
          returned += perMonth;
        }
        suspensions.push({ age: 8 - c + 0.5, count: 200 - returned });
        if (8 - c + 0.5 < 12) atRisk.push({ age: 8 - c + 0.5, count: 200 - returned });
      }
      const fit = weibullFit({ failures, suspensions });
      const expected = weibullForecast(fit, atRisk, 12, 12).total;
      const claims = failures.reduce((n, f) => n + f.count, 0);
      expect(aug.forecast_basis).toBe('sku');
      expect(aug.cost_per_claim).toBe(50);
      expect(aug.cumulative_cost).toBe(claims * 50);
      expect(Number(aug.weibull_beta)).toBeCloseTo(fit.beta, 9);
      expect(Number(aug.expected_claims)).toBeCloseTo(expected, 6);
      expect(Number(aug.forecast_liability)).toBeCloseTo(expected * 50, 1);
      expect(Number(aug.forecast_low)).toBeLessThan(Number(aug.forecast_liability));
      expect(Number(aug.forecast_high)).toBeGreaterThan(Number(aug.forecast_liability));
      expect(aug.units_in_warranty).toBe(atRisk.reduce((n, g) => n + g.count, 0));
    } finally {
      await dispose();
    }
  });
});
