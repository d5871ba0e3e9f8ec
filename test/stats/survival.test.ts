import { describe, expect, it } from 'vitest';
import { kaplanMeier, kaplanMeierCounts, nevadaToLifeData, weibullFit } from '../../models/stats/index.js';

describe('kaplanMeier', () => {
  // R survival package, dataset `aml` (Miller 1981), "Maintained" group:
  // times 9, 13, 13+, 18, 23, 28+, 31, 34, 45+, 48, 161+. summary(survfit(Surv(time, status) ~ x,
  // data = aml)) prints for x = Maintained:
  //   time n.risk n.event survival std.err
  //      9     11       1    0.909  0.0867
  //     13     10       1    0.818  0.1163
  //     18      8       1    0.716  0.1397
  //     23      7       1    0.614  0.1526
  //     31      5       1    0.491  0.1642
  //     34      4       1    0.368  0.1627
  //     48      2       1    0.184  0.1535
  it('R survival aml, Maintained group (a censoring tied with an event at 13)', () => {
    const rows = kaplanMeier([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161], [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0]);
    const printed = [
      [9, 11, 1, 0.909, 0.0867],
      [13, 10, 1, 0.818, 0.1163],
      [18, 8, 1, 0.716, 0.1397],
      [23, 7, 1, 0.614, 0.1526],
      [31, 5, 1, 0.491, 0.1642],
      [34, 4, 1, 0.368, 0.1627],
      [48, 2, 1, 0.184, 0.1535],
    ];
    expect(rows).toHaveLength(printed.length);
    printed.forEach(([time, atRisk, events, survival, se], i) => {
      expect(rows[i].time).toBe(time);
      expect(rows[i].atRisk).toBe(atRisk);
      expect(rows[i].events).toBe(events);
      expect(rows[i].survival).toBeCloseTo(survival, 3);
      expect(rows[i].stdErr).toBeCloseTo(se, 4);
    });
  });

  // Freireich et al. (1963) 6-MP remission data (Gehan 1965), as tabulated in J. P. Klein &
  // M. L. Moeschberger (2003), Survival Analysis, 2nd ed., Table 4.1B: 6-MP group
  //   t:    6      7      10     13     16     22     23
  //   Ŝ:  0.857  0.807  0.753  0.690  0.627  0.538  0.448
  //   SE: 0.0764 0.0869 0.0963 0.1068 0.1141 0.1282 0.1346
  // Three deaths and one censoring are tied at t = 6: the censored unit is in the risk set (21).
  it('Klein & Moeschberger Table 4.1B, 6-MP group (ties at t = 6)', () => {
    const times = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35];
    const events = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0];
    const rows = kaplanMeier(times, events);
    const surv = [0.857, 0.807, 0.753, 0.69, 0.627, 0.538, 0.448];
    const se = [0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346];
    expect(rows.map((r) => r.time)).toEqual([6, 7, 10, 13, 16, 22, 23]);
    expect(rows.map((r) => r.atRisk)).toEqual([21, 17, 15, 12, 11, 7, 6]);
    rows.forEach((r, i) => {
      expect(r.survival).toBeCloseTo(surv[i], 3);
      expect(r.stdErr).toBeCloseTo(se[i], 4);
    });
  });

  // lifelines 0.28 KaplanMeierFitter (confidence_interval_ uses "Greenwood's Exponential formula
  // ('log-log' in R)") on the Intuitive Biostatistics (Motulsky) pp. 47–48 data — durations
  // 4.07, 6.54, 1.39, 6.17, 5.89, 4.76, 3.67 years, events 1, 0, 1, 0, 1, 1, 0 — as printed in
  // S. Wiecko, "Intuitive Biostatistics" notebook 05 "Confidence Interval of Survival Data"
  // (github.com/sbwiecko/intuitive_biostatistics):
  //   time  KM_estimate  lower_0.95  upper_0.95
  //   1.39  0.857143     0.334054    0.978561
  //   4.07  0.685714     0.212797    0.912112
  //   4.76  0.514286     0.117760    0.813249
  //   5.89  0.342857     0.048108    0.685484
  // (lifelines also prints rows at the censoring times 3.67, 6.17, 6.54 with unchanged values; we
  // emit one row per event time.)
  it('lifelines KaplanMeierFitter log-log bounds (Intuitive Biostatistics data)', () => {
    const rows = kaplanMeier([4.07, 6.54, 1.39, 6.17, 5.89, 4.76, 3.67], [1, 0, 1, 0, 1, 1, 0]);
    const printed = [
      [1.39, 0.857143, 0.334054, 0.978561],
      [4.07, 0.685714, 0.212797, 0.912112],
      [4.76, 0.514286, 0.11776, 0.813249],
      [5.89, 0.342857, 0.048108, 0.685484],
    ];
    expect(rows.map((r) => r.time)).toEqual(printed.map((p) => p[0]));
    printed.forEach(([, survival, low, high], i) => {
      expect(rows[i].survival).toBeCloseTo(survival, 6);
      expect(rows[i].low).toBeCloseTo(low, 6);
      expect(rows[i].high).toBeCloseTo(high, 6);
    });
  });

  it('log-log bounds: Ŝ^exp(±zσ), σ = √Σd/(n(n−d)) / |ln Ŝ|, inside [0, 1] and around Ŝ', () => {
    const rows = kaplanMeier([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161], [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0]);
    // first row by hand: S = 10/11, Σ = 1/(11·10)
    const s = 10 / 11;
    const sigma = Math.sqrt(1 / 110) / Math.abs(Math.log(s));
    expect(rows[0].low).toBeCloseTo(Math.pow(s, Math.exp(1.959963984540054 * sigma)), 12);
    expect(rows[0].high).toBeCloseTo(Math.pow(s, Math.exp(-1.959963984540054 * sigma)), 12);
    for (const r of rows) {
      expect(r.low).toBeGreaterThanOrEqual(0);
      expect(r.low).toBeLessThanOrEqual(r.survival);
      expect(r.high).toBeGreaterThanOrEqual(r.survival);
      expect(r.high).toBeLessThanOrEqual(1);
    }
    const wide = kaplanMeier([1, 2, 3, 4], [1, 1, 0, 1], 0.99)[0];
    const narrow = kaplanMeier([1, 2, 3, 4], [1, 1, 0, 1], 0.8)[0];
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low);
  });

  // The same R `aml` Maintained group as above, given as counts per time (the form the weibull model
  // passes: a batch is a few hundred ages, not a million units). The 13 is split over two groups.
  it('kaplanMeierCounts: R survival aml Maintained group from counts per time', () => {
    const rows = kaplanMeierCounts([
      { time: 161, events: 0, censored: 1 }, { time: 9, events: 1, censored: 0 }, { time: 13, events: 1, censored: 0 },
      { time: 13, events: 0, censored: 1 }, { time: 18, events: 1, censored: 0 }, { time: 23, events: 1, censored: 0 },
      { time: 28, events: 0, censored: 1 }, { time: 31, events: 1, censored: 0 }, { time: 34, events: 1, censored: 0 },
      { time: 45, events: 0, censored: 1 }, { time: 48, events: 1, censored: 0 },
    ]);
    expect(rows.map((r) => [r.time, r.atRisk, r.events])).toEqual([[9, 11, 1], [13, 10, 1], [18, 8, 1], [23, 7, 1], [31, 5, 1], [34, 4, 1], [48, 2, 1]]);
    [0.909, 0.818, 0.716, 0.614, 0.491, 0.368, 0.184].forEach((s, i) => expect(rows[i].survival).toBeCloseTo(s, 3));
    [0.0867, 0.1163, 0.1397, 0.1526, 0.1642, 0.1627, 0.1535].forEach((se, i) => expect(rows[i].stdErr).toBeCloseTo(se, 4));
  });

  it('kaplanMeierCounts equals kaplanMeier on the expanded units, and rejects bad counts', () => {
    const groups = [
      { time: 0.5, events: 3, censored: 40 }, { time: 10.5, events: 0, censored: 25 },
      { time: 12.5, events: 7, censored: 2 }, { time: 30.5, events: 1, censored: 900 },
    ];
    const times: number[] = [];
    const events: number[] = [];
    for (const g of groups) {
      for (let i = 0; i < g.events; i++) times.push(g.time), events.push(1);
      for (let i = 0; i < g.censored; i++) times.push(g.time), events.push(0);
    }
    expect(kaplanMeierCounts(groups, 0.9)).toEqual(kaplanMeier(times, events, 0.9));
    expect(() => kaplanMeierCounts([{ time: 1, events: 1.5, censored: 0 }])).toThrow(/groups\[0\]\.events/);
    expect(() => kaplanMeierCounts([{ time: -1, events: 1, censored: 0 }])).toThrow(/groups\[0\]\.time/);
  });

  it('edge cases: all censored, no data, last unit fails (S = 0 without NaN), one event', () => {
    expect(kaplanMeier([5, 6, 7], [0, 0, 0])).toEqual([]);
    expect(kaplanMeier([], [])).toEqual([]);
    const rows = kaplanMeier([1, 2, 3], [true, false, true]);
    expect(rows[1]).toEqual({ time: 3, atRisk: 1, events: 1, survival: 0, stdErr: 0, low: 0, high: 0 });
    const one = kaplanMeier([4], [1]);
    expect(one[0].survival).toBe(0);
    for (const r of [...rows, ...one]) for (const v of Object.values(r)) expect(Number.isNaN(v)).toBe(false);
  });

  it('large data: 10^5 units in well under a second, survival non-increasing', () => {
    const n = 100000;
    const times = Array.from({ length: n }, (_, i) => 1 + (i % 730));
    const events = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : 0));
    const rows = kaplanMeier(times, events);
    for (let i = 1; i < rows.length; i++) expect(rows[i].survival).toBeLessThanOrEqual(rows[i - 1].survival);
  });

  it('rejects invalid input', () => {
    expect(() => kaplanMeier([1, 2], [1])).toThrow(/same length/);
    expect(() => kaplanMeier([-1], [1])).toThrow(RangeError);
    expect(() => kaplanMeier([1], [2])).toThrow(TypeError);
  });
});

