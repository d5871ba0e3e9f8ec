import { describe, expect, it } from 'vitest';
import {
  chiSquareQuantile,
  inverseRegularizedBeta,
  inverseRegularizedGamma,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  regularizedGamma,
} from '../../models/stats/index.js';

const rel = (x: number, y: number): number => Math.abs(x / y - 1);

// Reference values from mpmath at 30+ digits (python3 -c "import mpmath; ...") and from the
// NIST/SEMATECH e-Handbook chi-square table (§1.3.6.7.4) where noted.
describe('special functions', () => {
  it('logGamma', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 13);
    expect(rel(logGamma(1e7), 151180949.36947393)).toBeLessThan(1e-15);
    expect(logGamma(1e-8)).toBeCloseTo(18.420680738180209, 12);
  });

  it('regularized incomplete gamma, both tails, including a = 10^6', () => {
    const r = regularizedGamma(3, 2); // P(3, 2) = 1 − 5e⁻² = 0.32332358381693654
    expect(r.lower).toBeCloseTo(0.32332358381693654, 14);
    expect(r.upper).toBeCloseTo(0.67667641618306346, 14);
    const big = regularizedGamma(1e6, 1e6 + 1000); // scipy gammainc: 0.8413447863683402
    expect(rel(big.lower, 0.8413447863683402)).toBeLessThan(1e-12);
    // far upper tail keeps relative precision: Q(1, 700) = e⁻⁷⁰⁰
    expect(rel(regularizedGamma(1, 700).upper, Math.exp(-700))).toBeLessThan(1e-12);
  });

  it('regularized incomplete beta, including a, b of 10^6', () => {
    expect(regularizedBeta(0.3, 2, 5).lower).toBeCloseTo(0.579825, 14);
    const big = regularizedBeta(0.5, 1e6, 1e6 + 3000); // scipy betainc: 0.9829856727027713
    expect(rel(big.lower, 0.9829856727027713)).toBeLessThan(1e-11);
  });

  it('inverses round-trip to ~1e-11 in the smaller tail (the limit of double spacing in x)', () => {
    for (const [p, a, b] of [[0.025, 1, 29], [0.975, 2, 28], [1e-10, 3, 7], [0.5, 5e6, 5e6], [0.999, 0.5, 0.5]]) {
      const x = inverseRegularizedBeta(p, a, b);
      const back = p < 0.5 ? regularizedBeta(x, a, b).lower : regularizedBeta(x, a, b).upper;
      // Beta(½, ½) at 0.999: x = 1 − 2.5e-6, where one ulp of x moves the tail by 2e-11.
      expect(rel(back, p < 0.5 ? p : 1 - p)).toBeLessThan(5e-11);
    }
    for (const [p, a] of [[0.025, 1], [0.975, 11], [1e-12, 0.5], [0.5, 1e7], [0.999, 3]]) {
      const x = inverseRegularizedGamma(p, a);
      const back = p < 0.5 ? regularizedGamma(a, x).lower : regularizedGamma(a, x).upper;
      expect(rel(back, p < 0.5 ? p : 1 - p)).toBeLessThan(1e-11);
    }
  });

  it('chi-square quantiles (NIST e-Handbook §1.3.6.7.4 table, 3 dp)', () => {
    // upper-tail critical values: ν = 1, α = 0.05 → 3.841; ν = 10, α = 0.05 → 18.307; ν = 20,
    // lower tail 0.025 → 9.591
    expect(chiSquareQuantile(0.95, 1)).toBeCloseTo(3.841, 3);
    expect(chiSquareQuantile(0.95, 10)).toBeCloseTo(18.307, 3);
    expect(chiSquareQuantile(0.025, 20)).toBeCloseTo(9.591, 3);
  });

  it('normal distribution', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 15);
    expect(rel(normalCdf(-30), 4.906713927148187e-198)).toBeLessThan(1e-12);
  });

  it('rejects out-of-domain arguments', () => {
    expect(() => regularizedBeta(1.5, 1, 1)).toThrow(RangeError);
    expect(() => regularizedGamma(-1, 1)).toThrow(RangeError);
    expect(() => normalQuantile(2)).toThrow(RangeError);
  });
});
