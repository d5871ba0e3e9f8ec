import { describe, expect, it } from 'vitest';
import { annualizedFailureRate, bernoulliSprt, cusum, laneyPChart, pChart } from '../../models/stats/index.js';

// D. C. Montgomery, Introduction to Statistical Quality Control, 6th ed. (2009), Example 7.1
// (orange-juice cans, Table 7.1): 30 samples of n = 50, nonconforming counts below.
const CANS = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6];

describe('pChart', () => {
  // Montgomery Example 7.1 prints p̄ = 0.2313, UCL = 0.4102, LCL = 0.0524, and samples 15 and 23
  // above the UCL.
  it('Montgomery Example 7.1 trial limits', () => {
    const chart = pChart(CANS, CANS.map(() => 50));
    expect(chart[0].center).toBeCloseTo(0.2313, 4);
    expect(chart[0].ucl).toBeCloseTo(0.4102, 4);
    expect(chart[0].lcl).toBeCloseTo(0.0524, 4);
    const out = chart.flatMap((p, i) => (p.outOfControl ? [i + 1] : []));
    expect(out).toEqual([15, 23]);
  });

  // Montgomery Example 7.1 (continued): after removing samples 15 and 23 the revised limits are
  // p̄ = 0.2150, UCL = 0.3893, LCL = 0.0407 — used here as a given standard.
  it('Montgomery Example 7.1 revised limits as a standard', () => {
    const chart = pChart(CANS, CANS.map(() => 50), 0.215);
    expect(chart[0].center).toBe(0.215);
    expect(chart[0].ucl).toBeCloseTo(0.3893, 4);
    expect(chart[0].lcl).toBeCloseTo(0.0407, 4);
    // and the pooled estimate without those samples is the same p̄
    const kept = CANS.filter((_, i) => i !== 14 && i !== 22);
    expect(pChart(kept, kept.map(() => 50))[0].center).toBeCloseTo(0.215, 4);
  });

  // An Introduction to Business Statistics, ch. 16 (statistical quality control), Example 16.6
  // (fliphtml5.com/eraqv/ufcc, p. 489): ten samples of 200 items with 40, 44, 22, 34, 24, 32, 28, 32,
  // 34 and 30 defectives; the book prints p̄ = 320/2000 = 0.16, UCL = 0.2378, LCL = 0.0822 and "all
  // the units fall within the upper and lower control limits".
  it('Business Statistics Example 16.6 (n = 200, all in control)', () => {
    const defects = [40, 44, 22, 34, 24, 32, 28, 32, 34, 30];
    const chart = pChart(defects, defects.map(() => 200));
    expect(chart[0].center).toBe(0.16);
    for (const point of chart) {
      expect(point.ucl).toBeCloseTo(0.2378, 4);
      expect(point.lcl).toBeCloseTo(0.0822, 4);
      expect(point.outOfControl).toBe(false);
    }
  });

  it('variable sizes, LCL floored at 0, zero defects give no NaN', () => {
    const chart = pChart([0, 1, 2], [10, 20, 400]);
    expect(chart[0].lcl).toBe(0);
    expect(chart[2].ucl - chart[2].lcl).toBeLessThan(chart[0].ucl - chart[0].lcl);
    const none = pChart([0, 0], [10, 10]);
    expect(none[0]).toEqual({ p: 0, center: 0, lcl: 0, ucl: 0, outOfControl: false });
  });

  it('rejects invalid input', () => {
    expect(() => pChart([1, 2], [10])).toThrow(/same length/);
    expect(() => pChart([11], [10])).toThrow(/exceeds/);
    expect(() => pChart([1], [0])).toThrow(RangeError);
    expect(() => pChart([1], [10], 1.5)).toThrow(RangeError);
  });
});

