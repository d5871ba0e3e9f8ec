import { describe, expect, it } from 'vitest';
import { WeibullFitError, weibullCdf, weibullFit, weibullForecast } from '../../models/stats/index.js';
import { Rng } from '../../data/generate/prng.js';

const rel = (x: number, y: number): number => Math.abs(x / y - 1);

describe('weibullCdf', () => {
  // NIST/SEMATECH e-Handbook §8.1.6.2: the scale η is the characteristic life, F(η) = 1 − e⁻¹ ≈ 0.632.
  it('F(η) = 1 − 1/e for any shape', () => {
    for (const beta of [0.5, 1, 3.2]) expect(weibullCdf(1000, beta, 1000)).toBeCloseTo(1 - Math.exp(-1), 15);
  });

  // `reliability` Python library, Datasets docs (automotive, Krivtsov & Case 1999): with the fitted
  // Weibull (α = 134651, β = 1.15443) "point estimate: 49.20%" reliability at 100000 miles.
  it('reliability automotive example: R(100000) = 49.20 %', () => {
    expect(1 - weibullCdf(100000, 1.15443, 134651)).toBeCloseTo(0.492, 4);
  });

  it('keeps relative precision for tiny probabilities and handles t = 0', () => {
    expect(weibullCdf(1e-6, 2, 1) / 1e-12).toBeCloseTo(1, 10);
    expect(weibullCdf(0, 2, 1)).toBe(0);
    expect(() => weibullCdf(-1, 2, 1)).toThrow(RangeError);
    expect(() => weibullCdf(1, 0, 1)).toThrow(RangeError);
  });
});

