import type { TopLevelSpec } from 'vega-lite';
import { checkRows, nevadaRow } from '../rows.js';
import { formats } from '../theme.js';
import { header } from './base.js';

/**
 * Nevada chart (report `nevada`): returns by ship month (rows) and return month (columns) — the
 * triangle reliability engineers read cohort by cohort; colour and label are the return count.
 */
export function nevadaSpec(rows: readonly unknown[]): TopLevelSpec {
  const cells = checkRows('nevada', nevadaRow, rows)
    .map((r) => ({ sku: r.sku ?? null, ship_month: r.ship_month.slice(0, 7), return_month: r.return_month.slice(0, 7), units_shipped: r.units_shipped ?? null, returns: r.returns }));
  return {
    ...header('Nevada chart', ['Returns by ship month (rows) and return month (columns); each row is one ship cohort, pale cells had none.']),
    data: { values: cells },
    width: { step: 26 },
    height: { step: 18 },
    encoding: {
      x: { field: 'return_month', type: 'ordinal', title: 'return month', sort: 'ascending', axis: { labelAngle: -60 } },
      y: { field: 'ship_month', type: 'ordinal', title: 'ship month', sort: 'ascending' },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: { aggregate: 'sum', field: 'returns', type: 'quantitative', title: 'returns', scale: { scheme: 'oranges' } },
          tooltip: [
            { field: 'ship_month', type: 'ordinal', title: 'shipped' },
            { field: 'return_month', type: 'ordinal', title: 'returned' },
            { aggregate: 'sum', field: 'returns', type: 'quantitative', title: 'returns', format: formats.count },
            { aggregate: 'sum', field: 'units_shipped', type: 'quantitative', title: 'cohort shipped', format: formats.count },
          ],
        },
      },
      {
        // Zero cells stay as pale rects (they draw the triangle) but carry no label.
        transform: [{ filter: { field: 'returns', gt: 0 } }],
        mark: { type: 'text', fontSize: 9 },
        encoding: { text: { aggregate: 'sum', field: 'returns', type: 'quantitative', format: formats.count } },
      },
    ],
  };
}
