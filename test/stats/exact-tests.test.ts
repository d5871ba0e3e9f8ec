import { describe, expect, it } from 'vitest';
import {
  binomialTest,
  chiSquareIndependence,
  fisherExact,
  mantelHaenszelRateRatio,
  mantelHaenszelColumns,
  poissonRateRatioTest,
} from '../../models/stats/index.js';

describe('fisherExact', () => {
  // R documentation, fisher.test, "Tea tasting" (Agresti 1990, p. 61): TeaTasting =
  // matrix(c(3, 1, 1, 3)); fisher.test(TeaTasting, alternative = "greater") prints
  // "p-value = 0.2429"; the two-sided test prints "p-value = 0.4857". Sample odds ratio 3·3/(1·1) = 9.
  it('R fisher.test TeaTasting', () => {
    expect(fisherExact([[3, 1], [1, 3]], 'greater').pValue).toBeCloseTo(0.2429, 4);
    const two = fisherExact([[3, 1], [1, 3]]);
    expect(two.pValue).toBeCloseTo(0.4857, 4);
    expect(two.pValue).toBeCloseTo(17 / 35, 13); // exact: (1 + 16 + 16 + 1) / 70 = 17/35
    expect(two.oddsRatio).toBe(9);
  });

  // R documentation, fisher.test, "Convictions of like-sex twins of criminals" (Fisher 1962):
  // Convictions = matrix(c(2, 10, 15, 3), nrow = 2); fisher.test(Convictions, alternative = "less")
  // prints "p-value = 0.0004652". As a table by rows: [[2, 15], [10, 3]].
  it('R fisher.test Convictions, alternative = "less"', () => {
    const r = fisherExact([[2, 15], [10, 3]], 'less');
    expect(r.pValue).toBeCloseTo(0.0004652, 7);
    expect(r.oddsRatio).toBeCloseTo((2 * 3) / (15 * 10), 14);
  });

  // scipy.stats.fisher_exact documentation: table [[6, 2], [1, 4]] → statistic 12.0,
  // pvalue 0.10256410256410257 (two-sided).
  it('scipy fisher_exact [[6, 2], [1, 4]]', () => {
    const r = fisherExact([[6, 2], [1, 4]]);
    expect(r.pValue).toBeCloseTo(0.10256410256410257, 13);
    expect(r.oddsRatio).toBe(12);
  });

  it('counts in the millions: full-precision reference (mpmath, 50 digits, all 2,101 tables summed)', () => {
    // [[1000, 2000000], [1100, 2000000]]: exact two-sided p = 0.0306770156075387037…
    const r = fisherExact([[1000, 2000000], [1100, 2000000]]);
    expect(r.pValue / 0.030677015607538704 - 1).toBeLessThan(1e-12);
    // symmetric table of 2·10^7 units: the observed table is the mode, p = 1
    expect(fisherExact([[5e6, 5e6], [5e6, 5e6]]).pValue).toBe(1);
    // a real difference at 10^6 scale is overwhelming, and p stays a number (underflows to 0)
    const big = fisherExact([[1000000, 2000000], [1100000, 2000000]]);
    expect(big.pValue).toBeGreaterThanOrEqual(0);
    expect(big.pValue).toBeLessThan(1e-300);
  });

  it('two-sided p ≥ each one-sided p, and one-sided tails sum to 1 + P(observed) (property)', () => {
    for (const t of [[[3, 1], [1, 3]], [[10, 20], [30, 5]], [[0, 5], [5, 0]], [[120, 3000], [90, 3100]]]) {
      const two = fisherExact(t).pValue;
      const g = fisherExact(t, 'greater').pValue;
      const l = fisherExact(t, 'less').pValue;
      expect(two).toBeGreaterThanOrEqual(Math.min(g, l) - 1e-15);
      expect(g + l).toBeGreaterThanOrEqual(1 - 1e-12);
      expect(two).toBeLessThanOrEqual(1);
    }
  });

  it('zero cells: odds ratio Infinity / 0 / null, never NaN; degenerate margins give p = 1', () => {
    expect(fisherExact([[5, 0], [2, 3]]).oddsRatio).toBe(Infinity);
    expect(fisherExact([[0, 5], [2, 3]]).oddsRatio).toBe(0);
    expect(fisherExact([[0, 0], [2, 3]]).oddsRatio).toBeNull();
    expect(fisherExact([[0, 0], [2, 3]]).pValue).toBe(1);
    expect(fisherExact([[0, 0], [0, 0]]).pValue).toBe(1);
  });

  it('rejects invalid input', () => {
    expect(() => fisherExact([[1, 2, 3], [4, 5, 6]])).toThrow(TypeError);
    expect(() => fisherExact([[1, -2], [3, 4]])).toThrow(RangeError);
    expect(() => fisherExact([[1, 2.5], [3, 4]])).toThrow(RangeError);
    // @ts-expect-error invalid alternative
    expect(() => fisherExact([[1, 2], [3, 4]], 'both')).toThrow(TypeError);
  });
});

