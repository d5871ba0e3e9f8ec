import type { TopLevelSpec } from 'vega-lite';
import { checkRows, paretoRow } from '../rows.js';
import { colors, formats } from '../theme.js';
import { header } from './base.js';

export interface ParetoOptions {
  /** One SKU; default the all-SKU rows (sku '*') when the report has them. */
  sku?: string;
}

/**
 * Failure Pareto (report `pareto`): returns per failure code as stated on the claim and as verified at
 * inspection, codes sorted by verified count, with the cumulative share of verified returns as a line
 * on a second axis. The gap between the bars is what triage reclassified.
 */
export function paretoSpec(rows: readonly unknown[], options: ParetoOptions = {}): TopLevelSpec {
  const checked = checkRows('pareto', paretoRow, rows);
  const sku = options.sku ?? (checked.some((r) => r.sku === '*') ? '*' : undefined);
  const codes = checked
    .filter((r) => sku === undefined || r.sku === sku)
    .map((r) => ({ failure_code: r.failure_code, category: r.category ?? null, stated: r.stated, verified: r.verified }))
    .sort((a, b) => b.verified - a.verified || b.stated - a.stated || a.failure_code.localeCompare(b.failure_code));
  const totalVerified = codes.reduce((sum, c) => sum + c.verified, 0);
  // Running share over the codes as drawn: display arithmetic on a few dozen aggregated rows.
  let running = 0;
  const cumulative = codes.map((c) => {
    running += c.verified;
    return { failure_code: c.failure_code, cumulative_share: totalVerified > 0 ? running / totalVerified : 0 };
  });
  const bars = codes.flatMap((c) => [
    { failure_code: c.failure_code, category: c.category, kind: 'stated', count: c.stated },
    { failure_code: c.failure_code, category: c.category, kind: 'verified', count: c.verified },
  ]);
  const order = codes.map((c) => c.failure_code);
  const x = { field: 'failure_code', type: 'nominal', title: 'failure code', sort: order, axis: { labelAngle: -40 } } as const;
  const scope = sku === undefined || sku === '*' ? 'all SKUs' : `SKU ${sku}`;
  return {
    ...header('Failure Pareto', [`Returns per failure code (${scope}): stated on the claim vs verified at inspection (no-trouble-found excluded).`, 'Line: cumulative share of verified returns.']),
    width: Math.max(360, 56 * codes.length),
    height: 300,
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar' },
        encoding: {
          x,
          xOffset: { field: 'kind', type: 'nominal', sort: ['stated', 'verified'] },
          y: { field: 'count', type: 'quantitative', title: 'returns', axis: { format: formats.count } },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['stated', 'verified'], range: [colors.stated, colors.verified] } },
          tooltip: [
            { field: 'failure_code', type: 'nominal', title: 'failure code' },
            { field: 'category', type: 'nominal', title: 'category' },
            { field: 'kind', type: 'nominal', title: 'as' },
            { field: 'count', type: 'quantitative', title: 'returns', format: formats.count },
          ],
        },
      },
      {
        data: { values: cumulative },
        mark: { type: 'line', color: colors.cumulative, strokeWidth: 2, point: { color: colors.cumulative, size: 25 } },
        encoding: {
          x,
          y: { field: 'cumulative_share', type: 'quantitative', title: 'cumulative share of verified', scale: { domain: [0, 1] }, axis: { format: '.0%', orient: 'right' } },
          tooltip: [
            { field: 'failure_code', type: 'nominal', title: 'up to failure code' },
            { field: 'cumulative_share', type: 'quantitative', title: 'cumulative share', format: formats.percent },
          ],
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}
