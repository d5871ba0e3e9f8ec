/**
 * Nevada-chart (ship period × return period) warranty data to life data.
 */
import { assertArray, assertCount } from './validate.js';

/** Life data grouped by age, ready for `weibullFit`. */
export interface NevadaLifeData {
  failures: { age: number; count: number }[];
  suspensions: { age: number; count: number }[];
}

/**
 * Converts a Nevada chart into grouped failures and suspensions.
 *
 * `shipped[i]` units were shipped in period i (periods 0, 1, …); `returns[i][j]` of them came back
 * in period j (absolute period index, j ≥ i; missing or shorter rows mean zeros). Then
 *   - returns of ship period i seen in period j are failures at age j − i;
 *   - the shipped[i] − Σ_j returns[i][j] units never returned are suspensions at age T − i,
 * where T is the analysis period: `options.asOfPeriod`, by default the last period present in
 * the chart (max(shipped.length, longest returns row) − 1). Counts with the same age are summed;
 * both lists are sorted by age and omit zero counts. A same-period return has age 0, which
 * `weibullFit` rejects: shift such ages (e.g. to 0.5) or report returns from the next period on.
 *
 * Reference: ReliaSoft, Life Data Analysis Reference, "Warranty Data Analysis — Nevada Chart
 * Format" (returns in the month after shipment are failures at one month; units not returned are
 * suspensions at the end of the analysis period).
 *
 * @throws {RangeError} negative or non-integer counts, returns in a period before shipment or after
 *   T, more returns than shipped units.
 */
export function nevadaToLifeData(
  shipped: readonly number[],
  returns: readonly (readonly number[])[],
  options: { asOfPeriod?: number } = {},
): NevadaLifeData {
  const fn = 'nevadaToLifeData';
  assertArray(fn, 'shipped', shipped);
  assertArray(fn, 'returns', returns);
  if (returns.length > shipped.length) {
    throw new RangeError(`${fn}: returns has ${returns.length} rows but shipped has ${shipped.length} periods`);
  }
  let periods = shipped.length;
  returns.forEach((row, i) => {
    if (!Array.isArray(row)) throw new TypeError(`${fn}: returns[${i}] must be an array`);
    periods = Math.max(periods, row.length);
  });
  const T = options.asOfPeriod ?? periods - 1;
  assertCount(fn, 'asOfPeriod', T);
  const failures = new Map<number, number>();
  const suspensions = new Map<number, number>();
  const add = (m: Map<number, number>, age: number, c: number): void => {
    if (c > 0) m.set(age, (m.get(age) ?? 0) + c);
  };
  shipped.forEach((units, i) => {
    assertCount(fn, `shipped[${i}]`, units);
    const row = returns[i] ?? [];
    let returned = 0;
    row.forEach((c, j) => {
      assertCount(fn, `returns[${i}][${j}]`, c);
      if (c === 0) return;
      if (j < i) throw new RangeError(`${fn}: returns[${i}][${j}] = ${c} — returned in period ${j}, before shipment in period ${i}`);
      if (j > T) throw new RangeError(`${fn}: returns[${i}][${j}] = ${c} — returned after the analysis period ${T}`);
      returned += c;
      add(failures, j - i, c);
    });
    if (returned > units) throw new RangeError(`${fn}: ship period ${i} has ${returned} returns but only ${units} units shipped`);
    if (units > 0 && i > T) throw new RangeError(`${fn}: ship period ${i} is after the analysis period ${T}`);
    add(suspensions, T - i, units - returned);
  });
  const sorted = (m: Map<number, number>): { age: number; count: number }[] =>
    [...m.entries()].sort((a, b) => a[0] - b[0]).map(([age, count]) => ({ age, count }));
  return { failures: sorted(failures), suspensions: sorted(suspensions) };
}
