/**
 * Dashboards over HTTP (CONTRACT §5): the Vega-Lite specs with their data inline at /api/dashboards,
 * the HTML pages at /dashboards/, and the vendor scripts (vega, vega-lite, vega-embed,
 * vega-interpreter) from node_modules at /vendor/ — the pages load nothing from the internet.
 *
 * Content-Security-Policy the pages need (api/security.ts's default already satisfies it):
 *   default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;
 *   connect-src 'self'
 * No 'unsafe-eval': expressions run in vega-interpreter (embed option `ast: true`), and no inline
 * script (the spec travels in a <script type="application/json"> element, which is never executed).
 * 'unsafe-inline' for styles only because vega sets style attributes on SVG marks (cursor, fonts).
 *
 * Registered by buildApp (api/app.ts) as `dashboardRoutes`; reads `app.rma.store` and
 * `app.rma.services` (report, listAlerts); pages authenticate with requirePageRole (cookie after
 * /login, or the bearer header).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { RmaError } from '../../pipeline/errors.js';
import type { TopLevelSpec } from 'vega-lite';
import type { Row } from '../../pipeline/store.js';
import { alertBannerHtml } from '../../dashboards/alert-banner.js';
import { activeAlerts, dashboardReports, loadDashboardData } from '../../dashboards/data-source.js';
import { dashboardPage, drilldownFilters, drilldownPage, indexPage, serverLinks, type DrilldownFilters } from '../../dashboards/html.js';
import { dashboardsFor, findDashboard, type Dashboard } from '../../dashboards/registry.js';
import { clientFiles, readListed, vendorFiles } from '../../dashboards/vendor.js';
import { escapeHtml } from '../../dashboards/escape.js';
import { requirePageRole, requireRole } from '../auth.js';
import { jsonSchema, routeSchema } from '../route-schema.js';
import { need } from '../services.js';

const nameParams = z.object({ name: z.string().min(1).max(100) });
const fileParams = z.object({ file: z.string().min(1).max(100) });
const drilldownQuery = z.object({ batch_id: z.string().max(200).optional(), firmware_version: z.string().max(200).optional(), failure_code: z.string().max(200).optional() });
const listItem = z.object({ name: z.string(), title: z.string(), summary: z.string(), report: z.array(z.string()), roles: z.array(z.string()), page: z.string(), spec: z.string() });

/** The dashboard by name, if the caller's role may open it: 404 for an unknown name, 403 outside its roles. */
function dashboardFor(request: FastifyRequest, name: string): Dashboard {
  const dashboard = findDashboard(name);
  if (!dashboard) throw new RmaError('RMA_ERR_NOT_FOUND', `no dashboard '${name}'; see /api/dashboards`, { dashboard: name });
  const role = request.principal?.role;
  if (!role || !dashboard.roles.includes(role as never)) {
    throw new RmaError('RMA_ERR_FORBIDDEN', `dashboard '${name}' needs one of the roles ${dashboard.roles.join(', ')}`, { role, dashboard: name });
  }
  return dashboard;
}

/** BIGINT-safe, as the app's reply serialiser (api/app.ts). */
const jsonOf = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v));

/**
 * The dashboard's spec with its data inline, and that spec as JSON, built once and kept in the report
 * cache until the next write (the write queue clears it): building reads every report and km_curves
 * and serialising the inline data is the bulk of a request. Shared between requests, never mutated.
 */
async function builtSpec(request: FastifyRequest, dashboard: Dashboard): Promise<{ spec: TopLevelSpec; json: string }> {
  const { store, services, reports } = request.server.rma;
  const [built] = await reports.get(JSON.stringify(['dashboard-spec', dashboard.name]), async (): Promise<Row[]> => {
    const data = await loadDashboardData(dashboardReports(store, need(services, 'report')), [dashboard]);
    const spec = dashboard.build(data);
    return [{ spec, json: jsonOf(spec) }];
  });
  return built as { spec: TopLevelSpec; json: string };
}

/** Open and acknowledged alerts for the banner; none when the alerts module is not part of this build. */
async function bannerHtml(request: FastifyRequest): Promise<string> {
  const { store, services } = request.server.rma;
  return alertBannerHtml(await activeAlerts(services.listAlerts, store));
}