describe('binomialTest', () => {
  // R documentation, binom.test: binom.test(c(682, 243), p = 3/4) (Mendel's peas) prints
  // "p-value = 0.3825" and "95 percent confidence interval: 0.7076683 0.7654066".
  it('R binom.test(682, 925, p = 3/4)', () => {
    const r = binomialTest(682, 925, 0.75);
    expect(r.pValue).toBeCloseTo(0.3825, 4);
    expect(r.low).toBeCloseTo(0.7076683, 7);
    expect(r.high).toBeCloseTo(0.7654066, 7);
  });

  // scipy.stats.binomtest documentation: binomtest(3, n=15, p=0.1, alternative='greater')
  // → pvalue 0.18406106910639114.
  it('scipy binomtest(3, 15, 0.1, "greater")', () => {
    expect(binomialTest(3, 15, 0.1, 'greater').pValue).toBeCloseTo(0.18406106910639114, 13);
  });

  it('two-sided p at n = 10^7 matches scipy (1e-9 relative)', () => {
    // scipy.stats.binomtest(1200000, 2200000, 3/5.6).pvalue = 1.0898492878355289e-184
    const r = binomialTest(1200000, 2200000, 3 / 5.6);
    expect(Math.abs(r.pValue / 1.0898492878355289e-184 - 1)).toBeLessThan(1e-8);
  });
});

