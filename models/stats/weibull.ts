/**
 * Two-parameter Weibull life model: distribution function, maximum-likelihood fit to right-censored
 * (possibly grouped) data with Fisher-matrix bounds, and the conditional forecast of failures
 * among units still at risk.
 */
import { normalQuantile } from './special-functions.js';
import { assertFiniteNumber, assertNonNegative, assertParallelColumns, assertPositive, checkConfidence } from './validate.js';

/** A group of identical ages: `count` units at `time` (or `age`, as produced by `nevadaToLifeData`). */
export type LifeGroup = { time: number; count: number } | { age: number; count: number };

/** Life data as individual times, or as groups of identical times with counts. */
export type LifeData = readonly number[] | readonly LifeGroup[];

/** Input of {@link weibullFit}. */
export interface WeibullFitInput {
  /** Times (ages) at failure; each must be > 0. */
  failures: LifeData;
  /** Right-censored times (units still running at that age); each ≥ 0 (age 0 carries no information). */
  suspensions?: LifeData;
  /** Two-sided level of the bounds, default 0.95. */
  confidence?: number;
}

/** Result of {@link weibullFit}. */
export interface WeibullFit {
  /** Shape β. */
  beta: number;
  /** Scale η (same unit as the times; the 63.2 % life). */
  eta: number;
  /** Maximised log-likelihood, with the full log-density ln f(t) for failures and ln R(t) for suspensions. */
  logLikelihood: number;
  betaLow: number;
  betaHigh: number;
  etaLow: number;
  etaHigh: number;
  /** Number of failures (sum of counts). */
  failureCount: number;
  /** Number of suspensions (sum of counts). */
  suspensionCount: number;
  /** Inverse observed Fisher information: Var(β̂), Var(η̂), Cov(β̂, η̂). */
  covariance: { betaBeta: number; etaEta: number; betaEta: number };
}

/** Why a Weibull fit could not be produced. */
export type WeibullFitErrorCode = 'NO_FAILURES' | 'UNBOUNDED_SHAPE' | 'NO_CONVERGENCE';

/**
 * Thrown by {@link weibullFit} when the data admit no finite maximum-likelihood estimate (no
 * failures; every failure at the largest time with nothing surviving past it) or the solver does
 * not converge. `code` tells which, so callers can fall back (e.g. to `exactPoissonUpperRate`).
 */
export class WeibullFitError extends RangeError {
  constructor(
    readonly code: WeibullFitErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WeibullFitError';
  }
}

/**
 * Weibull cumulative distribution F(t) = 1 − exp(−(t/η)^β), computed as −expm1(−(t/η)^β) so small
 * probabilities keep full relative precision.
 *
 * Reference: NIST/SEMATECH e-Handbook of Statistical Methods, §8.1.6.2 "Weibull".
 *
 * @param t age (≥ 0)
 * @param beta shape β (> 0)
 * @param eta scale η (> 0)
 */
export function weibullCdf(t: number, beta: number, eta: number): number {
  const fn = 'weibullCdf';
  assertNonNegative(fn, 't', t);
  assertPositive(fn, 'beta', beta);
  assertPositive(fn, 'eta', eta);
  return -Math.expm1(-Math.pow(t / eta, beta));
}

interface Prepared {
  logT: Float64Array;
  weight: Float64Array;
  /** Σ count·ln t over failures */
  sumLogFailures: number;
  failureCount: number;
  suspensionCount: number;
  maxLog: number;
  /** The first `failureEntries` entries of logT/weight are failures. */
  failureEntries: number;
  maxFailureLog: number;
  minFailureLog: number;
}

