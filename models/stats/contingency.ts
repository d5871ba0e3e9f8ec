/**
 * Pearson's chi-square test of independence for an r×c table.
 */
import { chiSquareSurvival } from './special-functions.js';
import { assertNonNegative } from './validate.js';

/** Result of {@link chiSquareIndependence}. */
export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
  /** Expected counts under independence, same shape as the table (0 for empty rows/columns). */
  expected: number[][];
}

/**
 * Pearson chi-square test of independence, without continuity correction:
 *   E_ij = R_i·C_j / N,  X² = Σ (O_ij − E_ij)² / E_ij,  df = (r − 1)(c − 1),
 *   p = P(χ²_df ≥ X²)  (regularized upper incomplete gamma).
 * Rows or columns whose total is 0 carry no information and are left out (their expected counts
 * are 0 and they do not count towards df), so empty categories never produce NaN. With fewer than
 * two non-empty rows or columns the statistic is 0, df 0 and p 1.
 * Matches R's `chisq.test(table, correct = FALSE)` and scipy's `chi2_contingency(table,
 * correction=False)`.
 *
 * Reference: K. Pearson (1900); A. Agresti (2002), Categorical Data Analysis, §3.2.
 *
 * @param table rows of non-negative counts (at least 2×2, rectangular)
 */
export function chiSquareIndependence(input: readonly (readonly number[])[]): ChiSquareResult {
  const fn = 'chiSquareIndependence';
  const table: readonly (readonly number[])[] = input;
  if (!Array.isArray(input) || table.length < 2) throw new TypeError(`${fn}: table must have at least 2 rows`);
  const cols = Array.isArray(table[0]) ? table[0].length : 0;
  if (cols < 2) throw new TypeError(`${fn}: table must have at least 2 columns`);
  table.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new RangeError(`${fn}: every row must have ${cols} columns (row ${i} has ${Array.isArray(row) ? row.length : 'none'})`);
    }
    row.forEach((v, j) => assertNonNegative(fn, `table[${i}][${j}]`, v));
  });
  const rowSums = table.map((row) => row.reduce((s, v) => s + v, 0));
  const colSums = Array.from({ length: cols }, (_, j) => table.reduce((s, row) => s + row[j], 0));
  const total = rowSums.reduce((s, v) => s + v, 0);
  const expected = table.map((row, i) => row.map((_, j) => (total === 0 ? 0 : (rowSums[i] * colSums[j]) / total)));
  const liveRows = rowSums.filter((v) => v > 0).length;
  const liveCols = colSums.filter((v) => v > 0).length;
  if (liveRows < 2 || liveCols < 2) return { statistic: 0, df: 0, pValue: 1, expected };
  let statistic = 0;
  for (let i = 0; i < table.length; i++) {
    for (let j = 0; j < cols; j++) {
      const e = expected[i][j];
      if (e > 0) statistic += ((table[i][j] - e) * (table[i][j] - e)) / e;
    }
  }
  const df = (liveRows - 1) * (liveCols - 1);
  return { statistic, df, pValue: chiSquareSurvival(statistic, df), expected };
}
