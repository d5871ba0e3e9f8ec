import { describe, expect, it } from 'vitest';
import {
  clopperPearsonInterval,
  exactPoissonUpperRate,
  poissonInterval,
  relativeRisk,
  wilsonInterval,
} from '../../models/stats/index.js';

describe('wilsonInterval', () => {
  // R. G. Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of
  // seven methods", Statistics in Medicine 17:857–872, Table I, method 3 (score, no continuity
  // correction), printed to 4 dp:
  //   81/263 → 0.2553, 0.3662;  15/148 → 0.0624, 0.1605;  0/20 → 0.0000, 0.1611;  1/29 → 0.0061, 0.1718
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('Newcombe (1998) Table I: %i/%i', (k, n, low, high) => {
    const r = wilsonInterval(k, n);
    expect(r.estimate).toBe(k / n);
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });

  // Cross-check (not a printed source): scipy 1.17 binomtest(81, 263).proportion_ci('wilson') gives
  // low=0.2552885198782742, high=0.36620957698280004 — the same closed form as R's
  // prop.test(81, 263, correct = FALSE)$conf.int.
  it('agrees with scipy proportion_ci(method="wilson") to 1e-12', () => {
    const r = wilsonInterval(81, 263);
    expect(r.low).toBeCloseTo(0.2552885198782742, 12);
    expect(r.high).toBeCloseTo(0.36620957698280004, 12);
  });

  it('edge cases: k = 0 gives low exactly 0, k = n gives high exactly 1, counts of 10^7', () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(10, 10).high).toBe(1);
    const big = wilsonInterval(1, 1e7);
    expect(big.low).toBeGreaterThan(0);
    expect(big.high).toBeLessThan(1e-6);
    expect(Number.isFinite(big.low) && Number.isFinite(big.high)).toBe(true);
  });

  it('contains its estimate and widens with confidence (property)', () => {
    for (const [k, n] of [[0, 5], [3, 7], [50, 100], [999, 1000], [12345, 1e7]]) {
      let prevWidth = 0;
      for (const c of [0.5, 0.8, 0.9, 0.95, 0.99, 0.999]) {
        const r = wilsonInterval(k, n, c);
        expect(r.low).toBeLessThanOrEqual(r.estimate);
        expect(r.high).toBeGreaterThanOrEqual(r.estimate);
        expect(r.high - r.low).toBeGreaterThan(prevWidth);
        prevWidth = r.high - r.low;
      }
    }
  });

  it('rejects invalid input', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 4, 95)).toThrow(/confidence must be in \(0, 1\)/);
    expect(() => wilsonInterval(1, 4, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(Number.NaN, 4)).toThrow(TypeError);
  });
});

describe('clopperPearsonInterval', () => {
  // Newcombe (1998) Table I, method 5 (exact, Clopper–Pearson), 4 dp:
  //   81/263 → 0.2527, 0.3676;  15/148 → 0.0578, 0.1617;  0/20 → 0.0000, 0.1684;  1/29 → 0.0009, 0.1776
  it.each([
    [81, 263, 0.2527, 0.3676],
    [15, 148, 0.0578, 0.1617],
    [0, 20, 0.0, 0.1684],
    [1, 29, 0.0009, 0.1776],
  ])('Newcombe (1998) Table I: %i/%i', (k, n, low, high) => {
    const r = clopperPearsonInterval(k, n);
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });

  // R documentation, binom.test: `binom.test(682, 925, p = 0.75)` (Mendel's peas) prints
  // "95 percent confidence interval: 0.7076683 0.7654066".
  it('R binom.test(682, 925) interval', () => {
    const r = clopperPearsonInterval(682, 925);
    expect(r.low).toBeCloseTo(0.7076683, 7);
    expect(r.high).toBeCloseTo(0.7654066, 7);
  });

  it('is accurate to ~1e-12 (high-precision reference from mpmath: 1/29 upper = 0.17764429548872293)', () => {
    expect(clopperPearsonInterval(1, 29).high).toBeCloseTo(0.17764429548872293, 13);
  });

  it('edge cases: 0 events, all events, counts of 10^7', () => {
    expect(clopperPearsonInterval(0, 50).low).toBe(0);
    expect(clopperPearsonInterval(50, 50).high).toBe(1);
    // one event in 10^7: lower = 1 − 0.975^(1/10^7) exactly (Beta(1, n) quantile)
    const r = clopperPearsonInterval(1, 1e7);
    expect(r.low / -Math.expm1(Math.log(0.975) / 1e7)).toBeCloseTo(1, 10);
    // half of 10^7: symmetric around 0.5
    const h = clopperPearsonInterval(5e6, 1e7);
    expect(h.low + h.high).toBeCloseTo(1, 12);
  });

  it('contains Wilson at 0 events and widens with confidence (property)', () => {
    for (const [k, n] of [[0, 20], [1, 29], [40, 50], [12345, 1e7]]) {
      let prevWidth = 0;
      for (const c of [0.5, 0.9, 0.95, 0.99, 0.9999]) {
        const r = clopperPearsonInterval(k, n, c);
        expect(r.low).toBeLessThanOrEqual(r.estimate);
        expect(r.high).toBeGreaterThanOrEqual(r.estimate);
        expect(r.high - r.low).toBeGreaterThan(prevWidth);
        prevWidth = r.high - r.low;
      }
    }
  });

  it('rejects invalid input', () => {
    expect(() => clopperPearsonInterval(3, 2)).toThrow(/must not exceed n/);
    expect(() => clopperPearsonInterval(1, 2, 1)).toThrow(RangeError);
  });
});

