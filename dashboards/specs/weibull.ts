import type { TopLevelSpec } from 'vega-lite';
import { checkRows, kmRow, weibullRow } from '../rows.js';
import { formats } from '../theme.js';
import { header } from './base.js';

export interface WeibullOptions {
  /** Age axis length in days (default: two years, the usual warranty). */
  horizonDays?: number;
  /** At most this many batches (those with the most failures), so the legend stays readable. */
  maxBatches?: number;
}

/** Points per fitted curve: enough for a smooth line at chart width. */
const curvePoints = 60;

/** The batch fits the chart draws: fitted (β, η > 0), the most failures first (then batch id), at most `max`. */
export function shownBatchFits(fitRows: readonly unknown[], max = 10): { batch_id: string; sku: string | null; beta: number; eta: number; failures: number }[] {
  return checkRows('weibull', weibullRow, fitRows)
    .filter((r) => r.level === 'batch' && (r.beta ?? 0) > 0 && (r.eta_days ?? 0) > 0)
    .map((r) => ({ batch_id: r.subject_id, sku: r.sku ?? null, beta: r.beta as number, eta: r.eta_days as number, failures: r.failures ?? 0 }))
    .sort((a, b) => b.failures - a.failures || a.batch_id.localeCompare(b.batch_id))
    .slice(0, max);
}

/**
 * Weibull and Kaplan–Meier (reports `weibull` and `km_curves`): per batch with a fit, the Weibull CDF
 * F(t) = 1 − exp(−(t/η)^β) as a smooth line and the Kaplan–Meier failed fraction 1 − S(t) as a dashed
 * step line in the same colour, against unit age in days.
 */
export function weibullSpec(fitRows: readonly unknown[], kmRows: readonly unknown[], options: WeibullOptions = {}): TopLevelSpec {
  const horizon = options.horizonDays ?? 730;
  const fits = shownBatchFits(fitRows, options.maxBatches);
  const shown = new Set(fits.map((f) => f.batch_id));
  // Curves are drawn from the fitted parameters: evaluating F on a grid is display, not inference.
  const curves = fits.flatMap((f) =>
    Array.from({ length: curvePoints + 1 }, (_, i) => {
      const age = (horizon * i) / curvePoints;
      return { batch_id: f.batch_id, beta: f.beta, eta: f.eta, age_days: age, failed_fraction: 1 - Math.exp(-Math.pow(age / f.eta, f.beta)) };
    }),
  );
  const steps = checkRows('km_curves', kmRow, kmRows)
    .filter((p) => shown.has(p.batch_id) && p.time_days <= horizon)
    .map((p) => ({ batch_id: p.batch_id, age_days: p.time_days, failed_fraction: 1 - p.survival }));
  const batchIds = fits.map((f) => f.batch_id);
  const x = { field: 'age_days', type: 'quantitative' as const, title: 'unit age (days)', scale: { domain: [0, horizon] } };
  const color = { field: 'batch_id', type: 'nominal', title: 'batch', scale: { domain: batchIds, scheme: 'category10' } } as const;
  return {
    ...header('Time to return: Weibull and Kaplan–Meier', ['Fitted Weibull CDF per batch (solid) and Kaplan–Meier failed fraction (dashed steps), by unit age.', `The ${fits.length} fitted batches with the most failures.`]),
    width: 640,
    height: 320,
    layer: [
      {
        data: { values: curves },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'failed_fraction', type: 'quantitative', title: 'fraction returned (cumulative)', axis: { format: formats.percent } },
          color,
          tooltip: [
            { field: 'batch_id', type: 'nominal', title: 'batch' },
            { field: 'beta', type: 'quantitative', title: 'β (shape)', format: formats.ratio },
            { field: 'eta', type: 'quantitative', title: 'η (scale, days)', format: ',.0f' },
            { field: 'age_days', type: 'quantitative', title: 'age (days)', format: ',.0f' },
            { field: 'failed_fraction', type: 'quantitative', title: 'F(t)', format: formats.percent },
          ],
        },
      },
      {
        data: { values: steps },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.2, strokeDash: [3, 2] },
        encoding: {
          x,
          y: { field: 'failed_fraction', type: 'quantitative' },
          color,
          tooltip: [
            { field: 'batch_id', type: 'nominal', title: 'batch' },
            { field: 'age_days', type: 'quantitative', title: 'age (days)', format: ',.0f' },
            { field: 'failed_fraction', type: 'quantitative', title: 'Kaplan–Meier 1 − S(t)', format: formats.percent },
          ],
        },
      },
    ],
  };
}
