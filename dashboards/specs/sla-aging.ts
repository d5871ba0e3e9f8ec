import type { TopLevelSpec } from 'vega-lite';
import { checkRows, slaRow } from '../rows.js';
import { colors, formats } from '../theme.js';
import { header } from './base.js';

export interface SlaOptions {
  /** One SKU; default the all-SKU rows (sku '*') when the report has them. */
  sku?: string;
}

const backlog = { open_within: 'open, within SLA', open_overdue: 'open, overdue' } as const;

const promises = {
  response_met_rate: 'response ≤ 48 business hours',
  inspection_met_rate: 'inspection ≤ 48 business hours',
  resolution_met_rate: 'resolution ≤ 30 working days',
} as const;

/**
 * SLA aging (report `sla`): by the month claims were raised, the RMAs still open — within their
 * promise or already overdue — and, below, the share of decided promises kept (response, inspection,
 * resolution). Old months with open or overdue lines are the backlog to chase.
 */
export function slaAgingSpec(rows: readonly unknown[], options: SlaOptions = {}): TopLevelSpec {
  const checked = checkRows('sla', slaRow, rows);
  const sku = options.sku ?? (checked.some((r) => r.sku === '*') ? '*' : undefined);
  const months = checked
    .filter((r) => sku === undefined || r.sku === sku)
    .map((r) => ({
      month: r.month.slice(0, 7),
      rmas: r.rmas,
      // Keyed by display names so the folds below yield legend-ready labels.
      [backlog.open_within]: Math.max(0, (r.open ?? 0) - (r.open_overdue ?? 0)),
      [backlog.open_overdue]: r.open_overdue ?? 0,
      [promises.response_met_rate]: r.response_met_rate ?? null,
      [promises.inspection_met_rate]: r.inspection_met_rate ?? null,
      [promises.resolution_met_rate]: r.resolution_met_rate ?? null,
      oldest_open_working_days: r.oldest_open_working_days ?? null,
    }));
  const x = { field: 'month', type: 'temporal', timeUnit: 'yearmonth', title: 'month raised', axis: { format: formats.month } } as const;
  const tooltip = [
    { field: 'month', type: 'temporal', timeUnit: 'yearmonth', title: 'month raised', format: formats.month },
    { field: 'rmas', type: 'quantitative', title: 'RMAs raised', format: formats.count },
    ...Object.values(backlog).map((field) => ({ field, type: 'quantitative' as const, format: formats.count })),
    ...Object.values(promises).map((field) => ({ field, type: 'quantitative' as const, format: formats.percent })),
    { field: 'oldest_open_working_days', type: 'quantitative', title: 'oldest open (working days)', format: ',.1f' },
  ] as const;
  return {
    ...header('SLA aging', [`Open RMAs by the month they were raised (${sku === undefined || sku === '*' ? 'all SKUs' : `SKU ${sku}`}), and the share of promises kept.`]),
    data: { values: months },
    vconcat: [
      {
        width: 640,
        height: 200,
        transform: [{ fold: Object.values(backlog), as: ['name', 'count'] }],
        mark: { type: 'bar' },
        encoding: {
          x,
          y: { field: 'count', type: 'quantitative', title: 'open RMAs', axis: { format: formats.count } },
          color: { field: 'name', type: 'nominal', title: null, scale: { domain: Object.values(backlog), range: [colors.stated, colors.threshold] } },
          tooltip: [...tooltip],
        },
      },
      {
        width: 640,
        height: 160,
        transform: [{ fold: Object.values(promises), as: ['name', 'rate'] }, { filter: { field: 'rate', valid: true } }],
        mark: { type: 'line', point: { size: 16 } },
        encoding: {
          x,
          y: { field: 'rate', type: 'quantitative', title: 'promises kept', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color: { field: 'name', type: 'nominal', title: null, scale: { domain: Object.values(promises), scheme: 'dark2' } },
          tooltip: [...tooltip],
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}