describe('laneyPChart', () => {
  // No published worked example with data and printed σ_Z / limits was found (Laney 2002 and Minitab's
  // DefectiveRecords example print only charts; Minitab's page states "Sigma Z (approximately 1.7)"
  // without the data). The definition (Minitab "Methods and formulas for Laney P' Chart": z-scores,
  // MR̄ of length 2, σ_Z = MR̄/1.128, limits p̄ ± 3·σ_p·σ_Z) is checked by hand below.
  it('σ_Z from the moving ranges of z-scores (hand computation)', () => {
    const d = [10, 30, 20];
    const n = [100, 100, 100];
    const chart = laneyPChart(d, n);
    const pbar = 0.2;
    const s = Math.sqrt((pbar * 0.8) / 100);
    const z = [-0.1 / s, 0.1 / s, 0];
    const sigmaZ = ((Math.abs(z[1] - z[0]) + Math.abs(z[2] - z[1])) / 2) / 1.128;
    expect(chart[0].sigmaZ).toBeCloseTo(sigmaZ, 12);
    expect(chart[0].ucl).toBeCloseTo(pbar + 3 * s * sigmaZ, 12);
  });

  it('overdispersed large subgroups: p chart flags everything, Laney p′ does not widen less than needed', () => {
    // Large subgroups with real between-lot variation (Laney 2002's motivating case).
    const sizes = [20000, 21000, 19500, 20500, 20000, 19800, 20200, 20100];
    const defects = [410, 380, 455, 395, 430, 370, 445, 405];
    const p = pChart(defects, sizes).filter((x) => x.outOfControl).length;
    const lp = laneyPChart(defects, sizes);
    expect(lp[0].sigmaZ).toBeGreaterThan(1);
    expect(lp.filter((x) => x.outOfControl).length).toBeLessThanOrEqual(p);
    for (const x of lp) expect(x.ucl).toBeGreaterThan(pChart(defects, sizes)[0].center);
  });

  it('zero defects everywhere give σ_Z = 0 without NaN; needs two subgroups', () => {
    const chart = laneyPChart([0, 0, 0], [10, 10, 10]);
    expect(chart.every((x) => x.sigmaZ === 0 && x.lcl === 0 && x.ucl === 0)).toBe(true);
    expect(() => laneyPChart([1], [10])).toThrow(/two subgroups/);
  });
});

