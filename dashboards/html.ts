import type { TopLevelSpec } from 'vega-lite';
import type { Dashboard } from './registry.js';
import { escapeHtml, jsonForScript } from './escape.js';
import { vendorScripts } from './vendor.js';

/**
 * Where a page finds its scripts, styles and neighbours. The server and the static bundle differ only
 * here: absolute routes on the server, relative files in the bundle (so it opens from file://).
 */
export interface PageLinks {
  vendor(file: string): string;
  asset(file: string): string;
  dashboard(name: string): string;
  index: string;
  /** Drill-down page URL; absent where there is no API (the static bundle). */
  drilldown?: string;
}

export const serverLinks: PageLinks = {
  vendor: (file) => `/vendor/${encodeURIComponent(file)}`,
  asset: (file) => `/dashboards/assets/${encodeURIComponent(file)}`,
  dashboard: (name) => `/dashboards/${encodeURIComponent(name)}`,
  index: '/dashboards/',
  drilldown: '/dashboards/rmas',
};

/** The drill-down filters a page accepts, in the order they are shown. */
export const drilldownFilters = ['batch_id', 'firmware_version', 'failure_code'] as const;
export type DrilldownFilters = Partial<Record<(typeof drilldownFilters)[number], string>>;

function shell(opts: { title: string; links: PageLinks; nav: readonly Dashboard[]; current?: string; banner?: string; body: string; scripts: string[] }): string {
  const nav = opts.nav
    .map((d) => `<a href="${escapeHtml(opts.links.dashboard(d.name))}"${d.name === opts.current ? ' aria-current="page"' : ''}>${escapeHtml(d.title)}</a>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)} · rma-intel</title>
<link rel="stylesheet" href="${escapeHtml(opts.links.asset('dashboards.css'))}">
</head>
<body>
<header class="topbar"><a class="brand" href="${escapeHtml(opts.links.index)}">rma-intel</a><nav>${nav}</nav></header>
${opts.banner ?? ''}
<main>
${opts.body}
</main>
${opts.scripts.map((src) => `<script src="${escapeHtml(src)}"></script>`).join('\n')}
</body>
</html>
`;
}

/**
 * A dashboard page: the spec with its data inline (a JSON script element, never executed), the vendor
 * scripts, and dashboard.js which embeds it and wires the drill-down. No inline script, so the page
 * runs under a CSP with script-src 'self'.
 */
export function dashboardPage(opts: { dashboard: Dashboard; spec: TopLevelSpec; bannerHtml: string; nav: readonly Dashboard[]; links: PageLinks }): string {
  const { dashboard, links } = opts;
  const drill = dashboard.drilldown && links.drilldown ? links.drilldown : '';
  const body = `<h1>${escapeHtml(dashboard.title)}</h1>
<p class="summary">${escapeHtml(dashboard.summary)}</p>
<div id="chart" class="chart" data-dashboard="${escapeHtml(dashboard.name)}" data-drilldown="${escapeHtml(drill)}" data-drilldown-kind="${escapeHtml(dashboard.drilldown ?? '')}"></div>
<p id="chart-error" class="chart-error" hidden></p>
<noscript>This page draws its chart with JavaScript; the static bundle (rma-intel dashboards --out DIR) has SVG versions.</noscript>
<script type="application/json" id="rma-spec">${jsonForScript(opts.spec)}</script>`;
  return shell({
    title: dashboard.title,
    links,
    nav: opts.nav,
    current: dashboard.name,
    banner: opts.bannerHtml,
    body,
    scripts: [...vendorScripts.map((f) => links.vendor(f)), links.asset('dashboard.js')],
  });
}

/**
 * A static dashboard page for the bundle: the chart as inline SVG rendered in Node (no script at all),
 * with a link to the interactive version beside it.
 */
export function staticDashboardPage(opts: { dashboard: Dashboard; svg: string; bannerHtml: string; nav: readonly Dashboard[]; links: PageLinks; interactiveHref: string }): string {
  const { dashboard } = opts;
  const body = `<h1>${escapeHtml(dashboard.title)}</h1>
<p class="summary">${escapeHtml(dashboard.summary)} <a href="${escapeHtml(opts.interactiveHref)}">Interactive version</a></p>
<div class="chart static-chart" data-dashboard="${escapeHtml(dashboard.name)}">${opts.svg}</div>`;
  return shell({ title: dashboard.title, links: opts.links, nav: opts.nav, current: dashboard.name, banner: opts.bannerHtml, body, scripts: [] });
}

/** The index: one card per dashboard the viewer may open. */
export function indexPage(opts: { dashboards: readonly Dashboard[]; bannerHtml: string; links: PageLinks; extra?: (d: Dashboard) => string }): string {
  const cards = opts.dashboards
    .map((d) => `<li class="card"><a href="${escapeHtml(opts.links.dashboard(d.name))}">${escapeHtml(d.title)}</a><p>${escapeHtml(d.summary)}</p>${opts.extra ? opts.extra(d) : ''}</li>`)
    .join('\n');
  return shell({
    title: 'Dashboards',
    links: opts.links,
    nav: opts.dashboards,
    banner: opts.bannerHtml,
    body: `<h1>Dashboards</h1>\n<ul class="cards">\n${cards}\n</ul>`,
    scripts: [],
  });
}

/**
 * The drill-down page: the filters it was opened with, and a table drilldown.js fills from
 * /api/rmas with the same filters (rows are inserted as text, never as HTML).
 */
export function drilldownPage(opts: { filters: DrilldownFilters; nav: readonly Dashboard[]; links: PageLinks; api: string }): string {
  const shown = drilldownFilters.filter((k) => opts.filters[k]).map((k) => `<span class="filter">${escapeHtml(k)} = <code>${escapeHtml(opts.filters[k])}</code></span>`);
  const body = `<h1>RMAs</h1>
<p class="filters">${shown.length ? shown.join(' ') : 'all RMAs'}</p>
<p id="rmas-status" class="status">Loading…</p>
<table id="rmas" class="rmas" data-api="${escapeHtml(opts.api)}"><thead><tr></tr></thead><tbody></tbody></table>
<button id="rmas-more" type="button" hidden>More</button>`;
  return shell({ title: 'RMAs', links: opts.links, nav: opts.nav, body, scripts: [opts.links.asset('drilldown.js')] });
}
