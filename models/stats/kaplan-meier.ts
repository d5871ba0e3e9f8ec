/**
 * Kaplan–Meier product-limit estimate of the survival function.
 */
import { normalQuantile } from './special-functions.js';
import { assertArray, assertCount, assertNonNegative, assertSameLength, checkConfidence } from './validate.js';

/** One step of the Kaplan–Meier curve (one distinct event time). */
export interface KaplanMeierRow {
  time: number;
  /** Units with time ≥ this time (censorings tied with the events included). */
  atRisk: number;
  /** Events (failures) at this time. */
  events: number;
  /** Ŝ(t) just after this time. */
  survival: number;
  /** Greenwood standard error of Ŝ(t). */
  stdErr: number;
  /** Log-log (exponential Greenwood) bounds for S(t). */
  low: number;
  high: number;
}

/**
 * Kaplan–Meier estimate with Greenwood standard errors and log-log confidence bounds.
 *
 * At each distinct event time t_j with n_j units at risk and d_j events:
 *   Ŝ(t_j) = Π_{i ≤ j} (1 − d_i / n_i),
 *   Greenwood: Var Ŝ = Ŝ² Σ_{i ≤ j} d_i / (n_i (n_i − d_i)),  stdErr = √Var,
 *   log-log bounds: Ŝ^{exp(±z·σ)} with σ = √(Σ d_i/(n_i(n_i − d_i))) / |ln Ŝ|, z = Φ⁻¹(1 − α/2)
 *   (low uses +, high uses −), which always lie in [0, 1].
 * Censorings tied with events at the same time stay in the risk set at that time (the usual
 * convention: the unit was at risk when the events happened). Rows are emitted at event times only
 * (as R's `summary(survfit(...))`). When Ŝ reaches 0 the Greenwood variance is 0·∞; the row then
 * reports stdErr 0 and low = high = 0 (as SAS PROC LIFETEST prints), never NaN.
 *
 * Matches R `survfit(Surv(time, status) ~ 1, conf.type = "log-log")`.
 *
 * Reference: E. L. Kaplan & P. Meier (1958), JASA 53:457–481; M. Greenwood (1926); J. P. Klein &
 * M. L. Moeschberger (2003), Survival Analysis, 2nd ed., ch. 4 (Greenwood variance, log-log
 * bounds); R `survival::survfit` documentation (conf.type = "log-log").
 *
 * @param times observation times (≥ 0), one per unit
 * @param events per unit: true/1 for a failure, false/0 for a censoring
 * @param confidence two-sided level, default 0.95
 */
export function kaplanMeier(
  times: readonly number[],
  events: readonly (boolean | number)[],
  confidence?: number,
): KaplanMeierRow[] {
  const fn = 'kaplanMeier';
  assertArray(fn, 'times', times);
  assertArray(fn, 'events', events);
  assertSameLength(fn, ['times', 'events'], times, events);
  const groups = new Map<number, KaplanMeierGroup>();
  for (let i = 0; i < times.length; i++) {
    assertNonNegative(fn, `times[${i}]`, times[i]);
    const e = events[i];
    if (!(e === true || e === false || e === 0 || e === 1)) {
      throw new TypeError(`${fn}: events[${i}] must be true/false or 1/0, got ${String(e)}`);
    }
    const g = groups.get(times[i]) ?? groups.set(times[i], { time: times[i], events: 0, censored: 0 }).get(times[i])!;
    if (e === true || e === 1) g.events++;
    else g.censored++;
  }
  return kaplanMeierCounts([...groups.values()], confidence);
}

/** Life data grouped by time: failures and censorings observed at one time. */
export interface KaplanMeierGroup {
  time: number;
  events: number;
  censored: number;
}

/**
 * Kaplan–Meier from life data grouped by time (the same estimate as {@link kaplanMeier} on the
 * expanded units): a batch of a million units is a few hundred distinct ages, so the curve costs
 * the number of ages, not the number of units. Groups may repeat a time; they are added up.
 */
export function kaplanMeierCounts(groups: readonly KaplanMeierGroup[], confidence?: number): KaplanMeierRow[] {
  const fn = 'kaplanMeierCounts';
  const conf = checkConfidence(fn, confidence);
  assertArray(fn, 'groups', groups);
  groups.forEach((g, i) => {
    assertNonNegative(fn, `groups[${i}].time`, g.time);
    assertCount(fn, `groups[${i}].events`, g.events);
    assertCount(fn, `groups[${i}].censored`, g.censored);
  });
  const sorted = [...groups].sort((a, b) => a.time - b.time);
  const z = normalQuantile(1 - (1 - conf) / 2);
  const rows: KaplanMeierRow[] = [];
  let atRisk = sorted.reduce((n, g) => n + g.events + g.censored, 0);
  let survival = 1;
  let greenwood = 0;
  let i = 0;
  while (i < sorted.length) {
    const t = sorted[i].time;
    let d = 0;
    let removed = 0;
    for (; i < sorted.length && sorted[i].time === t; i++) {
      d += sorted[i].events;
      removed += sorted[i].events + sorted[i].censored;
    }
    if (d > 0) {
      survival *= 1 - d / atRisk;
      let stdErr: number;
      let low: number;
      let high: number;
      if (d < atRisk) {
        greenwood += d / (atRisk * (atRisk - d));
        stdErr = survival * Math.sqrt(greenwood);
        const sigma = Math.sqrt(greenwood) / Math.abs(Math.log(survival));
        low = Math.pow(survival, Math.exp(z * sigma));
        high = Math.pow(survival, Math.exp(-z * sigma));
      } else {
        survival = 0;
        stdErr = 0;
        low = 0;
        high = 0;
      }
      rows.push({ time: t, atRisk, events: d, survival, stdErr, low, high });
    }
    atRisk -= removed;
  }
  return rows;
}