describe('poissonRateRatioTest', () => {
  // R documentation, poisson.test, two-sample example:
  // poisson.test(c(11, 6+8+7), c(800, 1083+1050+878)) prints "p-value = 0.07967",
  // "95 percent confidence interval: 0.8584264 4.2772659", "rate ratio 1.971488".
  it('R poisson.test(c(11, 21), c(800, 3011))', () => {
    const r = poissonRateRatioTest(11, 800, 21, 3011);
    expect(r.rateRatio).toBeCloseTo(1.971488, 6);
    expect(r.pValue).toBeCloseTo(0.07967, 5);
    expect(r.low).toBeCloseTo(0.8584264, 7);
    expect(r.high).toBeCloseTo(4.2772659, 7);
  });

  // Stata, "Incidence-rate ratio calculator" (stata.com/links/stata-basics/incidence-rate-ratio-calculator):
  // `iri 41 15 28010 19017` (41 cases in 28,010 exposed person-years, 15 in 19,017 unexposed) prints
  //   Inc. rate ratio  1.855759   1.005684   3.6093  (exact)
  //   Mid-p-values: Pr(Exposed cases >= 41) = 0.0177 (upper one-sided), two-sided p-value = 0.0355.
  // Stata's exact interval is the same conditional (Clopper–Pearson) interval as ours. Its p-values
  // are mid-p (half the probability of the observed count; two-sided = twice the one-sided), where
  // the contract fixes R's exact convention, so the mid-p figures are checked through the relation
  // mid-p = [P(X ≥ 41) + P(X ≥ 42)] / 2 rather than against pValue.
  it('Stata iri 41 15 28010 19017 (exact interval; mid-p is a different convention)', () => {
    const r = poissonRateRatioTest(41, 28010, 15, 19017);
    expect(r.rateRatio).toBeCloseTo(1.855759, 6);
    expect(r.low).toBeCloseTo(1.005684, 6);
    expect(r.high).toBeCloseTo(3.6093, 4);
    const ge41 = poissonRateRatioTest(41, 28010, 15, 19017, 'greater').pValue;
    const ge42 = binomialTest(42, 56, 28010 / 47027, 'greater').pValue;
    const midP = (ge41 + ge42) / 2;
    expect(midP).toBeCloseTo(0.0177, 4);
    expect(2 * midP).toBeCloseTo(0.0355, 4);
    // our exact two-sided p (R convention) is larger than Stata's mid-p
    expect(r.pValue).toBeGreaterThan(2 * midP);
  });

  it('reduces to the binomial test of k1 out of k1 + k2 with p = t1/(t1 + t2) (property)', () => {
    for (const [k1, t1, k2, t2] of [[11, 800, 21, 3011], [0, 10, 7, 20], [5, 1, 5, 1], [1200, 3e9, 1000, 2.6e9]]) {
      for (const alt of ['two.sided', 'greater', 'less'] as const) {
        const r = poissonRateRatioTest(k1, t1, k2, t2, alt);
        const b = binomialTest(k1, k1 + k2, t1 / (t1 + t2), alt);
        expect(r.pValue).toBe(b.pValue);
        if (alt !== 'less') expect(r.low).toBeCloseTo((b.low / (1 - b.low)) * (t2 / t1), 10);
      }
    }
  });

  it('one-sided alternatives follow R: greater → [low, Infinity), less → [0, high]', () => {
    const g = poissonRateRatioTest(30, 1000, 10, 1000, 'greater');
    expect(g.high).toBe(Infinity);
    expect(g.pValue).toBeLessThan(0.002);
    const l = poissonRateRatioTest(30, 1000, 10, 1000, 'less');
    expect(l.low).toBe(0);
    expect(l.pValue).toBeGreaterThan(0.99);
  });

  it('zero events: no NaN — null ratio with p = 1, Infinity where the ratio is unbounded', () => {
    const none = poissonRateRatioTest(0, 100, 0, 100);
    expect(none).toEqual({ rateRatio: null, pValue: 1, low: 0, high: Infinity });
    const k2zero = poissonRateRatioTest(4, 100, 0, 100);
    expect(k2zero.rateRatio).toBe(Infinity);
    expect(k2zero.high).toBe(Infinity);
    expect(k2zero.low).toBeGreaterThan(0);
    expect(poissonRateRatioTest(0, 100, 4, 100).rateRatio).toBe(0);
  });

  it('counts in the millions', () => {
    const r = poissonRateRatioTest(1200000, 3e9, 1000000, 2.6e9);
    expect(r.rateRatio).toBeCloseTo(1.04, 12);
    expect(r.low).toBeLessThan(1.04);
    expect(r.high).toBeGreaterThan(1.04);
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(1e-100);
  });

  it('rejects invalid input', () => {
    expect(() => poissonRateRatioTest(1, 0, 1, 1)).toThrow(RangeError);
    expect(() => poissonRateRatioTest(1.5, 1, 1, 1)).toThrow(RangeError);
    expect(() => poissonRateRatioTest(1, 1, 1, 1, 'two.sided', 2)).toThrow(RangeError);
  });
});

