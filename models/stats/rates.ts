/**
 * Failure-rate conventions.
 */
import { assertNonNegative, assertPositive } from './validate.js';

/**
 * Annualized failure rate in percent, Backblaze's convention:
 *   AFR = failures / (unitDays / 365) × 100.
 * A fleet-year is 365 unit-days; the result is a rate (it can exceed 100 % for very unreliable
 * units), not a probability.
 *
 * Reference: Backblaze Drive Stats ("The annualized failure rate is computed as follows:
 * ((Failures)/(Drive Days/365)) * 100").
 *
 * @param failures failures observed (≥ 0)
 * @param unitDays unit-days of exposure (> 0)
 */
export function annualizedFailureRate(failures: number, unitDays: number): number {
  const fn = 'annualizedFailureRate';
  assertNonNegative(fn, 'failures', failures);
  assertPositive(fn, 'unitDays', unitDays);
  return (failures / (unitDays / 365)) * 100;
}