describe('weibullFit', () => {
  // `reliability` library docs, "Fitting a specific distribution to data", Example 1:
  // data = [58, 75, 36, ...] (30 failures, no censoring); Fit_Weibull_2P prints
  //   Alpha 51.857992 (SE 3.556283, 95 % CI 45.335934–59.318317)
  //   Beta   2.800861 (SE 0.414110, 95 % CI 2.096238–3.742333)
  //   Log-Likelihood: -129.0626756550746
  // (reliability's optimiser stops at ~1e-7 relative; we match to that.)
  it('reliability Fit_Weibull_2P, Example 1 (complete data)', () => {
    const data = [58, 75, 36, 52, 63, 65, 22, 17, 28, 64, 23, 40, 73, 45, 52, 36, 52, 60, 13, 55, 82, 55, 34, 57, 23, 42, 66, 35, 34, 25];
    const f = weibullFit({ failures: data });
    expect(rel(f.eta, 51.857992)).toBeLessThan(1e-6);
    expect(rel(f.beta, 2.800861)).toBeLessThan(1e-6);
    expect(rel(Math.sqrt(f.covariance.etaEta), 3.556283)).toBeLessThan(1e-6);
    expect(rel(Math.sqrt(f.covariance.betaBeta), 0.41411)).toBeLessThan(1e-5);
    expect(rel(f.etaLow, 45.335934)).toBeLessThan(1e-6);
    expect(rel(f.etaHigh, 59.318317)).toBeLessThan(1e-6);
    expect(rel(f.betaLow, 2.096238)).toBeLessThan(1e-6);
    expect(rel(f.betaHigh, 3.742333)).toBeLessThan(1e-6);
    expect(f.logLikelihood).toBeCloseTo(-129.0626756550746, 9);
    expect(f.failureCount).toBe(30);
    expect(f.suspensionCount).toBe(0);
  });

  // `reliability` library docs, "Reliability bounds" example with Datasets.automotive
  // (V. V. Krivtsov & J. W. Case (1999), SAE 1999-01-3220): 10 failures, 21 right-censored;
  // Fit_Weibull_2P prints Alpha 134651 (SE 42767.3, CI 72252.9–250937),
  // Beta 1.15443 (SE 0.29614, CI 0.698249–1.90863), Log-likelihood -128.974.
  it('reliability Fit_Weibull_2P, automotive data (67.7 % right censored)', () => {
    const failures = [5248, 7454, 16890, 17200, 38700, 45000, 49390, 69040, 72280, 131900];
    const suspensions = [3961, 4007, 4734, 6054, 7298, 10190, 23060, 27160, 28690, 37100, 40060, 45670, 53000, 67000, 69630, 77350, 78470, 91680, 105700, 106300, 150400];
    const f = weibullFit({ failures, suspensions });
    expect(f.eta).toBeCloseTo(134651, -1);
    expect(f.beta).toBeCloseTo(1.15443, 5);
    expect(rel(Math.sqrt(f.covariance.etaEta), 42767.3)).toBeLessThan(5e-6);
    expect(rel(Math.sqrt(f.covariance.betaBeta), 0.29614)).toBeLessThan(5e-5);
    expect(f.etaLow).toBeCloseTo(72252.9, 0);
    expect(f.etaHigh).toBeCloseTo(250937, -1);
    expect(f.betaLow).toBeCloseTo(0.698249, 5);
    expect(f.betaHigh).toBeCloseTo(1.90863, 5);
    expect(f.logLikelihood).toBeCloseTo(-128.974, 3);
  });

  it('grouped { time, count } / { age, count } input gives the same fit as expanded arrays', () => {
    const f1 = weibullFit({ failures: [10, 10, 10, 20, 30, 30], suspensions: [40, 40, 40, 40, 15] });
    const f2 = weibullFit({
      failures: [{ time: 10, count: 3 }, { time: 20, count: 1 }, { age: 30, count: 2 }],
      suspensions: [{ age: 40, count: 4 }, { time: 15, count: 1 }, { time: 99, count: 0 }],
    });
    expect(f2.beta).toBeCloseTo(f1.beta, 12);
    expect(f2.eta).toBeCloseTo(f1.eta, 10);
    expect(f2.logLikelihood).toBeCloseTo(f1.logLikelihood, 10);
    expect(f2.betaHigh).toBeCloseTo(f1.betaHigh, 10);
  });

  it('recovers known parameters from a large simulated, censored sample (property)', () => {
    const prng = new Rng(20261121);
    const u = (): number => prng.next();
    const beta = 1.8;
    const eta = 1200;
    const failures: number[] = [];
    const suspensions: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const t = eta * Math.pow(-Math.log(1 - u()), 1 / beta);
      const c = 400 + 2000 * u(); // random censoring times
      if (t <= c) failures.push(t);
      else suspensions.push(c);
    }
    const f = weibullFit({ failures, suspensions });
    expect(rel(f.beta, beta)).toBeLessThan(0.03);
    expect(rel(f.eta, eta)).toBeLessThan(0.03);
    expect(f.betaLow).toBeLessThan(beta);
    expect(f.betaHigh).toBeGreaterThan(beta);
    expect(f.etaLow).toBeLessThan(eta);
    expect(f.etaHigh).toBeGreaterThan(eta);
  });

  it('heavily censored warranty-like data: 10^5 failures and 10^6 suspensions as groups', () => {
    // Expected counts from a Weibull(β = 1.3, η = 200 months) field population observed for 1–24 months.
    const beta = 1.3;
    const eta = 200;
    const failures: { age: number; count: number }[] = [];
    const suspensions: { age: number; count: number }[] = [];
    for (let age = 1; age <= 24; age++) {
      const pf = weibullCdf(age, beta, eta) - weibullCdf(age - 1, beta, eta);
      failures.push({ age: age - 0.5, count: Math.round(pf * 1e6) });
      suspensions.push({ age, count: Math.round(1e6 / 24) });
    }
    const f = weibullFit({ failures, suspensions });
    expect(Number.isFinite(f.beta) && Number.isFinite(f.eta)).toBe(true);
    expect(f.betaLow).toBeLessThan(f.beta);
    expect(f.etaHigh).toBeGreaterThan(f.eta);
  });

  it('interval widens with confidence and contains the estimate (property)', () => {
    const data = { failures: [5, 8, 12, 15, 22, 30], suspensions: [40, 40, 40] };
    const a = weibullFit({ ...data, confidence: 0.8 });
    const b = weibullFit({ ...data, confidence: 0.99 });
    expect(b.betaHigh - b.betaLow).toBeGreaterThan(a.betaHigh - a.betaLow);
    expect(b.etaHigh - b.etaLow).toBeGreaterThan(a.etaHigh - a.etaLow);
    expect(a.betaLow).toBeLessThan(a.beta);
    expect(a.etaHigh).toBeGreaterThan(a.eta);
  });

  it('zero failures (all censored) throws WeibullFitError NO_FAILURES', () => {
    const run = (): unknown => weibullFit({ failures: [], suspensions: [10, 20, 30] });
    expect(run).toThrow(WeibullFitError);
    try {
      run();
    } catch (e) {
      expect((e as WeibullFitError).code).toBe('NO_FAILURES');
      expect(e).toBeInstanceOf(RangeError);
    }
  });

  it('one failure: fits when a unit survived past it, throws UNBOUNDED_SHAPE when none did', () => {
    const f = weibullFit({ failures: [10], suspensions: [5, 20, 30, 40] });
    expect(Number.isFinite(f.beta) && Number.isFinite(f.eta) && Number.isFinite(f.betaHigh)).toBe(true);
    expect(() => weibullFit({ failures: [10] })).toThrow(/unbounded/);
    expect(() => weibullFit({ failures: [10, 10], suspensions: [3, 10] })).toThrow(WeibullFitError);
  });

  it('ties between failures and suspensions at the same age are fine', () => {
    const f = weibullFit({ failures: [10, 10, 20, 20], suspensions: [10, 20, 30] });
    expect(Number.isFinite(f.beta)).toBe(true);
  });

  it('rejects invalid input', () => {
    expect(() => weibullFit({ failures: [-1, 2] })).toThrow(RangeError);
    expect(() => weibullFit({ failures: [0, 2, 3] })).toThrow(/time 0/);
    expect(() => weibullFit({ failures: [1, 2], suspensions: [-3] })).toThrow(RangeError);
    expect(() => weibullFit({ failures: [{ time: 1, count: -2 }] })).toThrow(RangeError);
    expect(() => weibullFit({ failures: [1, 2, 3], confidence: 1 })).toThrow(RangeError);
    // @ts-expect-error wrong shape
    expect(() => weibullFit({ failures: 'x' })).toThrow(TypeError);
  });
});

