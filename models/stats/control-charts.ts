/**
 * Attribute control charts (p and Laney p′) and the tabular CUSUM.
 */
import { assertArray, assertCount, assertFiniteNumber, assertNonNegative, assertPositive, assertSameLength } from './validate.js';

/** One subgroup of a p chart. */
export interface PChartPoint {
  /** defects / size */
  p: number;
  /** centre line p̄ (or the given standard) */
  center: number;
  lcl: number;
  ucl: number;
  /** p outside [lcl, ucl] */
  outOfControl: boolean;
}

/** One subgroup of a Laney p′ chart. */
export interface LaneyPChartPoint extends PChartPoint {
  /** σ_Z = MR̄ / 1.128, the same for every subgroup. */
  sigmaZ: number;
}

function checkAttributeData(fn: string, defects: readonly number[], sizes: readonly number[]): void {
  assertArray(fn, 'defects', defects);
  assertArray(fn, 'sizes', sizes);
  assertSameLength(fn, ['defects', 'sizes'], defects, sizes);
  if (defects.length === 0) throw new RangeError(`${fn}: at least one subgroup is required`);
  for (let i = 0; i < defects.length; i++) {
    assertCount(fn, `defects[${i}]`, defects[i]);
    assertCount(fn, `sizes[${i}]`, sizes[i]);
    if (sizes[i] === 0) throw new RangeError(`${fn}: sizes[${i}] must be >= 1`);
    if (defects[i] > sizes[i]) throw new RangeError(`${fn}: defects[${i}] (${defects[i]}) exceeds sizes[${i}] (${sizes[i]})`);
  }
}

function centreLine(fn: string, defects: readonly number[], sizes: readonly number[], standard?: number): number {
  if (standard !== undefined) {
    assertFiniteNumber(fn, 'standard', standard);
    if (!(standard >= 0 && standard <= 1)) throw new RangeError(`${fn}: standard must be a proportion in [0, 1], got ${standard}`);
    return standard;
  }
  let d = 0;
  let n = 0;
  for (let i = 0; i < defects.length; i++) {
    d += defects[i];
    n += sizes[i];
  }
  return d / n;
}

/**
 * p chart (fraction nonconforming) with 3-sigma limits per subgroup size:
 *   p̄ = Σd / Σn (or the given standard p₀),  limits p̄ ± 3·√(p̄(1 − p̄)/nᵢ),
 * LCL floored at 0 and UCL capped at 1. A point is out of control when pᵢ < LCL or pᵢ > UCL.
 *
 * Reference: D. C. Montgomery, Introduction to Statistical Quality Control, 6th ed. (2009), §7.2
 * (eq. 7.8; Example 7.1); NIST/SEMATECH e-Handbook §6.3.3.2 "Proportions control charts".
 *
 * @param defects nonconforming units per subgroup
 * @param sizes subgroup sizes (≥ 1)
 * @param standard optional known/target proportion p₀ to use as the centre line
 */
export function pChart(defects: readonly number[], sizes: readonly number[], standard?: number): PChartPoint[] {
  const fn = 'pChart';
  checkAttributeData(fn, defects, sizes);
  const center = centreLine(fn, defects, sizes, standard);
  const sd = Math.sqrt(center * (1 - center));
  return defects.map((d, i) => {
    const p = d / sizes[i];
    const half = (3 * sd) / Math.sqrt(sizes[i]);
    const lcl = Math.max(0, center - half);
    const ucl = Math.min(1, center + half);
    return { p, center, lcl, ucl, outOfControl: p < lcl || p > ucl };
  });
}

/**
 * Laney p′ chart: a p chart whose limits are widened (or narrowed) by the between-subgroup
 * variation σ_Z, for large subgroups where the binomial limits are too tight (overdispersion).
 *   zᵢ = (pᵢ − p̄) / σ_pᵢ,  σ_pᵢ = √(p̄(1 − p̄)/nᵢ),
 *   MRᵢ = |zᵢ − zᵢ₋₁|,  σ_Z = MR̄ / 1.128  (d₂ for n = 2),
 *   limits p̄ ± 3·σ_pᵢ·σ_Z, LCL floored at 0, UCL capped at 1.
 * σ_Z = 1 gives the ordinary p chart. Needs at least two subgroups.
 *
 * Reference: D. B. Laney (2002), "Improved control charts for attributes", Quality Engineering
 * 14(4):531–537; Minitab "Laney P′ chart" methods.
 *
 * @param defects nonconforming units per subgroup
 * @param sizes subgroup sizes (≥ 1)
 */
