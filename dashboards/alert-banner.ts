import { alertRow, checkRows, type AlertRow } from './rows.js';
import { escapeHtml } from './escape.js';
import { formatPercent } from './theme.js';

const severityRank: Record<string, number> = { critical: 0, high: 1, warning: 2, medium: 2, info: 3, low: 3 };

/** Metrics that are shares print as percentages; others as plain numbers. */
const shareMetrics = /rate|ci_|share|pct|ratio$/;

function formatValue(metric: string | null | undefined, value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return metric && shareMetrics.test(metric) && Math.abs(value) <= 1 ? formatPercent(value) : Number(value.toPrecision(4)).toString();
}

function describe(a: AlertRow): string {
  const metric = a.metric ?? 'value';
  const comparison = a.threshold === null || a.threshold === undefined ? '' : ` (threshold ${formatValue(a.metric, a.threshold)})`;
  const subject = [a.subject_type, a.subject_id].filter(Boolean).join(' ');
  return `${a.rule.replaceAll('_', ' ')}${subject ? ` — ${subject}` : ''}: ${metric} ${formatValue(a.metric, a.value)}${comparison}`;
}

/**
 * The alert banner at the top of every dashboard (HTML, not a chart): open and acknowledged alerts,
 * worst first, each naming its rule, subject and the number that tripped it. Empty string when
 * nothing is open, so a quiet system shows no banner.
 */
export function alertBannerHtml(rows: readonly unknown[]): string {
  const active = checkRows('alerts', alertRow, rows)
    .filter((a) => a.state === 'open' || a.state === 'acknowledged')
    .sort((a, b) => (severityRank[a.severity ?? ''] ?? 9) - (severityRank[b.severity ?? ''] ?? 9) || (a.state === b.state ? 0 : a.state === 'open' ? -1 : 1) || String(a.id).localeCompare(String(b.id)));
  if (active.length === 0) return '';
  const open = active.filter((a) => a.state === 'open').length;
  const items = active
    .map(
      (a) =>
        `<li class="alert alert-${escapeHtml(a.severity ?? 'unknown')} alert-${escapeHtml(a.state)}" data-alert-id="${escapeHtml(a.id)}">` +
        `<span class="alert-severity">${escapeHtml(a.severity ?? 'alert')}</span> ${escapeHtml(describe(a))}` +
        `${a.state === 'acknowledged' ? ' <span class="alert-state">acknowledged</span>' : ''}</li>`,
    )
    .join('');
  return `<section class="alert-banner" role="alert" aria-label="alerts"><strong>${open} open alert${open === 1 ? '' : 's'}</strong><ul>${items}</ul></section>`;
}
