/**
 * Kaplan–Meier product-limit estimate of the survival function.
 */
import { normalQuantile } from './special-functions.js';
import { assertArray, assertCount, assertNonNegative, assertParallelColumns, assertSameLength, checkConfidence } from './validate.js';

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
  const c = kaplanMeierSteps(
    groups.map((g) => g.time),
    groups.map((g) => g.events),
    groups.map((g) => g.censored),
    conf,
  );
  const rows: KaplanMeierRow[] = [];
  for (let j = 0; j < c.time.length; j++) {
    rows.push({ time: c.time[j], atRisk: c.atRisk[j], events: c.events[j], survival: c.survival[j], stdErr: c.stdErr[j], low: c.low[j], high: c.high[j] });
  }
  return rows;
}

/** {@link kaplanMeierColumns}' result: one entry per distinct event time, as in {@link KaplanMeierRow}. */
export interface KaplanMeierColumns {
  time: Float64Array;
  atRisk: Float64Array;
  events: Float64Array;
  survival: Float64Array;
  stdErr: Float64Array;
  low: Float64Array;
  high: Float64Array;
}

/**
 * {@link kaplanMeierCounts} on life data grouped by time as parallel columns (plain or typed arrays):
 * at `times[i]`, `events[i]` failures and `censored[i]` censorings. Returns the steps as columns, so
 * the curves of 25,000 batches (millions of steps) allocate no object per group or per step. Times
 * may repeat and need not be sorted (sorted input is not copied).
 */
export function kaplanMeierColumns(
  times: ArrayLike<number>,
  events: ArrayLike<number>,
  censored: ArrayLike<number>,
  confidence?: number,
): KaplanMeierColumns {
  const fn = 'kaplanMeierColumns';
  const conf = checkConfidence(fn, confidence);
  assertParallelColumns(fn, ['times', 'events', 'censored'], [times, events, censored]);
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    const d = events[i];
    const c = censored[i];
    // one test per group; the message is only built for a bad group
    if (!(t >= 0 && t < Infinity && d >= 0 && c >= 0 && Number.isSafeInteger(d) && Number.isSafeInteger(c))) {
      assertNonNegative(fn, `times[${i}]`, t);
      assertCount(fn, `events[${i}]`, d);
      assertCount(fn, `censored[${i}]`, c);
    }
  }
  return kaplanMeierSteps(times, events, censored, conf);
}

/** The product-limit steps of checked columns (see kaplanMeier for the formulas and conventions). */
function kaplanMeierSteps(times: ArrayLike<number>, events: ArrayLike<number>, censored: ArrayLike<number>, conf: number): KaplanMeierColumns {
  const n = times.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = times[i - 1] <= times[i];
  if (!sorted) {
    // by time, stably (as Array.prototype.sort); sorted input, the usual case, is not copied
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a] - times[b]);
    return kaplanMeierSteps(
      order.map((i) => times[i]),
      order.map((i) => events[i]),
      order.map((i) => censored[i]),
      conf,
    );
  }
  // one step per distinct time with events: counted first, so the columns are allocated once
  let steps = 0;
  let atRisk = 0;
  for (let i = 0; i < n; i++) atRisk += events[i] + censored[i];
  for (let i = 0; i < n; ) {
    const t = times[i];
    let d = 0;
    for (; i < n && times[i] === t; i++) d += events[i];
    if (d > 0) steps++;
  }
  const out: KaplanMeierColumns = {
    time: new Float64Array(steps),
    atRisk: new Float64Array(steps),
    events: new Float64Array(steps),
    survival: new Float64Array(steps),
    stdErr: new Float64Array(steps),
    low: new Float64Array(steps),
    high: new Float64Array(steps),
  };
  const z = normalQuantile(1 - (1 - conf) / 2);
  let survival = 1;
  let greenwood = 0;
  let j = 0;
  for (let i = 0; i < n; ) {
    const t = times[i];
    let d = 0;
    let removed = 0;
    for (; i < n && times[i] === t; i++) {
      d += events[i];
      removed += events[i] + censored[i];
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
      out.time[j] = t;
      out.atRisk[j] = atRisk;
      out.events[j] = d;
      out.survival[j] = survival;
      out.stdErr[j] = stdErr;
      out.low[j] = low;
      out.high[j] = high;
      j++;
    }
    atRisk -= removed;
  }
  return out;
}