export function laneyPChart(defects: readonly number[], sizes: readonly number[]): LaneyPChartPoint[] {
  const fn = 'laneyPChart';
  checkAttributeData(fn, defects, sizes);
  if (defects.length < 2) throw new RangeError(`${fn}: at least two subgroups are needed for moving ranges`);
  const center = centreLine(fn, defects, sizes);
  const sd = Math.sqrt(center * (1 - center));
  const z = defects.map((d, i) => (sd === 0 ? 0 : (d / sizes[i] - center) / (sd / Math.sqrt(sizes[i]))));
  let mrSum = 0;
  for (let i = 1; i < z.length; i++) mrSum += Math.abs(z[i] - z[i - 1]);
  const sigmaZ = mrSum / (z.length - 1) / 1.128;
  return defects.map((d, i) => {
    const p = d / sizes[i];
    const half = ((3 * sd) / Math.sqrt(sizes[i])) * sigmaZ;
    const lcl = Math.max(0, center - half);
    const ucl = Math.min(1, center + half);
    return { p, center, lcl, ucl, outOfControl: p < lcl || p > ucl, sigmaZ };
  });
}

/** Parameters of {@link cusum}. */
export interface CusumOptions {
  /** Target mean μ₀. */
  target: number;
  /** Reference value (allowance) k, in units of `sigma` (K = k·σ). */
  k: number;
  /** Decision interval h, in units of `sigma` (H = h·σ). */
  h: number;
  /** Process standard deviation σ; default 1, i.e. k and h in the data's own units. */
  sigma?: number;
}

/** Result of {@link cusum}. */
export interface CusumResult {
  /** C⁺ᵢ */
  upper: number[];
  /** C⁻ᵢ */
  lower: number[];
  /** Every index where C⁺ > H or C⁻ > H, in order (one entry per side). */
  signals: { index: number; side: 'upper' | 'lower' }[];
}

/**
 * Tabular (two-sided) CUSUM for the mean, with no reset after a signal:
 *   C⁺ᵢ = max(0, xᵢ − (μ₀ + K) + C⁺ᵢ₋₁),  C⁻ᵢ = max(0, (μ₀ − K) − xᵢ + C⁻ᵢ₋₁),  C⁺₀ = C⁻₀ = 0,
 * with K = k·σ and H = h·σ; a signal is raised at every i with C⁺ᵢ > H or C⁻ᵢ > H.
 *
 * Reference: D. C. Montgomery, Introduction to Statistical Quality Control, 6th ed. (2009), §9.1.2
 * (eqs. 9.2–9.3, Example 9.1); NIST/SEMATECH e-Handbook §6.3.2.3 "CUSUM control charts".
 *
 * @param values observations (or subgroup means) in time order
 * @param options { target, k, h, sigma? }
 */
export function cusum(values: readonly number[], options: CusumOptions): CusumResult {
  const fn = 'cusum';
  assertArray(fn, 'values', values);
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be { target, k, h }`);
  assertFiniteNumber(fn, 'target', options.target);
  assertNonNegative(fn, 'k', options.k);
  assertPositive(fn, 'h', options.h);
  const sigma = options.sigma ?? 1;
  assertPositive(fn, 'sigma', sigma);
  const K = options.k * sigma;
  const H = options.h * sigma;
  const upper: number[] = [];
  const lower: number[] = [];
  const signals: CusumResult['signals'] = [];
  let cp = 0;
  let cm = 0;
  values.forEach((x, i) => {
    assertFiniteNumber(fn, `values[${i}]`, x);
    cp = Math.max(0, x - (options.target + K) + cp);
    cm = Math.max(0, options.target - K - x + cm);
    upper.push(cp);
    lower.push(cm);
    if (cp > H) signals.push({ index: i, side: 'upper' });
    if (cm > H) signals.push({ index: i, side: 'lower' });
  });
  return { upper, lower, signals };
}
