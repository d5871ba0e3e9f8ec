/**
 * Confidence intervals for a proportion, a Poisson count and a ratio of two risks.
 */
import {
  inverseRegularizedBeta,
  inverseRegularizedGamma,
  normalQuantile,
} from './special-functions.js';
import { assertCount, assertPositive, checkConfidence, assertNonNegative } from './validate.js';

/** A point estimate with a two-sided interval. */
export interface ProportionInterval {
  estimate: number;
  low: number;
  high: number;
}

/** A two-sided interval for a Poisson mean. */
export interface CountInterval {
  low: number;
  high: number;
}

/** Risk ratio with its Katz log interval. */
export interface RelativeRiskResult {
  rr: number;
  low: number;
  high: number;
  /** True when a zero cell forced the Haldane–Anscombe correction (0.5 added to every cell). */
  corrected: boolean;
}

function checkProportionInputs(fn: string, k: number, n: number): void {
  assertCount(fn, 'k', k);
  assertCount(fn, 'n', n);
  if (n === 0) throw new RangeError(`${fn}: n must be >= 1 (no trials, no proportion)`);
  if (k > n) throw new RangeError(`${fn}: k (${k}) must not exceed n (${n})`);
}

/**
 * Wilson score interval for a binomial proportion, without continuity correction.
 *
 * With p̂ = k/n and z = Φ⁻¹(1 − α/2):
 *   centre = (p̂ + z²/2n) / (1 + z²/n),
 *   half-width = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²).
 * `estimate` is p̂ (not the centre). Bounds are clamped to [0, 1]; k = 0 gives low = 0 exactly and
 * k = n gives high = 1 exactly. Matches R's `prop.test(k, n, correct = FALSE)$conf.int`.
 *
 * Reference: E. B. Wilson (1927), JASA 22:209–212; R. G. Newcombe (1998), Statistics in Medicine
 * 17:857–872, method 3.
 *
 * @param k successes (integer, 0 ≤ k ≤ n)
 * @param n trials (integer ≥ 1)
 * @param confidence two-sided level in (0, 1), default 0.95
 */
export function wilsonInterval(k: number, n: number, confidence?: number): ProportionInterval {
  const fn = 'wilsonInterval';
  const conf = checkConfidence(fn, confidence);
  checkProportionInputs(fn, k, n);
  const z = normalQuantile(1 - (1 - conf) / 2);
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    estimate: p,
    low: k === 0 ? 0 : Math.max(0, centre - half),
    high: k === n ? 1 : Math.min(1, centre + half),
  };
}

/**
 * Clopper–Pearson "exact" interval for a binomial proportion, from beta quantiles:
 *   low = B⁻¹(α/2; k, n − k + 1)  (0 when k = 0),
 *   high = B⁻¹(1 − α/2; k + 1, n − k)  (1 when k = n).
 * Guarantees coverage ≥ the nominal level. Matches R's `binom.test(k, n)$conf.int`.
 *
 * Reference: C. J. Clopper & E. S. Pearson (1934), Biometrika 26:404–413; Newcombe (1998) method 5.
 *
 * @param k successes (integer, 0 ≤ k ≤ n)
 * @param n trials (integer ≥ 1)
 * @param confidence two-sided level in (0, 1), default 0.95
 */
export function clopperPearsonInterval(k: number, n: number, confidence?: number): ProportionInterval {
  const fn = 'clopperPearsonInterval';
  const conf = checkConfidence(fn, confidence);
  checkProportionInputs(fn, k, n);
  const alpha = 1 - conf;
  return {
    estimate: k / n,
    low: k === 0 ? 0 : inverseRegularizedBeta(alpha / 2, k, n - k + 1),
    high: k === n ? 1 : inverseRegularizedBeta(1 - alpha / 2, k + 1, n - k),
  };
}

/**
 * Exact (Garwood) confidence interval for the mean of a Poisson count:
 *   low = χ²(α/2; 2k) / 2  (0 when k = 0),  high = χ²(1 − α/2; 2k + 2) / 2,
 * where χ²(p; ν) is the p-quantile of chi-square with ν degrees of freedom, computed as the inverse
 * regularized gamma function. Matches R's `poisson.test(k)$conf.int`. Divide by the exposure for
 * a rate interval.
 *
 * Reference: F. Garwood (1936), Biometrika 28:437–442; K. Ulm (1990), Am. J. Epidemiol. 131:373–375.
 *
 * @param count observed events (integer ≥ 0)
 * @param confidence two-sided level in (0, 1), default 0.95
 */
