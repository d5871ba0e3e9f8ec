import type { TopLevelSpec } from 'vega-lite';
import { checkRows, reserveRow } from '../rows.js';
import { colors, formats } from '../theme.js';
import { header } from './base.js';

const series = { cumulative_accrual: 'cumulative accrual', cumulative_cost: 'cumulative cost' } as const;

/**
 * Reserve burn (CONTRACT §7.4): cumulative accrual against cumulative warranty cost per month, one
 * panel per SKU, with the forecast liability as a dashed line inside its band (forecast_low..high).
 */
export function reserveBurnSpec(rows: readonly unknown[]): TopLevelSpec {
  const checked = checkRows('reserve', reserveRow, rows);
  const currencies = [...new Set(checked.map((r) => r.currency).filter((c): c is string => !!c))];
  const currency = currencies.length ? currencies.join('/') : 'currency unknown';
  const months = checked.map((r) => ({
    month: r.month.slice(0, 7),
    sku: r.sku,
    currency: r.currency ?? null,
    // Keyed by the series' display names so the fold below yields legend-ready labels.
    [series.cumulative_accrual]: r.cumulative_accrual ?? null,
    [series.cumulative_cost]: r.cumulative_cost ?? null,
    balance: r.balance ?? null,
    forecast_liability: r.forecast_liability ?? null,
    forecast_low: r.forecast_low ?? null,
    forecast_high: r.forecast_high ?? null,
    runway_months: r.runway_months ?? null,
  }));
  const x = { field: 'month', type: 'temporal', timeUnit: 'yearmonth', title: 'month', axis: { format: formats.month } } as const;
  const money = { format: formats.money, title: `amount (${currency})` };
  const tooltip = [
    { field: 'month', type: 'temporal', timeUnit: 'yearmonth', title: 'month', format: formats.month },
    { field: 'sku', type: 'nominal', title: 'SKU' },
    { field: series.cumulative_accrual, type: 'quantitative', title: 'cumulative accrual', format: formats.moneyExact },
    { field: series.cumulative_cost, type: 'quantitative', title: 'cumulative cost', format: formats.moneyExact },
    { field: 'balance', type: 'quantitative', title: 'balance', format: formats.moneyExact },
    { field: 'forecast_liability', type: 'quantitative', title: 'forecast liability', format: formats.moneyExact },
    { field: 'forecast_low', type: 'quantitative', title: 'forecast low', format: formats.moneyExact },
    { field: 'forecast_high', type: 'quantitative', title: 'forecast high', format: formats.moneyExact },
    { field: 'runway_months', type: 'quantitative', title: 'runway (months)', format: '.1f' },
  ] as const;
  return {
    ...header('Service reserve burn', [`Cumulative accrual vs cumulative warranty cost (${currency}); dashed: forecast liability with its band.`]),
    facet: { row: { field: 'sku', type: 'nominal', title: 'SKU' } },
    resolve: { scale: { y: 'independent' } },
    data: { values: months },
    spec: {
      width: 640,
      height: 220,
      layer: [
        {
          transform: [{ filter: { and: [{ field: 'forecast_low', valid: true }, { field: 'forecast_high', valid: true }] } }],
          mark: { type: 'area', color: colors.band, opacity: 0.5 },
          encoding: { x, y: { field: 'forecast_low', type: 'quantitative', axis: money }, y2: { field: 'forecast_high' } },
        },
        {
          transform: [{ filter: { field: 'forecast_liability', valid: true } }],
          mark: { type: 'line', color: colors.forecast, strokeDash: [5, 4], strokeWidth: 1.5 },
          encoding: { x, y: { field: 'forecast_liability', type: 'quantitative' } },
        },
        {
          // Long form for one colour legend.
          transform: [{ fold: Object.values(series), as: ['name', 'amount'] }],
          mark: { type: 'line', strokeWidth: 2, point: { size: 18 } },
          encoding: {
            x,
            y: { field: 'amount', type: 'quantitative' },
            color: { field: 'name', type: 'nominal', title: null, scale: { domain: Object.values(series), range: [colors.accrual, colors.cost] } },
          },
        },
        {
          mark: { type: 'rule', opacity: 0 },
          encoding: { x, tooltip: [...tooltip] },
        },
      ],
    },
  };
}
