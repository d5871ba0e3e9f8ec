import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../models/stats/index.js';

describe('benjaminiHochberg', () => {
  // Y. Benjamini & Y. Hochberg (1995), J. R. Stat. Soc. B 57:289–300, §4 example (15 p-values from a
  // myocardial-infarction study): at q = 0.05 the step-up procedure rejects the four smallest.
  // scipy.stats.false_discovery_control documentation uses the same p-values and prints the adjusted
  // values [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714, 0.06385714, 0.0645, 0.0765,
  // 0.486, 0.58118182, 0.714875, 0.75323077, 0.81321429, 1.].
  const ps = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0];
  const printed = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714, 0.06385714, 0.0645, 0.0765, 0.486, 0.58118182, 0.714875, 0.75323077, 0.81321429, 1];

  it('scipy false_discovery_control docs / BH (1995) example', () => {
    const q = benjaminiHochberg(ps);
    q.forEach((v, i) => expect(v).toBeCloseTo(printed[i], 8));
    expect(q.filter((v) => v <= 0.05)).toHaveLength(4);
  });

  // R's p.adjust source defines BH as `pmin(1, cummin(n / i * p[o]))[ro]`; for
  // p = c(0.01, 0.04, 0.03, 0.005) that is c(0.02, 0.04, 0.04, 0.02) (worked by hand, not printed).
  it('R p.adjust(method = "BH") definition, input order preserved', () => {
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.005])).toEqual([0.02, 0.04, 0.04, 0.02]);
  });

  it('monotone in p, never below the raw p, capped at 1 (property)', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 20; trial++) {
      const p = Array.from({ length: 200 }, () => (rand() < 0.2 ? rand() * 0.001 : rand()));
      const q = benjaminiHochberg(p);
      const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
      for (let r = 0; r < order.length; r++) {
        expect(q[order[r]]).toBeGreaterThanOrEqual(p[order[r]]);
        expect(q[order[r]]).toBeLessThanOrEqual(1);
        if (r > 0) expect(q[order[r]]).toBeGreaterThanOrEqual(q[order[r - 1]]);
      }
    }
  });

  it('edge cases: empty, single, ties, zeros', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([0.3])).toEqual([0.3]);
    expect(benjaminiHochberg([0.02, 0.02, 0.02])).toEqual([0.02, 0.02, 0.02]);
    expect(benjaminiHochberg([0, 0.5])).toEqual([0, 0.5]);
  });

  it('rejects values outside [0, 1]', () => {
    expect(() => benjaminiHochberg([0.1, 1.2])).toThrow(RangeError);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(RangeError);
  });
});
