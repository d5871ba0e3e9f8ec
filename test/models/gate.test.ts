import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poissonRateRatioTest } from '../../models/stats/index.js';
import { build } from '../../pipeline/build.js';
import { defaultConfig } from '../../pipeline/config.js';
import { gate, gateJunit } from '../../pipeline/gate.js';
import { addRmas, addUnits, tempStore } from './fixtures.js';

const run = promisify(execFile);
const cli = join(process.cwd(), 'dist/bin/rma-intel.js');

/**
 * SKU G, batches K1 and K2, every unit shipped 2024-01-01, analysis date 2024-12-31.
 * Claims are spread evenly over four dates (unit ages 14, 60, 152 and 274 days).
 * - S1 (stable baseline): 3,000 units per batch; PWR 20, REC 8 per batch.
 * - C-GOOD: 2,000 units per batch; PWR 8, REC 4 per batch (better than the baseline).
 * - C-BAD: 2,000 units per batch; PWR 0, REC 20 per batch: recording regresses 3.75× while the
 *   all-cause rate (20 per 2,000 units vs 28 per 3,000) looks fine.
 * - C-YOUNG: 100 units per batch shipped 2024-12-01: a month on the market, no claims yet.
 */
const dates = ['2024-01-15', '2024-03-01', '2024-06-01', '2024-10-01'];

async function seed(t: Awaited<ReturnType<typeof tempStore>>): Promise<void> {
  const s = t.store;
  const builds: [fw: string, perBatch: number, pwr: number, rec: number, shipped: string][] = [
    ['S1', 3000, 20, 8, '2024-01-01'],
    ['C-GOOD', 2000, 8, 4, '2024-01-01'],
    ['C-BAD', 2000, 0, 20, '2024-01-01'],
    ['C-YOUNG', 100, 0, 0, '2024-12-01'],
  ];
  for (const batch of ['K1', 'K2']) {
    for (const [fw, n, pwr, rec, shipped] of builds) {
      const prefix = `${batch}-${fw}-`;
      await addUnits(s, { batch, sku: 'G', n, shippedOn: shipped, firmware: fw, prefix });
      let next = 1;
      for (const [code, count] of [['PWR', pwr], ['REC', rec]] as const) {
        for (const d of dates) {
          if (count === 0) continue;
          await addRmas(s, { batch, n: count / 4, openedOn: d, inspectedOn: d, code, prefix, from: next });
          next += count / 4;
        }
      }
    }
  }
  await s.run(`INSERT INTO firmware_builds (firmware_version, sku, released_at, channel, status) VALUES
    ('S0', 'G', TIMESTAMPTZ '2023-01-01', 'stable', 'released'),
    ('S1', 'G', TIMESTAMPTZ '2024-01-01', 'stable', 'released'),
    ('C-GOOD', 'G', TIMESTAMPTZ '2024-01-01', 'beta', 'candidate'),
    ('C-BAD', 'G', TIMESTAMPTZ '2024-01-01', 'beta', 'candidate'),
    ('C-YOUNG', 'G', TIMESTAMPTZ '2024-12-01', 'beta', 'candidate')`);
}