function readLifeData(fn: string, name: string, data: LifeData, failures: boolean): { times: number[]; counts: number[] } {
  if (!Array.isArray(data)) throw new TypeError(`${fn}: ${name} must be an array of times or of { time, count }`);
  const times: number[] = [];
  const counts: number[] = [];
  const checkTime = (t: unknown, i: number): number => {
    if (typeof t !== 'number' || Number.isNaN(t)) throw new TypeError(`${fn}: ${name}[${i}] time must be a number, got ${String(t)}`);
    if (!Number.isFinite(t) || t < 0) throw new RangeError(`${fn}: ${name}[${i}] time must be finite and >= 0, got ${t}`);
    if (failures && t === 0) {
      throw new RangeError(`${fn}: ${name}[${i}] is a failure at time 0; failure times must be > 0 (shift ages, e.g. count same-period returns as age 0.5)`);
    }
    return t;
  };
  // Fast path for plain arrays of times (possibly millions): copy, sort natively, run-length encode.
  if (data.every((x) => typeof x === 'number')) {
    const sorted = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) sorted[i] = checkTime(data[i], i);
    sorted.sort();
    for (let i = 0; i < sorted.length; ) {
      const t = sorted[i];
      let j = i + 1;
      while (j < sorted.length && sorted[j] === t) j++;
      if (t > 0) {
        times.push(t);
        counts.push(j - i);
      }
      i = j;
    }
    return { times, counts };
  }
  for (let i = 0; i < data.length; i++) {
    const item = data[i] as unknown;
    let t: number;
    let c: unknown = 1;
    if (typeof item === 'number') t = checkTime(item, i);
    else if (item !== null && typeof item === 'object') {
      const g = item as { time?: unknown; age?: unknown; count?: unknown };
      t = checkTime(g.time !== undefined ? g.time : g.age, i);
      c = g.count;
    } else throw new TypeError(`${fn}: ${name}[${i}] must be a number or { time, count }`);
    assertFiniteNumber(fn, `${name}[${i}].count`, c);
    if (c < 0) throw new RangeError(`${fn}: ${name}[${i}].count must be >= 0, got ${c}`);
    if (c === 0 || t === 0) continue; // contributes nothing to the likelihood
    times.push(t);
    counts.push(c);
  }
  return { times, counts };
}

function prepare(fn: string, input: WeibullFitInput): Prepared {
  if (input === null || typeof input !== 'object') throw new TypeError(`${fn}: input must be { failures, suspensions? }`);
  const f = readLifeData(fn, 'failures', input.failures, true);
  const s = readLifeData(fn, 'suspensions', input.suspensions ?? [], false);
  return prepareGroups(f.times, f.counts, s.times, s.counts);
}

/**
 * Log-times and weights of checked groups: failures first, then suspensions, each in the given
 * order (so the sums are the same whichever entry point the groups came through). Groups with a
 * zero count or at time 0 contribute nothing and are left out.
 */
function prepareGroups(fTimes: ArrayLike<number>, fCounts: ArrayLike<number>, sTimes: ArrayLike<number>, sCounts: ArrayLike<number>): Prepared {
  let failureEntries = 0;
  let n = 0;
  for (let i = 0; i < fTimes.length; i++) if (fCounts[i] !== 0 && fTimes[i] !== 0) failureEntries++;
  for (let j = 0; j < sTimes.length; j++) if (sCounts[j] !== 0 && sTimes[j] !== 0) n++;
  n += failureEntries;
  const logT = new Float64Array(n);
  const weight = new Float64Array(n);
  let sumLogFailures = 0;
  let failureCount = 0;
  let suspensionCount = 0;
  let maxLog = -Infinity;
  let maxFailureLog = -Infinity;
  let minFailureLog = Infinity;
  let k = 0;
  for (let i = 0; i < fTimes.length; i++) {
    const c = fCounts[i];
    if (c === 0 || fTimes[i] === 0) continue;
    const l = Math.log(fTimes[i]);
    logT[k] = l;
    weight[k++] = c;
    sumLogFailures += c * l;
    failureCount += c;
    if (l > maxLog) maxLog = l;
    if (l > maxFailureLog) maxFailureLog = l;
    if (l < minFailureLog) minFailureLog = l;
  }
  for (let j = 0; j < sTimes.length; j++) {
    const c = sCounts[j];
    if (c === 0 || sTimes[j] === 0) continue;
    const l = Math.log(sTimes[j]);
    logT[k] = l;
    weight[k++] = c;
    suspensionCount += c;
    if (l > maxLog) maxLog = l;
  }
  return {
    logT,
    weight,
    sumLogFailures,
    failureCount,
    suspensionCount,
    maxLog,
    failureEntries,
    maxFailureLog,
    minFailureLog,
  };
}

