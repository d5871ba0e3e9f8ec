/**
 * Wald's sequential probability ratio test for a Bernoulli failure probability.
 */
import { assertCount, assertProbabilityOpen } from './validate.js';

/** Parameters of {@link bernoulliSprt}. */
export interface SprtPlan {
  /** Acceptable failure probability (H₀). */
  p0: number;
  /** Unacceptable failure probability (H₁), p1 ≠ p0 (normally p1 > p0). */
  p1: number;
  /** Producer's risk: P(reject H₀ | p0). */
  alpha: number;
  /** Consumer's risk: P(accept H₀ | p1). */
  beta: number;
}

/** Result of {@link bernoulliSprt}. */
export interface SprtResult {
  /** 'accept' H₀ (rate acceptable), 'reject' H₀ (rate unacceptable) or 'continue' sampling. */
  decision: 'accept' | 'reject' | 'continue';
  /** Log-likelihood ratio ln L(p1)/L(p0). */
  llr: number;
  /** ln(β / (1 − α)): accept at or below. */
  lowerBound: number;
  /** ln((1 − β) / α): reject at or above. */
  upperBound: number;
}

/**
 * Wald's SPRT of H₀: p = p0 against H₁: p = p1 after `failures` failures in `trials` trials:
 *   llr = f·ln(p1/p0) + (n − f)·ln((1 − p1)/(1 − p0)),
 *   A = ln((1 − β)/α),  B = ln(β/(1 − α)),
 *   llr ≥ A → 'reject' (H₀ rejected), llr ≤ B → 'accept', otherwise 'continue'.
 * With p1 > p0 this is the acceptance-sampling plan with acceptance line −h₁ + s·n and rejection
 * line h₂ + s·n (h₁ = −B/g, h₂ = A/g, s = ln((1 − p0)/(1 − p1))/g, g = ln(p1(1 − p0)/(p0(1 − p1)))).
 *
 * Reference: A. Wald (1945), Ann. Math. Stat. 16:117–186; NIST/SEMATECH e-Handbook §6.2.6
 * "What is Sequential Sampling?"; D. C. Montgomery, Introduction to SQC, 6th ed., ch. 15
 * (sequential sampling plans).
 *
 * @param plan { p0, p1, alpha, beta }, all in (0, 1)
 * @param failures failures observed so far (0 ≤ failures ≤ trials)
 * @param trials trials (units) observed so far
 */
export function bernoulliSprt(plan: SprtPlan, failures: number, trials: number): SprtResult {
  const fn = 'bernoulliSprt';
  if (plan === null || typeof plan !== 'object') throw new TypeError(`${fn}: plan must be { p0, p1, alpha, beta }`);
  assertProbabilityOpen(fn, 'p0', plan.p0);
  assertProbabilityOpen(fn, 'p1', plan.p1);
  assertProbabilityOpen(fn, 'alpha', plan.alpha);
  assertProbabilityOpen(fn, 'beta', plan.beta);
  if (plan.p0 === plan.p1) throw new RangeError(`${fn}: p0 and p1 must differ`);
  if (plan.alpha + plan.beta >= 1) throw new RangeError(`${fn}: alpha + beta must be < 1`);
  assertCount(fn, 'failures', failures);
  assertCount(fn, 'trials', trials);
  if (failures > trials) throw new RangeError(`${fn}: failures (${failures}) must not exceed trials (${trials})`);
  const { p0, p1, alpha, beta } = plan;
  const llr = failures * Math.log(p1 / p0) + (trials - failures) * (Math.log1p(-p1) - Math.log1p(-p0));
  const upperBound = Math.log((1 - beta) / alpha);
  const lowerBound = Math.log(beta / (1 - alpha));
  const decision = llr >= upperBound ? 'reject' : llr <= lowerBound ? 'accept' : 'continue';
  return { decision, llr, lowerBound, upperBound };
}