describe('release gate', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
    await seed(t);
    await build(t.store, { asOf: '2024-12-31', config: defaultConfig() });
  });
  afterAll(async () => t.cleanup());

  it('holds a candidate whose recording failures regress even though all-cause looks fine', async () => {
    const g = await gate(t.store, { candidate: 'C-BAD', config: defaultConfig() });
    expect(g).toMatchObject({ candidate: 'C-BAD', baseline: 'S1', sku: 'G', verdict: 'hold', all_cause_regression: false });
    const rec = g.failure_codes.find((f) => f.failure_code === 'REC')!;
    // same batches and ages on both sides, so the test is the plain exact conditional test
    const expected = poissonRateRatioTest(40, 4000 * 366, 16, 6000 * 366, 'greater');
    expect(rec.candidate_returns).toBe(40);
    expect(rec.baseline_returns).toBe(16);
    expect(rec.p_value).toBeCloseTo(expected.pValue, 12);
    expect(rec.rate_ratio!).toBeCloseTo(3.75, 9);
    expect(rec.regression).toBe(true);
    expect(g.failure_codes.find((f) => f.failure_code === 'PWR')!.regression).toBe(false);
    expect(g.q_value).toBeGreaterThan(0.05);
    expect(g.reasons.join(' ')).toMatch(/REC regresses/);
    expect(g.candidate_stats).toMatchObject({ returns: 40, unit_days: 4000 * 366 });
  });

  it('lets a candidate go when nothing regresses and the exposure rules out the unacceptable rate', async () => {
    const g = await gate(t.store, { candidate: 'C-GOOD', sku: 'G', config: defaultConfig() });
    expect(g.verdict).toBe('go');
    expect(g.sprt.decision).toBe('accept');
    expect(g.baseline_builds).toEqual(['S1']);
    expect(g.failure_codes.every((f) => !f.regression)).toBe(true);
    expect(g.reasons[0]).toMatch(/rule out the unacceptable rate/);
  });

  it('says insufficient evidence, never go, for a candidate with a month of exposure', async () => {
    const g = await gate(t.store, { candidate: 'C-YOUNG', config: defaultConfig() });
    expect(g.verdict).toBe('insufficient_evidence');
    expect(g.sprt.decision).toBe('continue');
    expect(g.candidate_stats.returns).toBe(0);
    expect(g.reasons.join(' ')).toMatch(/cannot yet rule out/);
  });

  it('compares with an explicit baseline and rejects the candidate as its own baseline', async () => {
    const g = await gate(t.store, { candidate: 'C-BAD', baseline: 'C-GOOD', config: defaultConfig() });
    expect(g.baseline).toBe('C-GOOD');
    expect(g.verdict).toBe('hold');
    await expect(gate(t.store, { candidate: 'C-BAD', baseline: 'C-BAD', config: defaultConfig() })).rejects.toMatchObject({ code: 'RMA_ERR_USAGE' });
    await expect(gate(t.store, { candidate: 'NOPE', config: defaultConfig() })).rejects.toMatchObject({ code: 'RMA_ERR_NOT_FOUND' });
  });

  it('writes JUnit XML with one testcase per failure code', async () => {
    const xml = gateJunit(await gate(t.store, { candidate: 'C-BAD', config: defaultConfig() }));
    expect(xml).toMatch(/^<\?xml/);
    expect(xml.match(/<testcase /g)!.length).toBe(4); // PWR, REC, all-cause, SPRT
    expect(xml).toMatch(/name="failure code REC"><failure message="REC regresses">/);
    expect(xml).toMatch(/name="failure code PWR"><system-out>/);
    expect(xml).toMatch(/failures="1"/);
  });

  describe('CLI', () => {
    beforeAll(async () => {
      if (!existsSync(cli)) throw new Error('build first: npx tsc -p tsconfig.json');
      await t.store.close();
    });
    const gateCli = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      try {
        const r = await run('node', [cli, 'gate', '--db', t.path, ...args]);
        return { code: 0, stdout: r.stdout, stderr: r.stderr };
      } catch (e) {
        const err = e as { code: number; stdout: string; stderr: string };
        return { code: err.code, stdout: err.stdout, stderr: err.stderr };
      }
    };

    it('exits 1 on hold, with the JSON of CONTRACT 7.3 and a JUnit file', async () => {
      const junit = join(t.dir, 'gate.xml');
      const r = await gateCli(['--candidate', 'C-BAD', '--json', '--junit', junit]);
      expect(r.code).toBe(1);
      const g = JSON.parse(r.stdout);
      for (const k of ['candidate', 'baseline', 'sku', 'verdict', 'candidate_stats', 'baseline_stats', 'rate_ratio', 'p_value', 'sprt', 'reasons']) expect(g).toHaveProperty(k);
      expect(g.verdict).toBe('hold');
      expect(readFileSync(junit, 'utf8')).toMatch(/REC regresses/);
    });

    it('exits 0 on go and 3 on insufficient evidence, with reasons in plain words', async () => {
      const go = await gateCli(['--candidate', 'C-GOOD', '--sku', 'G']);
      expect(go.code).toBe(0);
      expect(go.stdout).toMatch(/^GO: C-GOOD vs S1 on G/);
      const young = await gateCli(['--candidate', 'C-YOUNG']);
      expect(young.code).toBe(3);
      expect(young.stdout).toMatch(/INSUFFICIENT EVIDENCE/);
      expect(young.stdout).toMatch(/cannot yet rule out the unacceptable rate/);
    });

    it('exits 2 with a usage error without --candidate', async () => {
      const r = await gateCli([]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--candidate is required/);
    });
  });
});