/** Checks parallel columns of grouped life data (times ≥ 0, counts ≥ 0, no failure at time 0). */
function checkColumns(fn: string, times: ArrayLike<number>, failures: ArrayLike<number>, suspensions: ArrayLike<number>): void {
  assertParallelColumns(fn, ['times', 'failures', 'suspensions'], [times, failures, suspensions]);
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    const f = failures[i];
    const s = suspensions[i];
    // one comparison chain per group; the message is only built for a bad group
    if (!(t >= 0 && t < Infinity && f >= 0 && f < Infinity && s >= 0 && s < Infinity)) {
      assertNonNegative(fn, `times[${i}]`, t);
      assertNonNegative(fn, `failures[${i}]`, f);
      assertNonNegative(fn, `suspensions[${i}]`, s);
    }
    if (t === 0 && f > 0) {
      throw new RangeError(`${fn}: failures[${i}] are failures at time 0; failure times must be > 0 (shift ages, e.g. count same-period returns as age 0.5)`);
    }
  }
}

/**
 * Weighted moments of ln t under weights c·t^β (shifted by the largest ln t so nothing overflows).
 * Returns ln Σ c t^β, the weighted mean and variance of ln t.
 */
function moments(d: Prepared, beta: number): { logS0: number; mean: number; variance: number } {
  const { logT, weight, maxLog } = d;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < logT.length; i++) {
    const l = logT[i] - maxLog;
    const w = weight[i] * Math.exp(beta * l);
    s0 += w;
    s1 += w * l;
    s2 += w * l * l;
  }
  const m = s1 / s0;
  return { logS0: Math.log(s0) + beta * maxLog, mean: m + maxLog, variance: Math.max(0, s2 / s0 - m * m) };
}

/**
 * Maximum-likelihood fit of the two-parameter Weibull distribution to right-censored data.
 *
 * Likelihood (full log-density, as in Meeker & Escobar and the `reliability` library):
 *   ℓ(β, η) = Σ_failures c·[ln β − β ln η + (β − 1) ln t − (t/η)^β] − Σ_suspensions c·(t/η)^β.
 * The fit profiles out η: for fixed β, η(β) = (Σ_all c·t^β / r)^{1/β} (r = number of failures),
 * and β solves the score equation
 *   g(β) = Σ c t^β ln t / Σ c t^β − 1/β − (1/r) Σ_failures c ln t = 0,
 * which is strictly increasing (g′ = Var_w(ln t) + 1/β² > 0), so its root is unique. It is found by
 * Newton steps inside a bracket, bisecting whenever a step leaves the bracket; the start is the
 * extreme-value moment estimate β₀ = π / (√6 · sd(ln t_failures)). Sums are computed with
 * t^β = exp(β(ln t − max ln t)) so nothing overflows; 10^6 groups take milliseconds per step.
 *
 * Bounds are Fisher-matrix bounds on the log scale: with Cov = (observed information)⁻¹ at the MLE,
 *   β·exp(±z·√Var(β̂)/β),  η·exp(±z·√Var(η̂)/η),  z = Φ⁻¹(1 − α/2).
 *
 * Failures and suspensions may be plain arrays of times or `{ time, count }` / `{ age, count }`
 * groups (aggregated counts from SQL). Counts may be non-integer weights.
 *
 * @throws {WeibullFitError} code 'NO_FAILURES' when there are no failures (all censored: no MLE
 *   exists — use an exact Poisson upper bound instead); 'UNBOUNDED_SHAPE' when every failure is at
 *   the same time and nothing survived beyond it (β → ∞, e.g. a single failure with no later
 *   suspensions); 'NO_CONVERGENCE' if the solver fails.
 * @throws {RangeError} negative times, failures at time 0, negative counts.
 *
 * Reference: W. Q. Meeker & L. A. Escobar (1998), Statistical Methods for Reliability Data, §8.2
 * (Weibull ML with censoring) and §8.4 (Fisher-matrix, log-transformed bounds); NIST/SEMATECH
 * e-Handbook §8.4.1.2 (maximum likelihood); M. Reid, `reliability` Python library,
 * `Fit_Weibull_2P`.
 */
export function weibullFit(input: WeibullFitInput): WeibullFit {
  const fn = 'weibullFit';
  const d = prepare(fn, input);
  return fitPrepared(fn, d, checkConfidence(fn, input.confidence));
}

/**
 * {@link weibullFit} on life data grouped by time as parallel columns (plain arrays or typed
 * arrays, e.g. slices of columns read from SQL): at `times[i]`, `failures[i]` units failed and
 * `suspensions[i]` were still running; either count may be 0. For many fits over millions of
 * groups, where an object per group is most of the cost. The same estimate, to the last bit, as
 * weibullFit with failures and suspensions listed in the order of the columns.
 *
 * @throws {WeibullFitError} as weibullFit.
 * @throws {RangeError} negative or non-finite times or counts, failures at time 0, columns of
 *   different lengths.
 */