describe('mantelHaenszelRateRatio', () => {
  // Doll & Hill (1966) coronary deaths among British doctors by smoking and age (person-years), the
  // data of the Stata manual's `ir deaths smokes pyears, by(age)` example. No printed value is
  // relied upon here: the expected numbers are the Rothman–Greenland formulas evaluated by hand
  // (independently, in Python) — RR_MH = 1.424682, Greenland–Robins 95 % CI 1.154703–1.757784,
  // MH χ² = 11.0162.
  const dollHill = [
    [32, 52407, 2, 18790],
    [104, 43248, 12, 10673],
    [206, 28612, 28, 5710],
    [186, 12663, 28, 2585],
    [102, 5317, 31, 1462],
  ].map(([cases1, time1, cases0, time0]) => ({ cases1, time1, cases0, time0 }));

  it('Doll & Hill smoking and coronary deaths by age', () => {
    const r = mantelHaenszelRateRatio(dollHill);
    expect(r.rateRatio).toBeCloseTo(1.424682, 6);
    expect(r.low).toBeCloseTo(1.154703, 6);
    expect(r.high).toBeCloseTo(1.757784, 6);
    expect(r.statistic).toBeCloseTo(11.0162, 4);
    expect(r.informativeStrata).toBe(5);
    // the score test's totals: A = Σ a_i, E = Σ M_i·T1_i/T_i (by hand in Python: 595.1734498832366), Σ M_i
    expect(r.observed).toBe(630);
    expect(r.expected).toBeCloseTo(595.1734498832366, 9);
    expect(r.cases).toBe(731);
  });

  it('strata as columns: a slice of parallel arrays gives what the same strata as objects give', () => {
    // Doll & Hill's strata between two strata that must not count (offset 1, five entries)
    const pad = (k: 'cases1' | 'time1' | 'cases0' | 'time0'): Float64Array => Float64Array.from([999, ...dollHill.map((s) => s[k]), 999]);
    const columns = { cases1: pad('cases1'), time1: pad('time1'), cases0: pad('cases0'), time0: pad('time0') };
    expect(mantelHaenszelColumns(columns, 1, 6)).toEqual(mantelHaenszelRateRatio(dollHill));
    expect(() => mantelHaenszelColumns(columns, 3, 3)).toThrow(/at least one stratum/);
    columns.time0[1] = Number.NaN;
    expect(() => mantelHaenszelColumns(columns, 1, 6)).toThrow(/strata\[0\] needs finite, non-negative/);
    expect(mantelHaenszelColumns(columns, 2, 6).informativeStrata).toBe(4);
  });

  // OpenEpi, "Comparing 2 Person-Time Rates" (PersonTime2) output for two strata, in the
  // EpiInformatics training material (epiinformatics.com/DownloadFiles/SessionI.zip):
  //   stratum 1: 17 exposed cases / 100,025 person-time, 3 unexposed / 122,268
  //   stratum 2:  8 / 78,531 and 1 / 77,932;  crude: 25 / 178,556 and 4 / 200,200
  // prints z-scores (p 1-tail, p 2-tail): stratum 1 3.596 (0.0001616, 0.0003231), stratum 2 2.322
  // (0.01012, 0.02024), crude 4.214 (0.00001253, 0.00002506), adjusted (Mantel–Haenszel) 4.28
  // (0.000009360, 0.00001872); rate ratios 6.927, 7.939 and crude 7.008. Our statistic is the square
  // of OpenEpi's z. (OpenEpi's per-stratum Wald intervals, e.g. 2.03–23.63, differ from
  // exp(ln RR ± 1.959964·√(1/a + 1/b)) = 2.030–23.636 in the fourth digit — a normal-quantile
  // approximation on their side — so they are not used.)
  it('OpenEpi two-stratum person-time example: Mantel–Haenszel z and p', () => {
    const s1 = { cases1: 17, time1: 100025, cases0: 3, time0: 122268 };
    const s2 = { cases1: 8, time1: 78531, cases0: 1, time0: 77932 };
    const crude = { cases1: 25, time1: 178556, cases0: 4, time0: 200200 };
    const adjusted = mantelHaenszelRateRatio([s1, s2]);
    expect(Math.sqrt(adjusted.statistic)).toBeCloseTo(4.28, 2);
    expect(adjusted.pValue).toBeCloseTo(0.00001872, 8);
    expect(adjusted.pValue / 2).toBeCloseTo(0.00000936, 9);
    const printed: [typeof s1, number, number, number][] = [
      [s1, 3.596, 0.0003231, 6.927],
      [s2, 2.322, 0.02024, 7.939],
      [crude, 4.214, 0.00002506, 7.008],
    ];
    for (const [stratum, z, p, rr] of printed) {
      const r = mantelHaenszelRateRatio([stratum]);
      expect(Math.sqrt(r.statistic)).toBeCloseTo(z, 3);
      expect(r.pValue / p - 1).toBeLessThan(2e-4);
      expect(p / r.pValue - 1).toBeLessThan(2e-4);
      expect(r.rateRatio).toBeCloseTo(rr, 3);
    }
  });

  it('one stratum reduces to the crude rate ratio; identical strata give the common ratio', () => {
    const one = mantelHaenszelRateRatio([{ cases1: 30, time1: 1000, cases0: 10, time0: 500 }]);
    expect(one.rateRatio).toBeCloseTo(1.5, 14);
    const same = mantelHaenszelRateRatio([
      { cases1: 20, time1: 1000, cases0: 10, time0: 1000 },
      { cases1: 40, time1: 500, cases0: 20, time0: 500 },
    ]);
    expect(same.rateRatio).toBeCloseTo(2, 14);
  });

  it('stratification removes confounding by age band (Simpson-type example)', () => {
    // New firmware sits on young units (low rate), old firmware on old units (high rate); within each
    // age band the firmware makes no difference.
    const strata = [
      { cases1: 10, time1: 10000, cases0: 1, time0: 1000 },
      { cases1: 50, time1: 1000, cases0: 500, time0: 10000 },
    ];
    const crude = (60 / 11000) / (501 / 11000);
    expect(crude).toBeLessThan(0.2);
    const r = mantelHaenszelRateRatio(strata);
    expect(r.rateRatio).toBeCloseTo(1, 12);
    expect(r.pValue).toBeGreaterThan(0.9);
  });

  it('zero events and empty strata never produce NaN', () => {
    const r = mantelHaenszelRateRatio([
      { cases1: 0, time1: 100, cases0: 0, time0: 100 },
      { cases1: 0, time1: 0, cases0: 3, time0: 10 },
    ]);
    expect(r).toEqual({ rateRatio: null, low: 0, high: Infinity, statistic: 0, pValue: 1, informativeStrata: 0, observed: 0, expected: 0, cases: 0 });
    const z = mantelHaenszelRateRatio([{ cases1: 0, time1: 100, cases0: 5, time0: 100 }]);
    expect(z.rateRatio).toBe(0);
    expect(Number.isFinite(z.statistic)).toBe(true);
  });

  it('rejects invalid input', () => {
    expect(() => mantelHaenszelRateRatio([])).toThrow(RangeError);
    expect(() => mantelHaenszelRateRatio([{ cases1: 1, time1: 0, cases0: 1, time0: 1 }])).toThrow(/no person-time/);
    expect(() => mantelHaenszelRateRatio([{ cases1: -1, time1: 1, cases0: 1, time0: 1 }])).toThrow(RangeError);
  });
});

