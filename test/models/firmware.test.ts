import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactPValueOf } from '../../models/firmware.model.js';
import { mantelHaenszelRateRatio } from '../../models/stats/index.js';
import { build } from '../../pipeline/build.js';
import { defaultConfig, parseConfig } from '../../pipeline/config.js';
import { addRmas, addUnits, tempStore } from './fixtures.js';

interface FirmwareRow {
  firmware_version: string;
  sku: string;
  failure_code: string;
  returns: number;
  unit_days: number;
  rate_per_1000_unit_months: number;
  baseline_rate: number;
  relative_risk: number | null;
  crude_relative_risk: number | null;
  p_value: number;
  q_value: number;
  adjusted_for: string;
  flagged: boolean;
}

/**
 * Three batches of SKU F, each with units on builds A and B (serials <batch>-A-… and <batch>-B-…),
 * all shipped 2024-01-01, every claim opened 2024-06-01 (age 152 days: the 90–180 day band).
 * - FOG: a sealing fault of batch BAD (3 % on either build); BAD mostly runs B, so B looks 3× worse
 *   crude — a batch effect, not a firmware one.
 * - REC: a genuine firmware fault of B (2 % on B vs 0.2 % on A in every batch).
 */
async function seed(t: Awaited<ReturnType<typeof tempStore>>): Promise<void> {
  const s = t.store;
  const units = { G1: { A: 1000, B: 1000 }, G2: { A: 1000, B: 1000 }, BAD: { A: 200, B: 1800 } } as const;
  for (const [batch, byBuild] of Object.entries(units)) {
    for (const [fw, n] of Object.entries(byBuild)) {
      await addUnits(s, { batch, sku: 'F', n, shippedOn: '2024-01-01', firmware: fw, prefix: `${batch}-${fw}-` });
    }
  }
  const claims: [batch: string, fw: string, code: string, n: number][] = [
    ['G1', 'A', 'FOG', 3], ['G1', 'B', 'FOG', 3], ['G2', 'A', 'FOG', 3], ['G2', 'B', 'FOG', 3], ['BAD', 'A', 'FOG', 6], ['BAD', 'B', 'FOG', 54],
    ['G1', 'A', 'REC', 2], ['G1', 'B', 'REC', 20], ['G2', 'A', 'REC', 2], ['G2', 'B', 'REC', 20], ['BAD', 'B', 'REC', 36],
  ];
  const used = new Map<string, number>();
  for (const [batch, fw, code, n] of claims) {
    const prefix = `${batch}-${fw}-`;
    const from = (used.get(prefix) ?? 0) + 1;
    used.set(prefix, from - 1 + n);
    await addRmas(s, { batch, n, openedOn: '2024-06-01', inspectedOn: '2024-06-05', code, prefix, from });
  }
}

// the exact conditional p-value of a cell from the Mantel–Haenszel totals of its strata
const stratifiedExactPValue = (strata: Parameters<typeof mantelHaenszelRateRatio>[0]): number => exactPValueOf(mantelHaenszelRateRatio(strata));

describe('exactPValueOf', () => {
  it('is the exact binomial test for one stratum, where the score test calls one claim a certainty', () => {
    // one claim where the build holds 1 % of the unit-days: P(X ≥ 1 | n = 1, p = 0.01) = 0.01
    const strata = [{ cases1: 1, time1: 1, cases0: 0, time0: 99 }];
    expect(stratifiedExactPValue(strata)).toBeCloseTo(0.01, 12);
    expect(mantelHaenszelRateRatio(strata).pValue).toBeLessThan(1e-10);
  });
  it('pools strata by their expected share and ignores strata without information', () => {
    // E = 10·0.5 + 10·0.5 = 10 of 20 claims; 10 observed → no evidence either way
    const even = [{ cases1: 5, time1: 1, cases0: 5, time0: 1 }, { cases1: 5, time1: 3, cases0: 5, time0: 3 }, { cases1: 0, time1: 0, cases0: 4, time0: 2 }];
    expect(stratifiedExactPValue(even)).toBeCloseTo(1, 12);
    expect(stratifiedExactPValue([{ cases1: 0, time1: 5, cases0: 0, time0: 5 }])).toBe(1);
  });
});

