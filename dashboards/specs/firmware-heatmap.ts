import type { TopLevelSpec } from 'vega-lite';
import { checkRows, firmwareRow } from '../rows.js';
import { colors, formats } from '../theme.js';
import { header } from './base.js';

/** Colour domain for log2(relative risk): ±3 is an 8-fold change; beyond that the colour saturates. */
const logRiskLimit = 3;

/**
 * Firmware heatmap (CONTRACT §7.2): build × failure code, coloured by log2 relative risk against the
 * baseline (blue below, red above), each cell labelled with its relative risk; cells flagged after
 * Benjamini–Hochberg are outlined and starred. A click on a cell drills down to its RMAs
 * (datum.firmware_version, datum.failure_code).
 */
export function firmwareHeatmapSpec(rows: readonly unknown[]): TopLevelSpec {
  const checked = checkRows('firmware', firmwareRow, rows);
  const manySkus = new Set(checked.map((r) => r.sku)).size > 1;
  const cells = checked.map((r) => {
    const rr = r.relative_risk ?? null;
    // RR 0 (no returns on the build) and ∞ (none on the baseline) saturate the colour; NaN is unknown.
    const logRisk = rr === null || Number.isNaN(rr) ? null : Math.max(-logRiskLimit, Math.min(logRiskLimit, Math.log2(rr)));
    return {
      build: manySkus && r.sku ? `${r.sku} ${r.firmware_version}` : r.firmware_version,
      firmware_version: r.firmware_version,
      sku: r.sku ?? null,
      failure_code: r.failure_code,
      returns: r.returns ?? null,
      unit_days: r.unit_days ?? null,
      rate_per_1000_unit_months: r.rate_per_1000_unit_months ?? null,
      relative_risk: rr !== null && Number.isFinite(rr) ? rr : null,
      log2_relative_risk: logRisk,
      p_value: r.p_value ?? null,
      q_value: r.q_value ?? null,
      flagged: r.flagged === true,
      // Pre-formatted so the text mark needs no expression; '*' marks a flagged cell.
      label: `${rr === null || Number.isNaN(rr) ? '–' : rr === Infinity ? '∞' : rr.toFixed(1)}${r.flagged ? '*' : ''}`,
      // Dark cells get white text.
      strong: logRisk !== null && Math.abs(logRisk) >= 1.5,
    };
  });
  const x = { field: 'failure_code', type: 'nominal', title: 'failure code', sort: 'ascending', axis: { labelAngle: -40 } } as const;
  const y = { field: 'build', type: 'nominal', title: manySkus ? 'SKU and firmware build' : 'firmware build', sort: 'ascending' } as const;
  return {
    ...header('Firmware × failure code', ['Relative risk of each build against the baseline (colour: log2 RR, red = more returns).', '* and outline: significant after Benjamini–Hochberg (flagged). Click a cell to see its RMAs.']),
    data: { values: cells },
    width: { step: 46 },
    height: { step: 26 },
    encoding: { x, y },
    layer: [
      {
        mark: { type: 'rect', cursor: 'pointer' },
        encoding: {
          color: {
            field: 'log2_relative_risk',
            type: 'quantitative',
            title: 'log2 relative risk',
            scale: { scheme: 'redblue', reverse: true, domain: [-logRiskLimit, logRiskLimit], domainMid: 0 },
          },
          tooltip: [
            { field: 'firmware_version', type: 'nominal', title: 'build' },
            { field: 'sku', type: 'nominal', title: 'SKU' },
            { field: 'failure_code', type: 'nominal', title: 'failure code' },
            { field: 'returns', type: 'quantitative', title: 'returns', format: formats.count },
            { field: 'unit_days', type: 'quantitative', title: 'unit-days', format: formats.count },
            { field: 'rate_per_1000_unit_months', type: 'quantitative', title: 'rate / 1000 unit-months', format: formats.ratio },
            { field: 'relative_risk', type: 'quantitative', title: 'relative risk', format: formats.ratio },
            { field: 'p_value', type: 'quantitative', title: 'p', format: formats.pValue },
            { field: 'q_value', type: 'quantitative', title: 'q (BH)', format: formats.pValue },
            { field: 'flagged', type: 'nominal', title: 'flagged' },
          ],
        },
      },
      {
        transform: [{ filter: { field: 'flagged', equal: true } }],
        mark: { type: 'rect', fill: null, stroke: colors.ink, strokeWidth: 2, cursor: 'pointer' },
      },
      {
        mark: { type: 'text', fontSize: 10, cursor: 'pointer' },
        encoding: {
          text: { field: 'label', type: 'nominal' },
          color: { condition: { test: { field: 'strong', equal: true }, value: '#ffffff' }, value: colors.ink },
        },
      },
    ],
  };
}
