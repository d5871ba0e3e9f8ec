/**
 * Comparing two Poisson rates: the exact conditional test, and the Mantel–Haenszel rate ratio
 * across strata of person-time data.
 */
import { binomialTest } from './binomial-test.js';
import { normalQuantile, normalSurvival } from './special-functions.js';
import {
  assertArray,
  assertCount,
  assertNonNegative,
  assertPositive,
  checkAlternative,
  checkConfidence,
  type Alternative,
} from './validate.js';

/** Result of {@link poissonRateRatioTest}. */
export interface RateRatioTestResult {
  /**
   * (k1/t1) / (k2/t2). `Infinity` when k2 = 0 < k1; `null` when k1 = k2 = 0 (no events, no ratio).
   */
  rateRatio: number | null;
  pValue: number;
  /** Lower bound of the rate ratio (0 for 'less'). */
  low: number;
  /** Upper bound of the rate ratio (`Infinity` for 'greater', or when k2 = 0). */
  high: number;
}

/**
 * Exact conditional test comparing two Poisson rates, as R's
 * `poisson.test(c(k1, k2), c(t1, t2), r = ratio, alternative)`.
 *
 * Given k1 + k2 = n, k1 ~ Binomial(n, π) with π = r·t1 / (r·t1 + t2) under H₀: λ1/λ2 = r. The
 * p-value is the exact binomial test of that π (two-sided: all outcomes no more probable than k1,
 * relative tolerance 1e-7). The interval maps the Clopper–Pearson interval [π_L, π_U] for π to
 * the rate ratio, π/(1 − π) · t2/t1 — one-sided for 'less'/'greater', as in R.
 * With k1 = k2 = 0 there is no information: pValue 1, interval [0, Infinity), rateRatio null.
 *
 * Reference: R documentation `poisson.test` (stats); J. Przyborowski & H. Wilenski (1940),
 * Biometrika 31:313–323 (the conditional test); N. E. Breslow & N. E. Day (1987), Statistical
 * Methods in Cancer Research II, §2.3.
 *
 * @param k1 events in group 1 (the candidate)
 * @param t1 exposure of group 1 (unit-days, person-years, …; > 0)
 * @param k2 events in group 2 (the baseline)
 * @param t2 exposure of group 2 (> 0)
 * @param alternative 'two.sided' (default) | 'greater' (λ1/λ2 > ratio) | 'less'
 * @param confidence level in (0, 1), default 0.95
 * @param ratio the hypothesised rate ratio r, default 1
 */
export function poissonRateRatioTest(
  k1: number,
  t1: number,
  k2: number,
  t2: number,
  alternative?: Alternative,
  confidence?: number,
  ratio = 1,
): RateRatioTestResult {
  const fn = 'poissonRateRatioTest';
  const alt = checkAlternative(fn, alternative);
  const conf = checkConfidence(fn, confidence);
  assertCount(fn, 'k1', k1);
  assertCount(fn, 'k2', k2);
  assertPositive(fn, 't1', t1);
  assertPositive(fn, 't2', t2);
  assertPositive(fn, 'ratio', ratio);
  const n = k1 + k2;
  if (n === 0) return { rateRatio: null, pValue: 1, low: 0, high: Infinity };
  const pi = (ratio * t1) / (ratio * t1 + t2);
  const b = binomialTest(k1, n, pi, alt, conf);
  const toRatio = (p: number): number => (p >= 1 ? Infinity : (p / (1 - p)) * (t2 / t1));
  const rateRatio = k2 === 0 ? Infinity : k1 / t1 / (k2 / t2);
  return { rateRatio, pValue: b.pValue, low: toRatio(b.low), high: toRatio(b.high) };
}

/** One stratum of person-time data: cases and exposure in the index (1) and reference (0) groups. */
export interface RateStratum {
  cases1: number;
  time1: number;
  cases0: number;
  time0: number;
}

/**
 * Strata as parallel columns (stratum i is entry i of each): how a caller holding many strata passes them
 * without an object per stratum (the firmware model reads five million strata at 10 M RMAs).
 */
export interface RateStrataColumns {
  cases1: ArrayLike<number>;
  time1: ArrayLike<number>;
  cases0: ArrayLike<number>;
  time0: ArrayLike<number>;
}

/** Result of {@link mantelHaenszelRateRatio}. */
export interface MantelHaenszelResult {
  /** Σ(a_i·T0_i/T_i) / Σ(b_i·T1_i/T_i). `Infinity` when only the denominator is 0, `null` for 0/0. */
  rateRatio: number | null;
  /** Greenland–Robins bound (0 / Infinity when a sum is 0). */
  low: number;
  high: number;
  /** Mantel–Haenszel score statistic χ² = (A − E)² / V with 1 df (0 when V = 0). */
  statistic: number;
  /** Two-sided p-value of the score test (1 when no stratum carries information). */
  pValue: number;
  /** Number of strata that carry information (person-time in both groups and at least one case). */
  informativeStrata: number;
  /** Over the informative strata: index-group cases A = Σ a_i, their expectation under H₀ E = Σ M_i T1_i / T_i, and all cases Σ M_i. */
  observed: number;
  expected: number;
  cases: number;
}