function html(reply: FastifyReply, body: string, status = 200): FastifyReply {
  // Pages carry data: never cached.
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/dashboards',
    {
      preHandler: requireRole('viewer'),
      schema: routeSchema({ summary: 'The dashboards the caller may open', tags: ['dashboards'], access: ['viewer'], response: { 200: z.array(listItem) } }),
    },
    async (request) =>
      dashboardsFor(request.principal?.role).map((d) => ({
        name: d.name,
        title: d.title,
        summary: d.summary,
        report: [...d.report],
        roles: [...d.roles],
        page: serverLinks.dashboard(d.name),
        spec: `/api/dashboards/${encodeURIComponent(d.name)}`,
      })),
  );

  app.get(
    '/api/dashboards/:name',
    {
      preHandler: requireRole('viewer'),
      // The spec is open-shaped Vega-Lite: documented, not serialised through an allow list.
      schema: {
        summary: 'One dashboard as a Vega-Lite spec with its data inline',
        description: 'A Vega-Lite v6 TopLevelSpec; render it with vega-embed. Roles: those listed for the dashboard in GET /api/dashboards.',
        tags: ['dashboards'],
        security: [{ bearerAuth: [] }],
        params: jsonSchema(nameParams),
      },
    },
    async (request, reply) => {
      const { json } = await builtSpec(request, dashboardFor(request, (request.params as z.infer<typeof nameParams>).name));
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );

  app.get('/dashboards', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/dashboards/', 301));

  app.get('/dashboards/', { preHandler: requirePageRole('viewer'), schema: { hide: true } }, async (request, reply) =>
    html(reply, indexPage({ dashboards: dashboardsFor(request.principal?.role), bannerHtml: await bannerHtml(request), links: serverLinks })),
  );

  app.get('/dashboards/rmas', { preHandler: requirePageRole('viewer'), schema: { hide: true } }, async (request, reply) => {
    const parsed = drilldownQuery.safeParse(request.query);
    if (!parsed.success) throw new RmaError('RMA_ERR_USAGE', `invalid drill-down filter: ${z.prettifyError(parsed.error)}`);
    const filters: DrilldownFilters = Object.fromEntries(drilldownFilters.filter((k) => parsed.data[k]).map((k) => [k, parsed.data[k]]));
    return html(reply, drilldownPage({ filters, nav: dashboardsFor(request.principal?.role), links: serverLinks, api: '/api/rmas' }));
  });

  app.get('/dashboards/:name', { preHandler: requirePageRole('viewer'), schema: { hide: true } }, async (request, reply) => {
    const { name } = request.params as z.infer<typeof nameParams>;
    const nav = dashboardsFor(request.principal?.role);
    let dashboard: Dashboard;
    try {
      dashboard = dashboardFor(request, name);
    } catch (e) {
      if (!(e instanceof RmaError)) throw e;
      return html(reply, indexPage({ dashboards: nav, bannerHtml: `<section class="alert-banner" role="alert">${escapeHtml(e.message)}</section>`, links: serverLinks }), e.httpStatus);
    }
    try {
      const { spec } = await builtSpec(request, dashboard);
      return html(reply, dashboardPage({ dashboard, spec, bannerHtml: await bannerHtml(request), nav, links: serverLinks }));
    } catch (e) {
      // Before the first build the reports do not exist: say so on the page rather than a JSON error.
      if (e instanceof RmaError && (e.code === 'RMA_ERR_NOT_FOUND' || e.code === 'RMA_ERR_NOT_AVAILABLE')) {
        return html(reply, indexPage({ dashboards: nav, bannerHtml: `<section class="alert-banner" role="alert">${escapeHtml(e.message)}</section>`, links: serverLinks }), 503);
      }
      throw e;
    }
  });

  // Scripts and styles: public (library code, no data), cacheable, strictly from the allow lists.
  const sendListed = (list: typeof vendorFiles) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { file } = request.params as z.infer<typeof fileParams>;
    const found = readListed(list, file);
    if (!found) throw new RmaError('RMA_ERR_NOT_FOUND', `no file '${file}' here`);
    return reply.type(found.contentType).header('cache-control', 'public, max-age=3600').send(found.body);
  };
  app.get('/vendor/:file', { schema: { hide: true } }, sendListed(vendorFiles));
  app.get('/dashboards/assets/:file', { schema: { hide: true } }, sendListed(clientFiles));
}