describe('cusum', () => {
  // Montgomery (2009), Example 9.1 / Table 9.1–9.2: 30 observations, μ0 = 10, σ = 1, k = 1/2,
  // h = 5. The table prints C⁺₂₉ = 5.28 and C⁺₃₀ = 5.30, the first values above H = 5 (signal at
  // observation 29); the lower CUSUM never signals (largest C⁻ = 1.77 at observation 3).
  const X = [9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.2, 10.34, 9.03, 11.47, 10.51, 9.4, 10.08, 9.37, 10.62, 10.31, 8.52, 10.84, 10.9, 9.33, 12.29, 11.5, 10.6, 11.08, 10.38, 11.62, 11.31, 10.52];

  it('Montgomery Example 9.1', () => {
    const r = cusum(X, { target: 10, k: 0.5, h: 5, sigma: 1 });
    expect(r.upper[28]).toBeCloseTo(5.28, 2);
    expect(r.upper[29]).toBeCloseTo(5.3, 2);
    expect(r.upper[3]).toBeCloseTo(1.16, 2);
    expect(r.lower[1]).toBeCloseTo(1.56, 2);
    expect(r.lower[2]).toBeCloseTo(1.77, 2);
    expect(r.signals).toEqual([
      { index: 28, side: 'upper' },
      { index: 29, side: 'upper' },
    ]);
  });

  // NIST/SEMATECH e-Handbook of Statistical Methods, §6.3.2.3 "CUSUM Control Charts"
  // (itl.nist.gov/div898/handbook/pmc/section3/pmc323.htm), tabular form: 20 group means, target 325,
  // k = 0.3175, h = 4.1959 (data units). The table prints S_hi and S_lo to 2 decimals and stars S_hi for
  // groups 14–20; S_lo never signals. (Figures taken from a public transcription of the printed
  // table, not read off the NIST page directly; four exact values are half-way ties — 14.445, 19.035,
  // 0.715, 0.255 — printed either way, so the check allows half a unit in the last place.)
  it('NIST e-Handbook 6.3.2.3 tabular CUSUM (target 325, k = 0.3175, h = 4.1959)', () => {
    const means = [324.925, 324.675, 324.725, 324.35, 325.35, 325.225, 324.125, 324.525, 325.225, 324.6, 324.625, 325.15, 328.325, 327.25, 327.825, 328.5, 326.675, 327.775, 326.875, 328.35];
    const sHi = [0, 0, 0, 0, 0.03, 0, 0, 0, 0, 0, 0, 0, 3.01, 4.94, 7.45, 10.63, 11.99, 14.44, 16.0, 19.04];
    const sLo = [0, 0.01, 0, 0.33, 0, 0, 0.56, 0.72, 0.17, 0.25, 0.31, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const r = cusum(means, { target: 325, k: 0.3175, h: 4.1959 });
    r.upper.forEach((v, i) => expect(Math.abs(v - sHi[i])).toBeLessThanOrEqual(0.005 + 1e-9));
    r.lower.forEach((v, i) => expect(Math.abs(v - sLo[i])).toBeLessThanOrEqual(0.005 + 1e-9));
    expect(r.signals).toEqual([13, 14, 15, 16, 17, 18, 19].map((index) => ({ index, side: 'upper' })));
  });

  it('k and h in σ units: same result for data scaled by σ', () => {
    const scaled = X.map((x) => 100 + (x - 10) * 3);
    const r = cusum(scaled, { target: 100, k: 0.5, h: 5, sigma: 3 });
    expect(r.signals.map((s) => s.index)).toEqual([28, 29]);
    expect(r.upper[28] / 3).toBeCloseTo(5.28, 2);
  });

  it('no reset after a signal; lower side signals on a downward shift', () => {
    const r = cusum([10, 4, 4, 4, 10, 10], { target: 10, k: 0.5, h: 5 });
    expect(r.lower).toEqual([0, 5.5, 11, 16.5, 16, 15.5]);
    expect(r.signals.map((s) => s.index)).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects invalid input', () => {
    expect(() => cusum([1], { target: 0, k: -1, h: 5 })).toThrow(RangeError);
    expect(() => cusum([1], { target: 0, k: 0.5, h: 0 })).toThrow(RangeError);
    expect(() => cusum([Number.NaN], { target: 0, k: 0.5, h: 5 })).toThrow(TypeError);
  });
});

describe('bernoulliSprt', () => {
  // Only one published example with printed numbers was found. The NIST/SEMATECH e-Handbook §6.2.6
  // "What is a Sequential Sampling Plan?" tabulates acceptance/rejection numbers for n = 1…26 ("for
  // n = 24 the acceptance number is 0 and the rejection number is 3"), but the copies reachable here
  // show its plan parameters only as images, so it is not used. The Wald bounds are also checked by
  // hand below.
  // Montgomery (2009), ch. 15, sequential sampling example: p1 = 0.01, α = 0.05, p2 = 0.06, β = 0.10
  // gives (log10) k = 0.80066, h1 = 1.22, h2 = 1.57, s = 0.028: accept when the number of defectives
  // is ≤ −1.22 + 0.028n, reject when ≥ 1.57 + 0.028n.
  const plan = { p0: 0.01, p1: 0.06, alpha: 0.05, beta: 0.1 };
  const g = Math.log((0.06 * 0.99) / (0.01 * 0.94));

  it('Montgomery ch. 15: the plan lines h1, h2, s', () => {
    const r = bernoulliSprt(plan, 0, 1);
    expect(g / Math.LN10).toBeCloseTo(0.80066, 5);
    expect(-r.lowerBound / g).toBeCloseTo(1.22, 2);
    expect(r.upperBound / g).toBeCloseTo(1.57, 2);
    expect(Math.log(0.99 / 0.94) / g).toBeCloseTo(0.028, 3);
  });

  it('Montgomery ch. 15: decisions follow the acceptance and rejection lines', () => {
    const h1 = -bernoulliSprt(plan, 0, 1).lowerBound / g;
    const h2 = bernoulliSprt(plan, 0, 1).upperBound / g;
    const s = Math.log(0.99 / 0.94) / g;
    for (const n of [1, 10, 44, 45, 80, 100, 200]) {
      for (let d = 0; d <= Math.min(n, 12); d++) {
        const expected = d <= -h1 + s * n ? 'accept' : d >= h2 + s * n ? 'reject' : 'continue';
        expect(bernoulliSprt(plan, d, n).decision).toBe(expected);
      }
    }
    // no defectives: acceptance first possible at n = 44 (−1.22 + 0.028·44 ≥ 0)
    expect(bernoulliSprt(plan, 0, 43).decision).toBe('continue');
    expect(bernoulliSprt(plan, 0, 44).decision).toBe('accept');
    // two defectives at once: 2 ≥ 1.57 + 0.028·2 → reject
    expect(bernoulliSprt(plan, 2, 2).decision).toBe('reject');
  });

  it('Wald bounds and log-likelihood ratio', () => {
    const r = bernoulliSprt({ p0: 0.02, p1: 0.05, alpha: 0.05, beta: 0.2 }, 3, 100);
    expect(r.upperBound).toBeCloseTo(Math.log(0.8 / 0.05), 14);
    expect(r.lowerBound).toBeCloseTo(Math.log(0.2 / 0.95), 14);
    expect(r.llr).toBeCloseTo(3 * Math.log(2.5) + 97 * Math.log(0.95 / 0.98), 12);
    expect(bernoulliSprt({ p0: 0.02, p1: 0.05, alpha: 0.05, beta: 0.2 }, 0, 0)).toMatchObject({ decision: 'continue', llr: 0 });
  });

  it('rejects invalid plans and counts', () => {
    expect(() => bernoulliSprt({ ...plan, p1: 0.01 }, 0, 1)).toThrow(/differ/);
    expect(() => bernoulliSprt({ ...plan, alpha: 0 }, 0, 1)).toThrow(RangeError);
    expect(() => bernoulliSprt(plan, 3, 2)).toThrow(/must not exceed/);
  });
});

describe('annualizedFailureRate', () => {
  // Backblaze Drive Stats (e.g. Q2 2016 post): "The annualized failure rate is computed as follows:
  // ((Failures)/(Drive Days/365)) * 100". Backblaze Drive Stats for 2023: the 8TB Seagate
  // ST8000NM000A had zero failures over 52,876 drive days → AFR 0.00 %.
  it('Backblaze formula and the 2023 zero-failure model', () => {
    expect(annualizedFailureRate(0, 52876)).toBe(0);
    expect(annualizedFailureRate(1, 365)).toBe(100);
    expect(annualizedFailureRate(10, 365000)).toBeCloseTo(1, 14);
  });

  // Backblaze Drive Stats for Q2 2020 and Q3 2020 (backblaze.com/blog; the quarterly tables are
  // images there, reproduced as text by MyBroadband, "The most reliable hard drives in the world",
  // 2020-09-11 and the Q3 follow-up): model, drive days, failures, printed annualized failure rate.
  const backblaze2020: [string, number, number, number][] = [
    ['Q2 HGST HMS5C4040BLE640', 1159472, 9, 0.28],
    ['Q2 HGST HMS5C4040ALE640', 266200, 1, 0.14],
    ['Q2 Seagate ST4000DM000', 1739577, 49, 1.03],
    ['Q2 Seagate ST8000DM002', 890937, 17, 0.7],
    ['Q2 Seagate ST8000NM0055', 1316313, 33, 0.92],
    ['Q2 HGST HUH728080ALE600', 91000, 0, 0],
    ['Q3 HGST HMS5C4040BLE640', 1171895, 7, 0.22],
    ['Q3 Seagate ST4000DM000', 1753271, 69, 1.44],
    ['Q3 Seagate ST6000DX000', 81512, 1, 0.45],
    ['Q3 HGST HUH728080ALE600', 92702, 2, 0.79],
    ['Q3 Seagate ST8000DM002', 901933, 28, 1.13],
    ['Q3 Seagate ST8000NM0055', 1328845, 51, 1.4],
    ['Q3 Seagate ST10000NM0086', 110396, 3, 0.99],
    ['Q3 HGST HUH721212ALE600', 238966, 2, 0.31],
    ['Q3 HGST HUH721212ALN604', 997546, 10, 0.37],
  ];
  it.each(backblaze2020)('Backblaze 2020 quarterly table: %s', (_model, driveDays, failures, printed) => {
    expect(annualizedFailureRate(failures, driveDays)).toBeCloseTo(printed, 2);
  });

  // Backblaze Hard Drive Stats for Q1 2020 (text reprinted by Guru3D, 2020): the Toshiba 4 TB
  // (MD04ABA400V, 9,009 drive days in the quarter) had no failures, but "the Toshiba 4 TB drive AFR
  // would be 4.05% with just one failure in the quarter".
  it('Backblaze Q1 2020: one failure in 9,009 drive days is 4.05 %', () => {
    expect(annualizedFailureRate(0, 9009)).toBe(0);
    expect(annualizedFailureRate(1, 9009)).toBeCloseTo(4.05, 2);
  });

  it('counts of 10^7 and rejects invalid exposure', () => {
    expect(annualizedFailureRate(1e7, 365e9)).toBeCloseTo(1, 12);
    expect(() => annualizedFailureRate(1, 0)).toThrow(RangeError);
    expect(() => annualizedFailureRate(-1, 10)).toThrow(RangeError);
  });
});