export function poissonInterval(count: number, confidence?: number): CountInterval {
  const fn = 'poissonInterval';
  const conf = checkConfidence(fn, confidence);
  assertCount(fn, 'count', count);
  const alpha = 1 - conf;
  return {
    low: count === 0 ? 0 : inverseRegularizedGamma(alpha / 2, count),
    high: inverseRegularizedGamma(1 - alpha / 2, count + 1),
  };
}

/**
 * One-sided exact upper confidence bound for a Poisson rate: χ²(c; 2k + 2) / (2 · exposure).
 * With k = 0 and c = 0.95 this is the "rule of three", ≈ 2.9957 / exposure.
 *
 * Reference: Garwood (1936); the same χ²(1 − α; 2r + 2) bound is used for time-censored reliability
 * tests in the NIST/SEMATECH e-Handbook, chapter 8 (exponential failure-rate bounds).
 *
 * @param count observed events (integer ≥ 0)
 * @param exposure units × time at risk (> 0)
 * @param confidence one-sided level in (0, 1), default 0.95
 */
export function exactPoissonUpperRate(count: number, exposure: number, confidence?: number): number {
  const fn = 'exactPoissonUpperRate';
  const conf = checkConfidence(fn, confidence);
  assertCount(fn, 'count', count);
  assertPositive(fn, 'exposure', exposure);
  return inverseRegularizedGamma(conf, count + 1) / exposure;
}

/**
 * Relative risk (risk ratio) of group 1 against group 0 with the Katz log interval:
 *   RR = (a/n₁) / (c/n₀),  SE(ln RR) = √(1/a − 1/n₁ + 1/c − 1/n₀),
 *   bounds = exp(ln RR ± z·SE),  z = Φ⁻¹(1 − α/2).
 * When a or c is 0 the log interval does not exist; then 0.5 is added to every cell
 * (Haldane–Anscombe: a, c += 0.5 and n₁, n₀ += 1) for the estimate and the interval, and
 * `corrected` is true — so the result never carries 0, Infinity or NaN.
 *
 * Reference: D. Katz, J. Baptista, S. P. Azen & M. C. Pike (1978), "Obtaining confidence intervals
 * for the risk ratio in cohort studies", Biometrics 34:469–474; scipy.stats.contingency.relative_risk.
 *
 * @param a events in group 1 (0 ≤ a ≤ n1)
 * @param n1 size of group 1 (≥ 1)
 * @param c events in group 0 (0 ≤ c ≤ n0)
 * @param n0 size of group 0 (≥ 1)
 * @param confidence two-sided level in (0, 1), default 0.95
 */
export function relativeRisk(a: number, n1: number, c: number, n0: number, confidence?: number): RelativeRiskResult {
  const fn = 'relativeRisk';
  const conf = checkConfidence(fn, confidence);
  assertNonNegative(fn, 'a', a);
  assertNonNegative(fn, 'c', c);
  assertPositive(fn, 'n1', n1);
  assertPositive(fn, 'n0', n0);
  if (a > n1) throw new RangeError(`${fn}: a (${a}) must not exceed n1 (${n1})`);
  if (c > n0) throw new RangeError(`${fn}: c (${c}) must not exceed n0 (${n0})`);
  const corrected = a === 0 || c === 0;
  const A = corrected ? a + 0.5 : a;
  const C = corrected ? c + 0.5 : c;
  const N1 = corrected ? n1 + 1 : n1;
  const N0 = corrected ? n0 + 1 : n0;
  const rr = A / N1 / (C / N0);
  const se = Math.sqrt(Math.max(0, 1 / A - 1 / N1 + 1 / C - 1 / N0));
  const z = normalQuantile(1 - (1 - conf) / 2);
  return { rr, low: rr * Math.exp(-z * se), high: rr * Math.exp(z * se), corrected };
}