export function weibullFitColumns(
  times: ArrayLike<number>,
  failures: ArrayLike<number>,
  suspensions: ArrayLike<number>,
  confidence?: number,
): WeibullFit {
  const fn = 'weibullFitColumns';
  checkColumns(fn, times, failures, suspensions);
  const d = prepareGroups(times, failures, times, suspensions);
  // the fit's own errors read as weibullFit's, whichever way the data came in (callers record them)
  return fitPrepared('weibullFit', d, checkConfidence(fn, confidence));
}

function fitPrepared(fn: string, d: Prepared, conf: number): WeibullFit {
  const r = d.failureCount;
  if (!(r > 0)) {
    throw new WeibullFitError('NO_FAILURES', `${fn}: no failures (${d.suspensionCount} suspensions) — a Weibull distribution cannot be fitted to all-censored data`);
  }
  const meanLogF = d.sumLogFailures / r;
  // A finite root exists iff the largest time exceeds the (weighted) mean failure log-time.
  if (!(d.maxLog - meanLogF > 1e-12 * Math.max(1, Math.abs(d.maxLog)))) {
    throw new WeibullFitError(
      'UNBOUNDED_SHAPE',
      `${fn}: every failure is at the same time and no unit survived beyond it — the shape β is unbounded (more data needed)`,
    );
  }
  const score = (beta: number): { g: number; dg: number; logS0: number } => {
    const m = moments(d, beta);
    return { g: m.mean - 1 / beta - meanLogF, dg: m.variance + 1 / (beta * beta), logS0: m.logS0 };
  };

  // Starting value from the spread of ln t among failures (extreme-value moments).
  // Failures come first in logT; their weights are their counts.
  let sumSq = 0;
  for (let i = 0; i < d.failureEntries; i++) {
    const dev = d.logT[i] - meanLogF;
    sumSq += d.weight[i] * dev * dev;
  }
  const sdF = Math.sqrt(sumSq / r);
  let beta = sdF > 1e-8 ? Math.PI / (Math.sqrt(6) * sdF) : 1;
  beta = Math.min(Math.max(beta, 1e-3), 1e3);

  // Bracket the root of the increasing score.
  let lo = 0;
  let hi = Infinity;
  let cur = score(beta);
  let iterations = 0;
  const maxIterations = 500;
  while (iterations++ < maxIterations) {
    if (cur.g === 0) break;
    if (cur.g < 0) lo = beta;
    else hi = beta;
    let next = beta - cur.g / cur.dg;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) {
      next = Number.isFinite(hi) ? (lo > 0 ? Math.sqrt(lo * hi) : hi / 4) : beta * 4;
    }
    const step = Math.abs(next - beta);
    beta = next;
    cur = score(beta);
    if (step <= 1e-13 * beta || (Number.isFinite(hi) && hi - lo <= 1e-14 * hi)) break;
  }
  if (iterations >= maxIterations || !Number.isFinite(beta) || !(beta > 0) || Math.abs(cur.g) * beta > 1e-6) {
    throw new WeibullFitError('NO_CONVERGENCE', `${fn}: the shape estimate did not converge (last β = ${beta}, score = ${cur.g})`);
  }
  const logEta = (cur.logS0 - Math.log(r)) / beta;
  const eta = Math.exp(logEta);
  if (beta > 1e6 || !Number.isFinite(eta)) {
    throw new WeibullFitError('UNBOUNDED_SHAPE', `${fn}: the shape estimate diverges (β = ${beta}); the data are (nearly) degenerate`);
  }

  // Log-likelihood and observed information at the MLE.
  let sumZ = 0; // Σ c z^β over all
  let sumZU = 0; // Σ c z^β u
  let sumZU2 = 0; // Σ c z^β u²
  for (let i = 0; i < d.logT.length; i++) {
    const u = d.logT[i] - logEta;
    const zb = d.weight[i] * Math.exp(beta * u);
    sumZ += zb;
    sumZU += zb * u;
    sumZU2 += zb * u * u;
  }
  const logLikelihood = r * Math.log(beta) - r * beta * logEta + (beta - 1) * d.sumLogFailures - sumZ;
  const iBB = r / (beta * beta) + sumZU2;
  const iEE = -(r * beta) / (eta * eta) + ((beta * (beta + 1)) / (eta * eta)) * sumZ;
  const iBE = r / eta - sumZ / eta - (beta / eta) * sumZU;
  const det = iBB * iEE - iBE * iBE;
  if (!(det > 0)) {
    throw new WeibullFitError('NO_CONVERGENCE', `${fn}: the information matrix is not positive definite at the estimate`);
  }
  const varBeta = iEE / det;
  const varEta = iBB / det;
  const covBE = -iBE / det;
  const z = normalQuantile(1 - (1 - conf) / 2);
  const sb = Math.sqrt(varBeta) / beta;
  const se = Math.sqrt(varEta) / eta;
  return {
    beta,
    eta,
    logLikelihood,
    betaLow: beta * Math.exp(-z * sb),
    betaHigh: beta * Math.exp(z * sb),
    etaLow: eta * Math.exp(-z * se),
    etaHigh: eta * Math.exp(z * se),
    failureCount: r,
    suspensionCount: d.suspensionCount,
    covariance: { betaBeta: varBeta, etaEta: varEta, betaEta: covBE },
  };
}

