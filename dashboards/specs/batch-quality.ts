import type { TopLevelSpec } from 'vega-lite';
import { batchRow, checkRows } from '../rows.js';
import { colors, defaultThreshold, formats, statusColors } from '../theme.js';
import { header } from './base.js';

export interface BatchQualityOptions {
  /** Used when the rows carry no threshold of their own. */
  threshold?: number;
  /** Most batches drawn (default 300); beyond it the chart keeps those most at risk. */
  maxBatches?: number;
}

export const defaultMaxBatches = 300;

/** How urgent a status is: a capped chart keeps the worst statuses first, then the highest upper bounds. */
const statusRank: Record<string, number> = { confirmed_breach: 0, breach: 1, watch: 2, ok: 3, insufficient_exposure: 4 };

/**
 * The batches a chart of at most `max` can show: all when they fit, else those most at risk (status, then
 * the upper bound of the interval, then the projection), back in batch order. Thousands of batches make an
 * unreadable chart and a spec of megabytes per request; every batch stays one click away in /api/batches.
 */
function mostAtRisk<T extends { batch_id: string; status: string; ci_high: number | null; projected_rate: number | null }>(batches: T[], max: number): T[] {
  if (batches.length <= max) return batches;
  const risk = (b: T): number => Math.max(b.ci_high ?? 0, b.projected_rate ?? 0);
  return [...batches]
    .sort((a, b) => (statusRank[a.status] ?? 5) - (statusRank[b.status] ?? 5) || risk(b) - risk(a) || a.batch_id.localeCompare(b.batch_id))
    .slice(0, max)
    .sort((a, b) => a.batch_id.localeCompare(b.batch_id));
}

/**
 * Batch quality (CONTRACT §7.1): confirmed defect rate per batch with its Wilson interval as a bar,
 * coloured by status, the projected in-warranty rate as a hollow diamond (young batches), and the
 * threshold as a horizontal rule. A click on a batch point drills down to its RMAs (datum.batch_id).
 */
export function batchQualitySpec(rows: readonly unknown[], options: BatchQualityOptions = {}): TopLevelSpec {
  const all = checkRows('batches', batchRow, rows).map((b) => ({
    batch_id: b.batch_id,
    sku: b.sku ?? null,
    units_shipped: b.units_shipped ?? null,
    returns: b.returns ?? null,
    confirmed_defects: b.confirmed_defects ?? null,
    defect_rate: b.defect_rate ?? null,
    ci_low: b.ci_low ?? null,
    ci_high: b.ci_high ?? null,
    projected_rate: b.projected_rate ?? null,
    threshold: b.threshold ?? options.threshold ?? defaultThreshold,
    status: b.status ?? 'insufficient_exposure',
  }));
  const batches = mostAtRisk(all, options.maxBatches ?? defaultMaxBatches);
  const capped = batches.length < all.length
    ? [`Showing the ${batches.length.toLocaleString('en-US')} batches most at risk of ${all.length.toLocaleString('en-US')} (worst status, then highest upper bound); every batch: /api/batches.`]
    : [];
  // One rule per distinct threshold (SKUs may have their own), labelled with its value.
  const thresholds = [...new Set(batches.length ? batches.map((b) => b.threshold) : [options.threshold ?? defaultThreshold])]
    .sort((a, b) => a - b)
    .map((threshold) => ({ threshold, label: `threshold ${(threshold * 100).toFixed(2)}%` }));
  const statusScale = { domain: Object.keys(statusColors), range: Object.values(statusColors) };
  const x = { field: 'batch_id', type: 'nominal', title: 'batch', sort: 'ascending', axis: { labelAngle: -60 } } as const;
  const rateAxis = { format: formats.percent, title: 'confirmed defect rate' };
  const tooltip = [
    { field: 'batch_id', type: 'nominal', title: 'batch' },
    { field: 'sku', type: 'nominal', title: 'SKU' },
    { field: 'status', type: 'nominal', title: 'status' },
    { field: 'defect_rate', type: 'quantitative', title: 'defect rate', format: formats.percent },
    { field: 'ci_low', type: 'quantitative', title: '95% CI low', format: formats.percent },
    { field: 'ci_high', type: 'quantitative', title: '95% CI high', format: formats.percent },
    { field: 'projected_rate', type: 'quantitative', title: 'projected in-warranty rate', format: formats.percent },
    { field: 'confirmed_defects', type: 'quantitative', title: 'confirmed defects', format: formats.count },
    { field: 'returns', type: 'quantitative', title: 'returns', format: formats.count },
    { field: 'units_shipped', type: 'quantitative', title: 'units shipped', format: formats.count },
  ] as const;
  return {
    ...header('Batch quality', ['Confirmed defect rate per batch with its 95% Wilson interval; ◇ projected in-warranty rate; red line: threshold.', 'Click a batch to see its RMAs.', ...capped]),
    width: { step: 22 },
    height: 320,
    // Threshold first: drawn beneath the batches, so its label never takes a click meant for a batch.
    layer: [
      {
        data: { values: thresholds },
        layer: [
          {
            mark: { type: 'rule', color: colors.threshold, strokeWidth: 1.5, strokeDash: [6, 3] },
            encoding: { y: { field: 'threshold', type: 'quantitative' } },
          },
          {
            mark: { type: 'text', align: 'left', dx: 4, dy: -7, x: 0, color: colors.threshold, fontSize: 11 },
            encoding: { y: { field: 'threshold', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
          },
        ],
      },
      {
        data: { values: batches },
        layer: [
          {
            mark: { type: 'rule', strokeWidth: 3, opacity: 0.55 },
            encoding: {
              x,
              y: { field: 'ci_low', type: 'quantitative', axis: rateAxis },
              y2: { field: 'ci_high' },
              color: { field: 'status', type: 'nominal', scale: statusScale, title: 'status' },
            },
          },
          {
            mark: { type: 'point', filled: true, size: 70, cursor: 'pointer' },
            encoding: {
              x,
              y: { field: 'defect_rate', type: 'quantitative' },
              color: { field: 'status', type: 'nominal', scale: statusScale, title: 'status' },
              tooltip: [...tooltip],
            },
          },
          {
            transform: [{ filter: { field: 'projected_rate', valid: true } }],
            mark: { type: 'point', shape: 'diamond', filled: false, size: 80, strokeWidth: 1.5, color: colors.projected, cursor: 'pointer' },
            encoding: {
              x,
              y: { field: 'projected_rate', type: 'quantitative' },
              tooltip: [...tooltip],
            },
          },
        ],
      },
    ],
  };
}