describe('poissonInterval', () => {
  // K. Ulm (1990), "A simple method to calculate the confidence interval of a standardized
  // mortality ratio", Am. J. Epidemiol. 131:373–375 (exact Poisson limits, table), 95 %:
  //   0 → (0, 3.689);  1 → (0.0253, 5.572);  10 → (4.795, 18.390)
  it.each([
    [0, 0, 3.689],
    [1, 0.0253, 5.572],
    [10, 4.795, 18.39],
  ])('Ulm (1990) exact limits for %i', (k, low, high) => {
    const r = poissonInterval(k);
    expect(r.low).toBeCloseTo(low, k === 1 ? 4 : 3);
    expect(r.high).toBeCloseTo(high, 3);
  });

  // R documentation, poisson.test: `poisson.test(137, 24.19893)` prints
  // "95 percent confidence interval: 4.753125 6.692709" (a rate per unit of 24.19893).
  it('R poisson.test(137, 24.19893) interval', () => {
    const r = poissonInterval(137);
    expect(r.low / 24.19893).toBeCloseTo(4.753125, 6);
    expect(r.high / 24.19893).toBeCloseTo(6.692709, 6);
  });

  it('counts of 10^7 stay finite and near k ± 1.96√k', () => {
    const r = poissonInterval(1e7);
    expect(r.low).toBeCloseTo(9993802.996884268, 5); // scipy chi2.ppf(0.025, 2e7)/2
    expect(r.high).toBeCloseTo(10006199.897731498, 5);
  });

  it('widens with confidence and contains the count (property)', () => {
    for (const k of [0, 1, 5, 100, 100000]) {
      let prev = 0;
      for (const c of [0.5, 0.9, 0.95, 0.99, 0.9999]) {
        const r = poissonInterval(k, c);
        expect(r.low).toBeLessThanOrEqual(k);
        expect(r.high).toBeGreaterThanOrEqual(k);
        expect(r.high - r.low).toBeGreaterThan(prev);
        prev = r.high - r.low;
      }
    }
  });

  it('rejects invalid input', () => {
    expect(() => poissonInterval(-1)).toThrow(RangeError);
    expect(() => poissonInterval(2.5)).toThrow(RangeError);
    expect(() => poissonInterval(2, 1.5)).toThrow(RangeError);
  });
});

describe('exactPoissonUpperRate', () => {
  it('zero failures gives the "rule of three": −ln(0.05) / exposure', () => {
    expect(exactPoissonUpperRate(0, 1000)).toBeCloseTo(-Math.log(0.05) / 1000, 14);
  });
  it('equals the one-sided chi-square bound χ²(0.95; 2k+2) / 2T', () => {
    // scipy.stats.chi2.ppf(0.95, 8) / 2 = 7.753656527932725 (mpmath: 7.7536565279327269)
    expect(exactPoissonUpperRate(3, 1)).toBeCloseTo(7.7536565279327269, 12);
  });
});

describe('relativeRisk (Katz log interval)', () => {
  // scipy.stats.contingency.relative_risk documentation example: relative_risk(27, 128, 44, 138)
  // → relative_risk 0.6615767045454546; confidence_interval(0.95) → (0.437124400787762,
  // 1.0012795790133282) — scipy uses the Katz et al. (1978) log interval.
  it('scipy relative_risk(27, 128, 44, 138)', () => {
    const r = relativeRisk(27, 128, 44, 138);
    expect(r.rr).toBeCloseTo(0.6615767045454546, 12);
    expect(r.low).toBeCloseTo(0.437124400787762, 10);
    expect(r.high).toBeCloseTo(1.0012795790133282, 10);
    expect(r.corrected).toBe(false);
  });

  // Katz et al. (1978) formula checked by hand: a=20/100 vs c=10/100 → RR 2,
  // SE = √(1/20 − 1/100 + 1/10 − 1/100) = √0.13; 95 % bounds 2·exp(∓1.959964·0.360555).
  it('Katz formula, hand-computed', () => {
    const r = relativeRisk(20, 100, 10, 100);
    const se = Math.sqrt(0.13);
    expect(r.rr).toBeCloseTo(2, 14);
    expect(r.low).toBeCloseTo(2 * Math.exp(-1.959963984540054 * se), 12);
    expect(r.high).toBeCloseTo(2 * Math.exp(1.959963984540054 * se), 12);
  });

  it('zero events use the Haldane–Anscombe correction instead of leaking 0/Infinity/NaN', () => {
    for (const r of [relativeRisk(0, 50, 5, 50), relativeRisk(5, 50, 0, 50), relativeRisk(0, 50, 0, 50)]) {
      expect(r.corrected).toBe(true);
      for (const v of [r.rr, r.low, r.high]) expect(Number.isFinite(v) && v > 0).toBe(true);
      expect(r.low).toBeLessThan(r.rr);
      expect(r.high).toBeGreaterThan(r.rr);
    }
  });

  it('counts of 10^7 and widening with confidence', () => {
    const r = relativeRisk(12000, 1e7, 10000, 1e7);
    expect(r.rr).toBeCloseTo(1.2, 12);
    expect(r.low).toBeLessThan(1.2);
    const a = relativeRisk(30, 100, 20, 100, 0.9);
    const b = relativeRisk(30, 100, 20, 100, 0.99);
    expect(b.high - b.low).toBeGreaterThan(a.high - a.low);
  });

  it('rejects invalid input', () => {
    expect(() => relativeRisk(11, 10, 1, 10)).toThrow(/must not exceed n1/);
    expect(() => relativeRisk(1, 0, 1, 10)).toThrow(RangeError);
    expect(() => relativeRisk(1, 10, 1, 10, -0.1)).toThrow(RangeError);
  });
});