/** Result of {@link weibullForecast}. */
export interface WeibullForecast {
  groups: { age: number; count: number; probability: number; expected: number }[];
  /** Σ expected */
  total: number;
  /** Standard deviation of the number of failures, √Σ count·p(1 − p) (independent units). */
  sd: number;
}

/**
 * Expected failures over the next `horizon` among units still running at the given ages.
 *
 * For a unit of age a the conditional probability of failing within the horizon is
 *   P = [F(a + h) − F(a)] / [1 − F(a)] = 1 − exp(−[((a + h)/η)^β − (a/η)^β]),
 * computed with expm1 so small probabilities stay exact. With a `warrantyLimit` W the window is
 * cut at W (a + h becomes min(a + h, W); units already at or past W contribute 0), so the total
 * is the expected number of remaining in-warranty returns. expected = count · P.
 *
 * Reference: W. Q. Meeker & L. A. Escobar (1998), Statistical Methods for Reliability Data, ch. 12
 * (prediction of future failures); ReliaSoft Weibull++ "conditional probability" warranty
 * forecast (Life Data Analysis Reference, Warranty Data Analysis).
 *
 * @param model { beta, eta } (e.g. a {@link weibullFit} result)
 * @param atRisk groups of units still running: { age, count }
 * @param horizon length of the forecast window (same unit as ages, ≥ 0)
 * @param warrantyLimit optional age at which coverage ends
 */
export function weibullForecast(
  model: { beta: number; eta: number },
  atRisk: readonly { age: number; count: number }[],
  horizon: number,
  warrantyLimit?: number,
): WeibullForecast {
  const fn = 'weibullForecast';
  if (model === null || typeof model !== 'object') throw new TypeError(`${fn}: model must be { beta, eta }`);
  assertPositive(fn, 'beta', model.beta);
  assertPositive(fn, 'eta', model.eta);
  assertNonNegative(fn, 'horizon', horizon);
  if (warrantyLimit !== undefined) assertNonNegative(fn, 'warrantyLimit', warrantyLimit);
  if (!Array.isArray(atRisk)) throw new TypeError(`${fn}: atRisk must be an array of { age, count }`);
  const { beta, eta } = model;
  let total = 0;
  let variance = 0;
  const groups = atRisk.map((g, i) => {
    if (g === null || typeof g !== 'object') throw new TypeError(`${fn}: atRisk[${i}] must be { age, count }`);
    assertNonNegative(fn, `atRisk[${i}].age`, g.age);
    assertNonNegative(fn, `atRisk[${i}].count`, g.count);
    const end = warrantyLimit === undefined ? g.age + horizon : Math.min(g.age + horizon, warrantyLimit);
    let probability = 0;
    if (end > g.age) {
      const h = Math.pow(end / eta, beta) - Math.pow(g.age / eta, beta);
      probability = -Math.expm1(-h);
    }
    const expected = g.count * probability;
    total += expected;
    variance += g.count * probability * (1 - probability);
    return { age: g.age, count: g.count, probability, expected };
  });
  return { groups, total, sd: Math.sqrt(variance) };
}
