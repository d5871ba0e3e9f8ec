import { describe, expect, it } from 'vitest';
import { kaplanMeier, kaplanMeierColumns, kaplanMeierCounts, weibullFit, weibullFitColumns, WeibullFitError } from '../../models/stats/index.js';

// The column entry points the weibull model uses (life data grouped by age, read from SQL into typed
// arrays) must give the object-based functions' results to the last bit: the model's tables depend on it.
describe('weibullFitColumns', () => {
  const times = [10.5, 20.5, 30.5, 40.5, 55.5];
  const failures = [3, 1, 2, 0, 0];
  const suspensions = [1, 0, 0, 4, 7];
  const objects = {
    failures: times.map((t, i) => ({ time: t, count: failures[i] })).filter((g) => g.count > 0),
    suspensions: times.map((t, i) => ({ time: t, count: suspensions[i] })).filter((g) => g.count > 0),
  };

  it('equals weibullFit on the same groups, bit for bit, from plain or typed arrays', () => {
    const expected = weibullFit(objects);
    expect(weibullFitColumns(times, failures, suspensions)).toEqual(expected);
    expect(weibullFitColumns(Float64Array.from(times), Float64Array.from(failures), Float64Array.from(suspensions))).toEqual(expected);
    expect(weibullFitColumns(times, failures, suspensions, 0.8)).toEqual(weibullFit({ ...objects, confidence: 0.8 }));
  });

  it('agrees with weibullFit on expanded arrays (the grouped-input sample of weibull.test.ts)', () => {
    const f1 = weibullFit({ failures: [10, 10, 10, 20, 30, 30], suspensions: [40, 40, 40, 40, 15] });
    const f2 = weibullFitColumns([10, 15, 20, 30, 40], [3, 0, 1, 2, 0], [0, 1, 0, 0, 4]);
    expect(f2.beta).toBeCloseTo(f1.beta, 12);
    expect(f2.eta).toBeCloseTo(f1.eta, 10);
  });

  it('throws the same fit errors, naming weibullFit, and rejects bad columns', () => {
    const run = (): unknown => weibullFitColumns([10, 20], [0, 0], [3, 4]);
    expect(run).toThrow(WeibullFitError);
    expect(run).toThrow(/^weibullFit: no failures/);
    expect(() => weibullFitColumns([10], [1], [0])).toThrow(/unbounded/);
    expect(() => weibullFitColumns([0, 2], [1, 1], [0, 1])).toThrow(/time 0/);
    expect(weibullFitColumns([0, 2, 3], [0, 1, 1], [5, 0, 1])).toEqual(weibullFit({ failures: [2, 3], suspensions: [3] }));
    expect(() => weibullFitColumns([1, -2], [1, 1], [0, 0])).toThrow(/times\[1\]/);
    expect(() => weibullFitColumns([1, 2], [1, Number.NaN], [0, 0])).toThrow(/failures\[1\]/);
    expect(() => weibullFitColumns([1, 2], [1, 1], [0])).toThrow(RangeError);
    // @ts-expect-error wrong shape
    expect(() => weibullFitColumns('x', [1], [0])).toThrow(TypeError);
  });
});

describe('kaplanMeierColumns', () => {
  it('R survival aml Maintained group (13 split over two groups, unsorted)', () => {
    const c = kaplanMeierColumns([161, 9, 13, 13, 18, 23, 28, 31, 34, 45, 48], [0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1], [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]);
    expect([...c.time]).toEqual([9, 13, 18, 23, 31, 34, 48]);
    expect([...c.atRisk]).toEqual([11, 10, 8, 7, 5, 4, 2]);
    [0.909, 0.818, 0.716, 0.614, 0.491, 0.368, 0.184].forEach((s, i) => expect(c.survival[i]).toBeCloseTo(s, 3));
    [0.0867, 0.1163, 0.1397, 0.1526, 0.1642, 0.1627, 0.1535].forEach((se, i) => expect(c.stdErr[i]).toBeCloseTo(se, 4));
  });

  it('equals kaplanMeierCounts and kaplanMeier, sorted or not, typed arrays or not', () => {
    const groups = [
      { time: 30.5, events: 1, censored: 900 }, { time: 0.5, events: 3, censored: 40 }, { time: 10.5, events: 0, censored: 25 },
      { time: 12.5, events: 7, censored: 2 }, { time: 0.5, events: 1, censored: 0 }, { time: 44.5, events: 2, censored: 0 },
    ];
    const rows = kaplanMeierCounts(groups, 0.9);
    const asRows = (c: ReturnType<typeof kaplanMeierColumns>): unknown[] =>
      [...c.time].map((time, j) => ({ time, atRisk: c.atRisk[j], events: c.events[j], survival: c.survival[j], stdErr: c.stdErr[j], low: c.low[j], high: c.high[j] }));
    const cols = [groups.map((g) => g.time), groups.map((g) => g.events), groups.map((g) => g.censored)] as const;
    expect(asRows(kaplanMeierColumns(cols[0], cols[1], cols[2], 0.9))).toEqual(rows);
    const sorted = [...groups].sort((a, b) => a.time - b.time);
    expect(asRows(kaplanMeierColumns(
      Float64Array.from(sorted, (g) => g.time), Float64Array.from(sorted, (g) => g.events), Float64Array.from(sorted, (g) => g.censored), 0.9,
    ))).toEqual(rows);
    const times: number[] = [];
    const events: number[] = [];
    for (const g of groups) {
      for (let i = 0; i < g.events; i++) times.push(g.time), events.push(1);
      for (let i = 0; i < g.censored; i++) times.push(g.time), events.push(0);
    }
    expect(rows).toEqual(kaplanMeier(times, events, 0.9));
    // the last units fail: S reaches 0 with stdErr and bounds 0, not NaN
    const end = kaplanMeierColumns([1, 2], [1, 1], [0, 0]);
    expect([...end.survival]).toEqual([0.5, 0]);
    expect([end.stdErr[1], end.low[1], end.high[1]]).toEqual([0, 0, 0]);
    expect(kaplanMeierColumns([], [], []).time).toHaveLength(0);
  });

  it('rejects bad columns', () => {
    expect(() => kaplanMeierColumns([1], [1.5], [0])).toThrow(/events\[0\]/);
    expect(() => kaplanMeierColumns([-1], [1], [0])).toThrow(/times\[0\]/);
    expect(() => kaplanMeierColumns([1], [1], [-2])).toThrow(/censored\[0\]/);
    expect(() => kaplanMeierColumns([1, 2], [1], [0, 0])).toThrow(RangeError);
    expect(() => kaplanMeierColumns([1], [1], [0], 95)).toThrow(RangeError);
  });
});
