/**
 * False-discovery-rate adjustment of many p-values.
 */
import { assertArray } from './validate.js';

/**
 * Benjamini–Hochberg step-up adjusted p-values ("q-values"), returned in input order:
 *   with p₍₁₎ ≤ … ≤ p₍ₘ₎,  q₍ᵢ₎ = min_{j ≥ i} min(1, m·p₍ⱼ₎ / j).
 * Each q is ≥ its raw p, ≤ 1, and q is monotone in p. Reject H₀ᵢ at FDR level α when qᵢ ≤ α.
 * Matches R's `p.adjust(p, method = "BH")` and scipy's `false_discovery_control(p)`.
 *
 * Reference: Y. Benjamini & Y. Hochberg (1995), J. R. Stat. Soc. B 57:289–300.
 *
 * @param pValues raw p-values in [0, 1] (an empty array gives an empty array)
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const fn = 'benjaminiHochberg';
  assertArray(fn, 'pValues', pValues);
  const m = pValues.length;
  pValues.forEach((p, i) => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new RangeError(`${fn}: pValues[${i}] must be a probability in [0, 1], got ${String(p)}`);
    }
  });
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => pValues[y] - pValues[x]);
  const q = new Array<number>(m);
  let running = 1;
  for (let r = 0; r < m; r++) {
    const idx = order[r];
    const rank = m - r; // 1-based rank in ascending order
    running = Math.min(running, (m * pValues[idx]) / rank);
    // m/rank ≥ 1, so q ≥ p exactly; the max only undoes rounding in m·p/rank.
    q[idx] = Math.min(1, Math.max(pValues[idx], running));
  }
  return q;
}