describe('weibullForecast', () => {
  // W. Q. Meeker & L. A. Escobar (1998), Statistical Methods for Reliability Data, Table 12.1:
  // bearing-cage field data (Abernethy et al. 1983; 1703 engines, 6 failures at 230, 334, 423, 990,
  // 1009 and 1510 hours, 1697 survivors grouped by age), Weibull ML fit, expected failures in the next
  // 300 hours. Printed by the authors' companion vignette "Chapter 12 – Prediction of Future Random
  // Quantities" (SMRD package, github.com/Auburngrads/SMRD, vignettes/echapter12):
  // PredictTable(BearingCage.mlest.weib, FtimeStart = 0, FtimeEnd = 300) → "Total= 5.0582" and
  //   Age AtRisk rhohat Efail: 50 288 0.00076292 0.219721 … 2050 2 0.00906300 0.018126
  // (CondProbInterval2(age = 50, tL = 50, tU = 350) alone prints 0.00076292). The whole pipeline
  // runs: weibullFit on the grouped life data, then weibullForecast over the at-risk groups.
  const cageAges = [50, 150, 250, 350, 450, 550, 650, 750, 850, 950, 1050, 1150, 1250, 1350, 1450, 1550, 1650, 1850, 2050];
  const cageAtRisk = [288, 148, 124, 111, 106, 99, 110, 114, 119, 127, 123, 93, 47, 41, 27, 11, 6, 1, 2];
  const rhoHat = [0.00076292, 0.00115824, 0.0015587, 0.00196277, 0.00236966, 0.00277884, 0.00318996, 0.00360276, 0.00401703, 0.0044326, 0.00484934, 0.00526715, 0.00568592, 0.00610557, 0.00652605, 0.00694727, 0.0073692, 0.00821496, 0.009063];
  const eFail = [0.219721, 0.17142, 0.193279, 0.217868, 0.251184, 0.275105, 0.350896, 0.410715, 0.478026, 0.56294, 0.596469, 0.489845, 0.267238, 0.250329, 0.176203, 0.07642, 0.044215, 0.008215, 0.018126];

  it('Meeker & Escobar Table 12.1: bearing cage, next 300 hours (fit → forecast)', () => {
    const groups = cageAges.map((age, i) => ({ age, count: cageAtRisk[i] }));
    const fit = weibullFit({ failures: [230, 334, 423, 990, 1009, 1510], suspensions: groups });
    expect(fit.failureCount).toBe(6);
    expect(fit.suspensionCount).toBe(1697);
    const f = weibullForecast(fit, groups, 300);
    expect(f.total).toBeCloseTo(5.0582, 4);
    f.groups.forEach((g, i) => {
      // printed to 5 significant digits; SMRD's optimiser stops ~1e-7 relative from the exact MLE
      expect(Math.abs(g.probability - rhoHat[i])).toBeLessThanOrEqual(1.5e-8);
      expect(Math.abs(g.expected - eFail[i])).toBeLessThanOrEqual(1.5e-6);
    });
  });

  it('conditional probability [F(a+h) − F(a)] / [1 − F(a)] per group, expected = count × P', () => {
    const model = { beta: 2, eta: 100 };
    const f = weibullForecast(model, [{ age: 0, count: 1000 }, { age: 50, count: 500 }], 10);
    const F = (t: number): number => weibullCdf(t, 2, 100);
    expect(f.groups[0].probability).toBeCloseTo(F(10), 15);
    expect(f.groups[1].probability).toBeCloseTo((F(60) - F(50)) / (1 - F(50)), 14);
    expect(f.groups[1].expected).toBeCloseTo(500 * f.groups[1].probability, 10);
    expect(f.total).toBeCloseTo(f.groups[0].expected + f.groups[1].expected, 10);
  });

  it('exponential (β = 1) is memoryless: same probability at every age', () => {
    const f = weibullForecast({ beta: 1, eta: 50 }, [{ age: 0, count: 1 }, { age: 500, count: 1 }], 5);
    expect(f.groups[0].probability).toBeCloseTo(1 - Math.exp(-0.1), 14);
    expect(f.groups[1].probability).toBeCloseTo(1 - Math.exp(-0.1), 12);
  });

  it('warranty limit truncates the window; units past it contribute 0', () => {
    const m = { beta: 1.5, eta: 36 };
    const f = weibullForecast(m, [{ age: 10, count: 100 }, { age: 11, count: 100 }, { age: 12, count: 100 }], 6, 12);
    const F = (t: number): number => weibullCdf(t, 1.5, 36);
    expect(f.groups[0].probability).toBeCloseTo((F(12) - F(10)) / (1 - F(10)), 14);
    expect(f.groups[2].probability).toBe(0);
    expect(f.groups[2].expected).toBe(0);
  });

  it('rejects invalid input', () => {
    expect(() => weibullForecast({ beta: 0, eta: 1 }, [], 1)).toThrow(RangeError);
    expect(() => weibullForecast({ beta: 1, eta: 1 }, [{ age: -1, count: 1 }], 1)).toThrow(RangeError);
    expect(() => weibullForecast({ beta: 1, eta: 1 }, [], -1)).toThrow(RangeError);
  });
});
