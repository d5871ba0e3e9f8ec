import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { alertBannerHtml } from './alert-banner.js';
import { dashboardPage, indexPage, staticDashboardPage, type PageLinks } from './html.js';
import { dashboards as allDashboards, type Dashboard, type DashboardData } from './registry.js';
import { renderSvg } from './render-svg.js';
import { clientFiles, readListed, vendorFiles } from './vendor.js';
import { escapeHtml } from './escape.js';

export interface BundleInput {
  /** Report rows by report name (every report the dashboards read). */
  data: DashboardData;
  /** Alert rows (CONTRACT §7.5) for the banner. */
  alerts: readonly unknown[];
  /** Default: every registered dashboard. */
  dashboards?: readonly Dashboard[];
}

export interface BundleResult {
  out: string;
  dashboards: { name: string; page: string; interactive: string; svg: string; warnings: string[] }[];
  files: string[];
}

/** Links inside the bundle: relative files, so it opens from the file system with no server. */
const staticLinks: PageLinks = {
  vendor: (file) => `vendor/${file}`,
  asset: (file) => `assets/${file}`,
  dashboard: (name) => `${name}.html`,
  index: 'index.html',
};
const interactiveLinks: PageLinks = {
  vendor: (file) => `../vendor/${file}`,
  asset: (file) => `../assets/${file}`,
  dashboard: (name) => `${name}.html`,
  index: '../index.html',
};

/**
 * `rma-intel dashboards --out DIR`: every dashboard as a static HTML page with its chart as inline
 * SVG (rendered in Node), the SVG on its own, and the interactive page with the vendor scripts copied
 * beside it. Drill-down needs the API, so the bundle's pages have none.
 */
export async function writeStaticBundle(outDir: string, input: BundleInput): Promise<BundleResult> {
  const out = resolve(outDir);
  const list = input.dashboards ?? allDashboards;
  const files: string[] = [];
  const write = (relative: string, body: string | Buffer): void => {
    const path = join(out, relative);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, body);
    files.push(relative);
  };
  for (const name of Object.keys(vendorFiles)) write(`vendor/${name}`, readListed(vendorFiles, name)!.body);
  for (const name of Object.keys(clientFiles)) write(`assets/${name}`, readListed(clientFiles, name)!.body);

  const bannerHtml = alertBannerHtml(input.alerts);
  const result: BundleResult['dashboards'] = [];
  for (const dashboard of list) {
    const spec = dashboard.build(input.data);
    const { svg, warnings } = await renderSvg(spec);
    const page = `${dashboard.name}.html`;
    const interactive = `interactive/${dashboard.name}.html`;
    const svgFile = `svg/${dashboard.name}.svg`;
    write(svgFile, svg);
    write(page, staticDashboardPage({ dashboard, svg, bannerHtml, nav: list, links: staticLinks, interactiveHref: interactive }));
    write(interactive, dashboardPage({ dashboard, spec, bannerHtml, nav: list, links: interactiveLinks }));
    result.push({ name: dashboard.name, page, interactive, svg: svgFile, warnings });
  }
  write(
    'index.html',
    indexPage({
      dashboards: list,
      bannerHtml,
      links: staticLinks,
      extra: (d) => `<p><a href="${escapeHtml(`interactive/${d.name}.html`)}">interactive</a> · <a href="${escapeHtml(`svg/${d.name}.svg`)}">SVG</a></p>`,
    }),
  );
  return { out, dashboards: result, files };
}
