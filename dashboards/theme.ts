import type { Config } from 'vega-lite';

/**
 * The one look of every dashboard: colours with a meaning (status, stated vs verified, accrual vs
 * cost) and number formats (d3-format strings Vega understands). Spec builders import from here so a
 * colour or a format changes in one place.
 */
export const colors = {
  ink: '#1f2933',
  muted: '#7b8794',
  grid: '#e4e7eb',
  threshold: '#c62828',
  projected: '#6a1b9a',
  stated: '#90a4ae',
  verified: '#1565c0',
  cumulative: '#ef6c00',
  accrual: '#2e7d32',
  cost: '#c62828',
  forecast: '#ef6c00',
  band: '#ffcc80',
} as const;

/** Batch status (CONTRACT §7.1) → colour; the order is the legend order, best to worst. */
export const statusColors = {
  ok: '#2e7d32',
  watch: '#f9a825',
  breach: '#ef6c00',
  confirmed_breach: '#b71c1c',
  insufficient_exposure: '#9e9e9e',
} as const;

export type BatchStatus = keyof typeof statusColors;

export const formats = {
  /** Rates and shares: percent with 2 decimals (0.0213 → "2.13%"). */
  percent: '.2%',
  /** Money: thousands separators, no decimals on charts; the currency goes in the title. */
  money: ',.0f',
  /** Money in tables and tooltips: 2 decimals. */
  moneyExact: ',.2f',
  count: ',d',
  ratio: '.2f',
  pValue: '.3g',
  month: '%Y-%m',
  date: '%Y-%m-%d',
} as const;

/** Default batch defect threshold (DESIGN: batch defects above 2 % trigger batch-wide action). */
export const defaultThreshold = 0.02;

/** Vega-Lite config shared by every spec (fonts, sizes, axis style). */
export const themeConfig: Config = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  background: '#ffffff',
  padding: 8,
  view: { stroke: 'transparent' },
  axis: {
    labelColor: colors.ink,
    titleColor: colors.ink,
    gridColor: colors.grid,
    domainColor: colors.muted,
    tickColor: colors.muted,
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', orient: 'right', labelLimit: 280 },
  title: { fontSize: 15, fontWeight: 'bold', color: colors.ink, anchor: 'start', subtitleColor: colors.muted, subtitleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};

/** Default chart size; builders widen it where the data needs room. */
export const size = { width: 640, height: 320 } as const;

/** Money formatter for HTML (alert banner, tables); d3 formats above are for charts. */
export function formatMoney(value: number, currency: string): string {
  return `${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
}

/** Percent with 2 decimals for HTML, the same convention as `formats.percent`. */
export function formatPercent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}