/**
 * Mantel–Haenszel rate ratio across strata of person-time data, with the Greenland–Robins
 * variance and the Mantel–Haenszel (score) chi-square test of H₀: rate ratio = 1.
 *
 * For stratum i with cases a_i (index), b_i (reference), person-time T1_i, T0_i, T_i = T1_i + T0_i
 * and M_i = a_i + b_i:
 *   RR_MH = Σ a_i T0_i / T_i  /  Σ b_i T1_i / T_i,
 *   Var(ln RR_MH) = Σ M_i T1_i T0_i / T_i²  /  [(Σ a_i T0_i / T_i)(Σ b_i T1_i / T_i)],
 *   bounds = exp(ln RR_MH ± z·√Var),
 *   E = Σ M_i T1_i / T_i,  V = Σ M_i T1_i T0_i / T_i²,  χ²_MH = (Σ a_i − E)² / V  (1 df, no
 *   continuity correction),  p = 2·(1 − Φ(|Σa − E| / √V)).
 * Strata with no person-time in one of the groups or no cases contribute nothing (used to
 * stratify firmware effects by batch and age band).
 *
 * Reference: K. J. Rothman, S. Greenland & T. L. Lash (2008), Modern Epidemiology, 3rd ed., ch. 15
 * (stratified person-time data); S. Greenland & J. M. Robins (1985), Biometrics 41:55–68;
 * N. Mantel & W. Haenszel (1959), J. Natl Cancer Inst. 22:719–748.
 *
 * @param strata one entry per stratum
 * @param confidence two-sided level in (0, 1), default 0.95
 */
export function mantelHaenszelRateRatio(strata: readonly RateStratum[], confidence?: number): MantelHaenszelResult {
  const fn = 'mantelHaenszelRateRatio';
  assertArray(fn, 'strata', strata);
  strata.forEach((s, i) => {
    if (s === null || typeof s !== 'object') throw new TypeError(`${fn}: strata[${i}] must be an object`);
    assertNonNegative(fn, `strata[${i}].cases1`, s.cases1);
    assertNonNegative(fn, `strata[${i}].cases0`, s.cases0);
    assertNonNegative(fn, `strata[${i}].time1`, s.time1);
    assertNonNegative(fn, `strata[${i}].time0`, s.time0);
  });
  const column = (k: keyof RateStratum): number[] => strata.map((s) => s[k]);
  return mantelHaenszelColumns({ cases1: column('cases1'), time1: column('time1'), cases0: column('cases0'), time0: column('time0') }, 0, strata.length, confidence);
}

/** {@link mantelHaenszelRateRatio} over strata `from` … `to − 1` of parallel columns. */
export function mantelHaenszelColumns(strata: RateStrataColumns, from: number, to: number, confidence?: number): MantelHaenszelResult {
  const fn = 'mantelHaenszelRateRatio';
  const conf = checkConfidence(fn, confidence);
  if (!(to > from)) throw new RangeError(`${fn}: at least one stratum is required`);
  let num = 0;
  let den = 0;
  let varNum = 0;
  let observed = 0;
  let expectedSum = 0;
  let cases = 0;
  let informative = 0;
  for (let i = from; i < to; i++) {
    const a = strata.cases1[i];
    const t1 = strata.time1[i];
    const b = strata.cases0[i];
    const t0 = strata.time0[i];
    // one comparison chain per stratum; the message is only built for a bad one (NaN fails every comparison)
    if (!(a >= 0 && b >= 0 && t1 >= 0 && t0 >= 0 && a + b + t1 + t0 < Infinity)) {
      throw new RangeError(`${fn}: strata[${i - from}] needs finite, non-negative cases and person-time, got ${a}, ${t1}, ${b}, ${t0}`);
    }
    if ((a > 0 && t1 === 0) || (b > 0 && t0 === 0)) {
      throw new RangeError(`${fn}: strata[${i - from}] has cases but no person-time in the same group`);
    }
    const T = t1 + t0;
    const M = a + b;
    if (t1 === 0 || t0 === 0 || M === 0) continue;
    informative++;
    num += (a * t0) / T;
    den += (b * t1) / T;
    varNum += (M * t1 * t0) / (T * T);
    observed += a;
    expectedSum += (M * t1) / T;
    cases += M;
  }
  if (informative === 0) {
    return { rateRatio: null, low: 0, high: Infinity, statistic: 0, pValue: 1, informativeStrata: 0, observed: 0, expected: 0, cases: 0 };
  }
  const z = normalQuantile(1 - (1 - conf) / 2);
  let rateRatio: number | null;
  let low: number;
  let high: number;
  if (num > 0 && den > 0) {
    rateRatio = num / den;
    const se = Math.sqrt(varNum / (num * den));
    low = rateRatio * Math.exp(-z * se);
    high = rateRatio * Math.exp(z * se);
  } else if (num > 0) {
    rateRatio = Infinity;
    low = 0;
    high = Infinity;
  } else if (den > 0) {
    rateRatio = 0;
    low = 0;
    high = Infinity;
  } else {
    rateRatio = null;
    low = 0;
    high = Infinity;
  }
  const diff = observed - expectedSum;
  const statistic = varNum > 0 ? (diff * diff) / varNum : 0;
  const pValue = varNum > 0 ? Math.min(1, 2 * normalSurvival(Math.abs(diff) / Math.sqrt(varNum))) : 1;
  return { rateRatio, low, high, statistic, pValue, informativeStrata: informative, observed, expected: expectedSum, cases };
}