describe('nevadaToLifeData', () => {
  // ReliaSoft, Life Data Analysis Reference / ReliaWiki "Warranty Data Analysis", Nevada format,
  // Example 2: shipped Jun 2010: 100 (returns Jul 3, Aug 3, Sep 5), Jul 2010: 140 (returns Aug 2,
  // Sep 4); returns observed through Sep 2010. Periods Jun = 0 … Sep = 3, so a July return of a June
  // unit is a failure at 1 month and the unreturned June units are suspensions at 3 months. (Our copy
  // of the table is cut after the July row, so the August shipment is left out.)
  it('ReliaWiki Nevada example (June and July shipments)', () => {
    const r = nevadaToLifeData([100, 140], [[0, 3, 3, 5], [0, 0, 2, 4]]);
    expect(r.failures).toEqual([
      { age: 1, count: 3 + 2 },
      { age: 2, count: 3 + 4 },
      { age: 3, count: 5 },
    ]);
    expect(r.suspensions).toEqual([
      { age: 2, count: 140 - 6 },
      { age: 3, count: 100 - 11 },
    ]);
  });

  // ReliaSoft Weibull++ help, "Nevada Chart Format": "if 500 units are shipped in May, and 10 of
  // those units are warranty returns in June, that is equivalent to 10 failures at a time of one
  // month. The other 490 units will go on to operate ..." — analysed at the end of June: 490
  // suspensions at one month.
  it('ReliaSoft 500-shipped / 10-returned example', () => {
    expect(nevadaToLifeData([500], [[0, 10]])).toEqual({
      failures: [{ age: 1, count: 10 }],
      suspensions: [{ age: 1, count: 490 }],
    });
  });

  it('feeds weibullFit directly; asOfPeriod moves the suspension ages', () => {
    const shipped = [1000, 1200, 900, 1100];
    const returns = [[0, 4, 6, 5, 7], [0, 0, 5, 8, 6], [0, 0, 0, 3, 6], [0, 0, 0, 0, 4]];
    const life = nevadaToLifeData(shipped, returns);
    const f = weibullFit(life);
    expect(f.failureCount).toBe(54);
    expect(f.suspensionCount).toBe(4200 - 54);
    const later = nevadaToLifeData([10], [[0, 1]], { asOfPeriod: 5 });
    expect(later.suspensions).toEqual([{ age: 5, count: 9 }]);
  });

  it('zero returns give only suspensions; rejects impossible charts', () => {
    expect(nevadaToLifeData([5, 5], [])).toEqual({ failures: [], suspensions: [{ age: 0, count: 5 }, { age: 1, count: 5 }] });
    expect(() => nevadaToLifeData([5], [[0, 6]])).toThrow(/only 5 units shipped/);
    expect(() => nevadaToLifeData([5, 5], [[0, 1], [1, 0]])).toThrow(/before shipment/);
    expect(() => nevadaToLifeData([5], [[0, -1]])).toThrow(RangeError);
    expect(() => nevadaToLifeData([5], [[0, 1, 1]], { asOfPeriod: 1 })).toThrow(/after the analysis period/);
  });
});