describe('chiSquareIndependence', () => {
  // R documentation, chisq.test (Agresti 2007, p. 39: party identification by gender):
  // M <- as.table(rbind(c(762, 327, 468), c(484, 239, 477))); chisq.test(M) prints
  // "X-squared = 30.07, df = 2, p-value = 2.954e-07".
  it('R chisq.test party identification by gender', () => {
    const r = chiSquareIndependence([[762, 327, 468], [484, 239, 477]]);
    expect(r.statistic).toBeCloseTo(30.07, 2);
    expect(r.df).toBe(2);
    expect(r.pValue).toBeCloseTo(2.954e-7, 10);
    expect(r.expected[0][0]).toBeCloseTo(703.6714, 4);
  });

  // scipy.stats.chi2_contingency documentation: obs = [[10, 10, 20], [20, 20, 20]] →
  // statistic 2.7777777777777777, pvalue 0.24935220877729622, dof 2,
  // expected [[12, 12, 16], [18, 18, 24]] (correction does not apply for dof > 1).
  it('scipy chi2_contingency [[10, 10, 20], [20, 20, 20]]', () => {
    const r = chiSquareIndependence([[10, 10, 20], [20, 20, 20]]);
    expect(r.statistic).toBeCloseTo(2.7777777777777777, 13);
    expect(r.pValue).toBeCloseTo(0.24935220877729622, 13);
    expect(r.df).toBe(2);
    expect(r.expected).toEqual([[12, 12, 16], [18, 18, 24]]);
  });

  it('empty rows/columns are left out instead of producing NaN', () => {
    const r = chiSquareIndependence([[10, 0, 20], [20, 0, 20]]);
    expect(r.df).toBe(1);
    expect(Number.isFinite(r.statistic)).toBe(true);
    expect(chiSquareIndependence([[0, 0], [0, 0]])).toMatchObject({ statistic: 0, df: 0, pValue: 1 });
  });

  it('rejects ragged or negative tables', () => {
    expect(() => chiSquareIndependence([[1, 2], [3]])).toThrow(RangeError);
    expect(() => chiSquareIndependence([[1, -2], [3, 4]])).toThrow(RangeError);
    expect(() => chiSquareIndependence([[1, 2]])).toThrow(TypeError);
  });
});
