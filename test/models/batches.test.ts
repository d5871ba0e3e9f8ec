import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchStatus } from '../../models/batches.model.js';
import { wilsonInterval } from '../../models/stats/index.js';
import { build } from '../../pipeline/build.js';
import { defaultConfig, parseConfig } from '../../pipeline/config.js';
import { addRmas, addUnits, tempStore } from './fixtures.js';

interface BatchRow {
  batch_id: string;
  sku: string;
  units_shipped: number;
  unit_days: number;
  returns: number;
  confirmed_defects: number;
  pending: number;
  no_trouble_found: number;
  defect_rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  projected_rate: number | null;
  threshold: number;
  status: string;
}

describe('batchStatus rules (CONTRACT 7.1)', () => {
  const base = { unitsShipped: 1000, minUnits: 100, threshold: 0.02, defectRate: 0.01, ciLow: 0.005, ciHigh: 0.015, projectedRate: 0.012 };
  it('ok when every figure is at or below the threshold', () => {
    expect(batchStatus(base)).toBe('ok');
    expect(batchStatus({ ...base, ciHigh: 0.02, projectedRate: 0.02 })).toBe('ok');
  });
  it('watch when the projection or the upper bound is above the threshold', () => {
    expect(batchStatus({ ...base, projectedRate: 0.0201 })).toBe('watch');
    expect(batchStatus({ ...base, ciHigh: 0.0201 })).toBe('watch');
  });
  it('breach when the rate itself is above, confirmed when the lower bound is', () => {
    expect(batchStatus({ ...base, defectRate: 0.02, ciHigh: 0.03 })).toBe('watch');
    expect(batchStatus({ ...base, defectRate: 0.0201, ciHigh: 0.03 })).toBe('breach');
    expect(batchStatus({ ...base, defectRate: 0.04, ciLow: 0.0201, ciHigh: 0.05 })).toBe('confirmed_breach');
  });
  it('insufficient exposure below the minimum units, unless the breach is already confirmed', () => {
    expect(batchStatus({ ...base, unitsShipped: 99 })).toBe('insufficient_exposure');
    expect(batchStatus({ ...base, unitsShipped: 100 })).toBe('ok');
    expect(batchStatus({ ...base, unitsShipped: 50, defectRate: 0.5, ciLow: 0.36, ciHigh: 0.64 })).toBe('confirmed_breach');
  });
});