describe('models.firmware: stratified build × code effects', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let cells: Map<string, FirmwareRow>;
  beforeAll(async () => {
    t = await tempStore();
    await seed(t);
    await build(t.store, { asOf: '2024-12-31', config: defaultConfig() });
    cells = new Map((await t.store.all<FirmwareRow>("SELECT * FROM models.firmware WHERE sku = 'F'")).map((r) => [`${r.firmware_version}/${r.failure_code}`, r]));
  });
  afterAll(async () => t.cleanup());

  it('has one cell per build × code with crude counts and rates', () => {
    expect([...cells.keys()].sort()).toEqual(['A/FOG', 'A/REC', 'B/FOG', 'B/REC']);
    const bFog = cells.get('B/FOG')!;
    expect(bFog.returns).toBe(60);
    // exposure: 3,800 units on B × 366 days (returns do not end firmware exposure)
    expect(bFog.unit_days).toBe(3800 * 366);
    expect(bFog.rate_per_1000_unit_months).toBeCloseTo((60 / ((3800 * 366) / (365.25 / 12))) * 1000, 9);
    expect(bFog.baseline_rate).toBeCloseTo((12 / ((2200 * 366) / (365.25 / 12))) * 1000, 9);
    expect(bFog.adjusted_for).toBe('batch_id, age_band');
  });

  it('does not flag a bad batch that happens to run a build (confounded crude effect)', () => {
    const bFog = cells.get('B/FOG')!;
    // crude: 60 claims on 3,800 units vs 12 on 2,200 → 2.9×
    expect(bFog.crude_relative_risk!).toBeCloseTo(60 / 3800 / (12 / 2200), 9);
    // within each batch the two builds fail alike: Σ a·T0/T = Σ b·T1/T = 1.5 + 1.5 + 5.4
    expect(bFog.relative_risk!).toBeCloseTo(1, 9);
    expect(bFog.p_value).toBeGreaterThan(0.5);
    expect(bFog.flagged).toBe(false);
  });

  it('flags a genuine firmware fault with its stratified rate ratio', () => {
    const bRec = cells.get('B/REC')!;
    // Σ a·T0/T = 10 + 10 + 3.6, Σ b·T1/T = 1 + 1 + 0
    expect(bRec.relative_risk!).toBeCloseTo(23.6 / 2, 9);
    expect(bRec.q_value).toBeLessThan(0.05);
    expect(bRec.flagged).toBe(true);
    // the mirror cell is a protective effect, never flagged
    expect(cells.get('A/REC')!.flagged).toBe(false);
  });

  it('needs a material effect as well as significance', async () => {
    await build(t.store, { asOf: '2024-12-31', config: parseConfig({ firmware: { material_effect: 20 } }) });
    const bRec = await t.store.one<FirmwareRow>("SELECT * FROM models.firmware WHERE firmware_version = 'B' AND failure_code = 'REC'");
    expect(bRec!.q_value).toBeLessThan(0.05);
    expect(bRec!.flagged).toBe(false);
  });

  it('spreads installed-base snapshots as a step function over the build’s batches and ages', async () => {
    // B: 3,000 active units from 2024-07-01 until the SKU's next snapshot on 2024-10-01, then 1,000 to the end
    await t.store.run(`INSERT INTO firmware_installs (firmware_version, sku, as_of, active_units) VALUES
      ('B', 'F', DATE '2024-07-01', 3000), ('A', 'F', DATE '2024-07-01', 2000),
      ('B', 'F', DATE '2024-10-01', 1000), ('A', 'F', DATE '2024-10-01', 2000)`);
    await build(t.store, { asOf: '2024-12-31', config: defaultConfig() });
    const [b] = await t.store.all<{ unit_days: number; sources: string[] }>(
      "SELECT sum(unit_days) AS unit_days, list(DISTINCT exposure_source) AS sources FROM models.firmware_exposure WHERE firmware_version = 'B'",
    );
    expect(b.unit_days).toBeCloseTo(3000 * 92 + 1000 * 92, 6);
    expect(b.sources).toEqual(['snapshots']);
    await t.store.run('DELETE FROM firmware_installs');
  });
});
