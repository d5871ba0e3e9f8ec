import type { TopLevelSpec } from 'vega-lite';
import { checkRows, ntfRow } from '../rows.js';
import { colors, formats } from '../theme.js';
import { header } from './base.js';

export interface NtfOptions {
  /** Show the dealers with the most inspected returns, at most this many (default 25). */
  maxDealers?: number;
}

/**
 * No trouble found by dealer (report `ntf`): each dealer's share of inspected returns where nothing was
 * found, with its Wilson interval, against the overall share (dashed rule). Dealers whose interval lies
 * wholly above the overall share are highlighted: a training gap, not hardware.
 */
export function ntfByDealerSpec(rows: readonly unknown[], options: NtfOptions = {}): TopLevelSpec {
  const checked = checkRows('ntf', ntfRow, rows);
  const totals = checked.reduce((t, r) => ({ inspected: t.inspected + r.inspected, ntf: t.ntf + r.no_trouble_found }), { inspected: 0, ntf: 0 });
  const overall = checked.find((r) => r.overall_rate !== null && r.overall_rate !== undefined)?.overall_rate ?? (totals.inspected > 0 ? totals.ntf / totals.inspected : 0);
  const dealers = [...checked]
    .sort((a, b) => b.inspected - a.inspected || a.dealer_id.localeCompare(b.dealer_id))
    .slice(0, options.maxDealers ?? 25)
    .map((r) => ({
      dealer_id: r.dealer_id,
      inspected: r.inspected,
      no_trouble_found: r.no_trouble_found,
      ntf_rate: r.ntf_rate ?? (r.inspected > 0 ? r.no_trouble_found / r.inspected : null),
      ci_low: r.ci_low ?? null,
      ci_high: r.ci_high ?? null,
      above_overall: r.above_overall === true ? 'above overall' : 'not above overall',
    }));
  // Highest share first; an explicit order keeps the bar and interval layers on one sorted axis.
  const order = [...dealers].sort((a, b) => (b.ntf_rate ?? -1) - (a.ntf_rate ?? -1) || a.dealer_id.localeCompare(b.dealer_id)).map((d) => d.dealer_id);
  const y = { field: 'dealer_id', type: 'nominal', title: 'dealer', sort: order } as const;
  const tooltip = [
    { field: 'dealer_id', type: 'nominal', title: 'dealer' },
    { field: 'ntf_rate', type: 'quantitative', title: 'NTF share', format: formats.percent },
    { field: 'ci_low', type: 'quantitative', title: '95% CI low', format: formats.percent },
    { field: 'ci_high', type: 'quantitative', title: '95% CI high', format: formats.percent },
    { field: 'no_trouble_found', type: 'quantitative', title: 'no trouble found', format: formats.count },
    { field: 'inspected', type: 'quantitative', title: 'inspected', format: formats.count },
  ] as const;
  return {
    ...header('No trouble found by dealer', [`Share of inspected returns with no fault found, with 95% Wilson interval; dashed line: overall ${(overall * 100).toFixed(2)}%.`, 'Highlighted: interval wholly above the overall share — a training gap, not hardware.']),
    width: 560,
    height: { step: 20 },
    layer: [
      {
        data: { values: dealers },
        layer: [
          {
            mark: { type: 'bar', height: { band: 0.7 } },
            encoding: {
              y,
              x: { field: 'ntf_rate', type: 'quantitative', title: 'no-trouble-found share', axis: { format: '.0%' } },
              color: { field: 'above_overall', type: 'nominal', title: null, scale: { domain: ['not above overall', 'above overall'], range: [colors.stated, colors.cumulative] } },
              tooltip: [...tooltip],
            },
          },
          {
            transform: [{ filter: { and: [{ field: 'ci_low', valid: true }, { field: 'ci_high', valid: true }] } }],
            mark: { type: 'rule', color: colors.ink, strokeWidth: 1.2 },
            encoding: { y, x: { field: 'ci_low', type: 'quantitative' }, x2: { field: 'ci_high' }, tooltip: [...tooltip] },
          },
        ],
      },
      {
        data: { values: [{ overall }] },
        mark: { type: 'rule', color: colors.ink, strokeDash: [4, 3] },
        encoding: { x: { field: 'overall', type: 'quantitative' } },
      },
    ],
  };
}