describe('models.batches on literal data', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let rows: Map<string, BatchRow>;
  beforeAll(async () => {
    t = await tempStore();
    const s = t.store;
    // B1: every kind of return line, all opened 2024-06-01 on distinct units.
    await addUnits(s, { batch: 'B1', sku: 'COUNT', n: 1000, shippedOn: '2024-01-01' });
    await addRmas(s, { batch: 'B1', n: 8, openedOn: '2024-06-01', outcome: 'trouble_found_repair', inspectedOn: '2024-06-10', from: 1 });
    await addRmas(s, { batch: 'B1', n: 2, openedOn: '2024-06-01', outcome: 'trouble_found_replace', inspectedOn: '2024-06-10', from: 9 });
    await addRmas(s, { batch: 'B1', n: 3, openedOn: '2024-06-01', outcome: null, from: 11 });
    // inspected after the analysis date: still pending on 2024-12-31
    await addRmas(s, { batch: 'B1', n: 2, openedOn: '2024-06-01', outcome: 'trouble_found_repair', inspectedOn: '2025-01-10', from: 14 });
    await addRmas(s, { batch: 'B1', n: 4, openedOn: '2024-06-01', outcome: 'no_trouble_found', inspectedOn: '2024-06-10', from: 16 });
    await addRmas(s, { batch: 'B1', n: 2, openedOn: '2024-06-01', outcome: 'customer_damage', inspectedOn: '2024-06-10', from: 20 });
    await addRmas(s, { batch: 'B1', n: 5, openedOn: '2024-06-01', reason: 'wrong_item', outcome: 'not_inspected', from: 22 });
    // opened after the analysis date: not there yet
    await addRmas(s, { batch: 'B1', n: 1, openedOn: '2025-01-05', from: 27 });
    // the same RMA seen again in a second source: not counted twice
    await addRmas(s, { batch: 'B1', n: 1, openedOn: '2024-06-01', from: 1, source: 'other' });
    await s.run("UPDATE rma SET duplicate_of = 'test::0' WHERE source = 'other'");

    // Status boundaries, one SKU each so no SKU curve leaks between them.
    await addUnits(s, { batch: 'AT', sku: 'AT', n: 1000, shippedOn: '2022-01-01' });
    await addRmas(s, { batch: 'AT', n: 20, openedOn: '2022-06-01', inspectedOn: '2022-06-02' });
    await addUnits(s, { batch: 'ABOVE', sku: 'ABOVE', n: 1000, shippedOn: '2022-01-01' });
    await addRmas(s, { batch: 'ABOVE', n: 21, openedOn: '2022-06-01', inspectedOn: '2022-06-02' });
    await addUnits(s, { batch: 'CONF', sku: 'CONF', n: 1000, shippedOn: '2022-01-01' });
    await addRmas(s, { batch: 'CONF', n: 40, openedOn: '2022-06-01', inspectedOn: '2022-06-02' });
    await addUnits(s, { batch: 'SMALL', sku: 'SMALL', n: 99, shippedOn: '2022-01-01' });
    await addUnits(s, { batch: 'CLEAN', sku: 'CLEAN', n: 1000, shippedOn: '2022-01-01' });

    // A wearing-out SKU: the old batch failed late in life; the young batch has barely started.
    await addUnits(s, { batch: 'OLD', sku: 'WEAR', n: 2000, shippedOn: '2022-01-01' });
    const lateDates = ['2022-11-01', '2023-02-01', '2023-05-01', '2023-08-01', '2023-10-01', '2023-12-01'];
    for (const [i, d] of lateDates.entries()) await addRmas(s, { batch: 'OLD', n: 10, openedOn: d, inspectedOn: d, from: 1 + i * 10 });
    await addUnits(s, { batch: 'YOUNG', sku: 'WEAR', n: 1000, shippedOn: '2024-10-01' });
    await addRmas(s, { batch: 'YOUNG', n: 1, openedOn: '2024-12-01', inspectedOn: '2024-12-02' });

    // Life data in 30-day buckets: three units confirmed at 60 days, one of them again at 182 days.
    await addUnits(s, { batch: 'AGES', sku: 'AGES', n: 100, shippedOn: '2024-01-01' });
    await addRmas(s, { batch: 'AGES', n: 3, openedOn: '2024-03-01', inspectedOn: '2024-03-05', from: 1 });
    await addRmas(s, { batch: 'AGES', n: 1, openedOn: '2024-07-01', inspectedOn: '2024-07-05', from: 1 });

    // Batch totals only (no per-serial registry): 500 units shipped mid-window 2024-07-01.
    await s.run("INSERT INTO batches (batch_id, sku, units_shipped, shipped_from, shipped_to) VALUES ('TOT', 'TOT', 500, DATE '2024-06-01', DATE '2024-07-31')");

    await build(s, { asOf: '2024-12-31', config: defaultConfig() });
    rows = new Map((await s.all<BatchRow>('SELECT * FROM models.batches')).map((r) => [r.batch_id, r]));
  });
  afterAll(async () => t.cleanup());

  it('counts returns, confirmed defects, pending and NTF exactly as the contract defines them', () => {
    const b1 = rows.get('B1')!;
    // 8 + 2 confirmed, 3 + 2 pending, 4 NTF, 2 customer damage, 5 wrong item; duplicate and later line left out
    expect(b1).toMatchObject({ sku: 'COUNT', units_shipped: 1000, returns: 26, confirmed_defects: 10, pending: 5, no_trouble_found: 4 });
    expect(b1.defect_rate).toBeCloseTo(0.01, 12);
  });

  it('takes exposure from ship date to the analysis date, ending at a unit’s return', () => {
    // 1000 units × 366 days (2024 is a leap year), minus 26 returned units × 214 days from 2024-06-01 to 2025-01-01
    expect(rows.get('B1')!.unit_days).toBe(366_000 - 26 * 214);
  });

  it('uses the Wilson interval of confirmed defects over units shipped', () => {
    const w = wilsonInterval(10, 1000);
    expect(rows.get('B1')!.ci_low).toBeCloseTo(w.low, 12);
    expect(rows.get('B1')!.ci_high).toBeCloseTo(w.high, 12);
  });

  it('applies the status boundaries on real rows', () => {
    expect(rows.get('AT')!.status).toBe('watch'); // 2.0 % is not above 2 %, but the upper bound is
    expect(rows.get('ABOVE')!.status).toBe('breach'); // 2.1 %
    expect(rows.get('CONF')!.status).toBe('confirmed_breach'); // 4 %: Wilson lower bound ≈ 2.9 %
    expect(rows.get('CONF')!.ci_low).toBeGreaterThan(0.02);
    expect(rows.get('SMALL')!.status).toBe('insufficient_exposure');
    expect(rows.get('CLEAN')).toMatchObject({ status: 'ok', confirmed_defects: 0, returns: 0, projected_rate: null });
  });

  it('projects a young batch from the SKU’s return curve instead of trusting its raw rate', () => {
    const young = rows.get('YOUNG')!;
    expect(young.defect_rate).toBeCloseTo(0.001, 12);
    // OLD lost 3 % of its units between ages 10 and 23 months; YOUNG is 3 months old.
    expect(young.projected_rate!).toBeGreaterThan(0.02);
    expect(young.status).toBe('watch');
    const old = rows.get('OLD')!;
    expect(old.confirmed_defects).toBe(60);
    expect(old.status).toBe('confirmed_breach');
    // projection never falls below what already came back
    expect(old.projected_rate!).toBeGreaterThanOrEqual(old.defect_rate!);
  });

  it('profiles a batch’s life data by age: failures at their age at the claim, the other units at their age now', async () => {
    const profile = await t.store.all<{ age_bucket: number; failures: number; failure_age: number | null; suspensions: number; suspension_age: number | null }>(
      "SELECT age_bucket, failures, failure_age, suspensions, suspension_age FROM models.batch_age_profile WHERE batch_id = 'AGES' ORDER BY age_bucket");
    // 2024-01-01 → 2024-03-01: 60 days (bucket 2); → 2024-07-01: 182 days (bucket 6); → 2025-01-01: 366 days (bucket 12).
    // Every confirmed defect is a failure, the repeat too; a unit leaves the suspensions once, at its first return.
    expect(profile).toEqual([
      { age_bucket: 2, failures: 3, failure_age: 60, suspensions: 0, suspension_age: null },
      { age_bucket: 6, failures: 1, failure_age: 182, suspensions: 0, suspension_age: null },
      { age_bucket: 12, failures: 0, failure_age: null, suspensions: 97, suspension_age: 366 },
    ]);
  });

  it('judges a batch known only from batch totals', () => {
    // shipped mid-window (2024-07-01) → 184 days to 2025-01-01
    expect(rows.get('TOT')).toMatchObject({ units_shipped: 500, unit_days: 500 * 184, returns: 0, status: 'ok' });
  });

  it('uses the per-SKU threshold from the configuration', async () => {
    await build(t.store, { asOf: '2024-12-31', config: parseConfig({ batches: { sku_thresholds: { COUNT: 0.005 } } }) });
    const b1 = await t.store.one<BatchRow>("SELECT * FROM models.batches WHERE batch_id = 'B1'");
    expect(b1).toMatchObject({ threshold: 0.005, status: 'confirmed_breach' });
  });
});
