/**
 * Exact binomial test (the reference the Poisson rate-ratio test reduces to).
 */
import { LOG_REL_ERR, firstAtMostOnFall, lastAtMostOnRise } from './discrete-tails.js';
import { inverseRegularizedBeta, logBinomialPmf, regularizedBeta } from './special-functions.js';
import { assertCount, assertFiniteNumber, checkAlternative, checkConfidence, type Alternative } from './validate.js';

/** Result of {@link binomialTest}. */
export interface BinomialTestResult {
  /** k / n */
  estimate: number;
  pValue: number;
  /** Clopper–Pearson bound (one-sided for 'less'/'greater', as in R). */
  low: number;
  high: number;
}

/** P(X ≤ k) for X ~ Binomial(n, p), via the regularized incomplete beta function. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  // P(X ≤ k) = I_{1−p}(n − k, k + 1) = 1 − I_p(k + 1, n − k)
  return regularizedBeta(p, k + 1, n - k).upper;
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialSurvival(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p === 0) return 0;
  if (p === 1) return 1;
  return regularizedBeta(p, k, n - k + 1).lower;
}

/** Two-sided p-value of R's binom.test: the probability of all outcomes no more likely than k. */
function twoSidedBinomialP(k: number, n: number, p: number): number {
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  const m = n * p;
  if (k === m) return 1;
  const logPmf = (i: number): number => logBinomialPmf(i, n, p);
  const threshold = logPmf(k) + LOG_REL_ERR;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  let pValue: number;
  if (k < m) {
    // Count i in [ceil(m), n] with pmf(i) ≤ threshold: a possible index below the mode, then a suffix.
    const start = Math.ceil(m);
    // R counts y such indices and adds P(X > n − y); we count them the same way.
    let y = n + 1 - firstAtMostOnFall(logPmf, Math.max(start, mode), n, threshold);
    for (let i = start; i < Math.max(start, mode); i++) if (logPmf(i) <= threshold) y++;
    pValue = binomialCdf(k, n, p) + (y > 0 ? binomialSurvival(n - y + 1, n, p) : 0);
  } else {
    // Count i in [0, floor(m)] with pmf(i) ≤ threshold: a prefix (pmf rises up to the mode ≥ floor(m)).
    const end = Math.floor(m);
    const lastLeft = lastAtMostOnRise(logPmf, 0, Math.min(end, mode), threshold);
    pValue = (lastLeft >= 0 ? binomialCdf(lastLeft, n, p) : 0) + binomialSurvival(k, n, p);
  }
  return Math.min(1, pValue);
}

/**
 * Exact binomial test of H₀: success probability = p, as R's `binom.test(k, n, p, alternative)`.
 *
 * - 'less': P(X ≤ k); 'greater': P(X ≥ k);
 * - 'two.sided': Σ P(X = i) over all i with P(X = i) ≤ P(X = k)·(1 + 1e-7) (the "minimum
 *   likelihood" convention of R; it differs from doubling the smaller tail).
 * The interval is Clopper–Pearson: two-sided at `confidence`, or one-sided [0, high] / [low, 1]
 * for 'less' / 'greater' as in R. Tail probabilities use the regularized incomplete beta function
 * and the set of outcomes is found by bisection on the unimodal pmf, so n in the millions costs
 * microseconds.
 *
 * Reference: R documentation `binom.test` (stats); C. J. Clopper & E. S. Pearson (1934).
 */
export function binomialTest(
  k: number,
  n: number,
  p = 0.5,
  alternative?: Alternative,
  confidence?: number,
): BinomialTestResult {
  const fn = 'binomialTest';
  const alt = checkAlternative(fn, alternative);
  const conf = checkConfidence(fn, confidence);
  assertCount(fn, 'k', k);
  assertCount(fn, 'n', n);
  assertFiniteNumber(fn, 'p', p);
  if (n === 0) throw new RangeError(`${fn}: n must be >= 1`);
  if (k > n) throw new RangeError(`${fn}: k (${k}) must not exceed n (${n})`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${fn}: p must be in [0, 1], got ${p}`);
  let pValue: number;
  let low: number;
  let high: number;
  if (alt === 'less') {
    pValue = binomialCdf(k, n, p);
    low = 0;
    high = k === n ? 1 : inverseRegularizedBeta(conf, k + 1, n - k);
  } else if (alt === 'greater') {
    pValue = binomialSurvival(k, n, p);
    low = k === 0 ? 0 : inverseRegularizedBeta(1 - conf, k, n - k + 1);
    high = 1;
  } else {
    pValue = twoSidedBinomialP(k, n, p);
    const alpha = 1 - conf;
    low = k === 0 ? 0 : inverseRegularizedBeta(alpha / 2, k, n - k + 1);
    high = k === n ? 1 : inverseRegularizedBeta(1 - alpha / 2, k + 1, n - k);
  }
  return { estimate: k / n, pValue: Math.min(1, Math.max(0, pValue)), low, high };
}
