import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { RmaError } from '../pipeline/errors.js';
import type { Store } from '../pipeline/store.js';
import { presentedKey } from './auth.js';
import type { AppContext } from './context.js';
import { installErrorHandling } from './errors.js';
import { KeyVerifier } from './keys.js';
import { ReportCache } from './report-cache.js';
import { alertRoutes } from './routes/alerts.js';
import { dashboardRoutes } from './routes/dashboards.js';
import { exportRoutes } from './routes/export.js';
import { batchRoutes } from './routes/batches.js';
import { buildRoutes } from './routes/build.js';
import { firmwareRoutes } from './routes/firmware.js';
import { healthRoutes, packageVersion } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { intakeRoutes } from './routes/intake.js';
import { keyRoutes } from './routes/keys.js';
import { loginRoutes } from './routes/login.js';
import { quarantineRoutes } from './routes/quarantine.js';
import { reportRoutes } from './routes/reports.js';
import { reserveRoutes } from './routes/reserve.js';
import { rmaRoutes } from './routes/rmas.js';
import { contentSecurityPolicy, installCors, installSecurityHeaders, type CorsOptions } from './security.js';
import { loadServices, type Services } from './services.js';
import { WriteQueue } from './write-queue.js';

export interface AppOptions {
  /** The store, opened read-write by the caller; the app never closes it. */
  store: Store;
  /** Pipeline functions (ingest, build, gate, report, alerts); default: loaded from their modules. */
  services?: Services;
  /** The write queue (share one when something else writes to the same store). */
  writes?: WriteQueue;
  /** HMAC secret for webhook intake; default RMA_INTEL_WEBHOOK_SECRET. Intake answers 503 without one. */
  webhookSecret?: string;
  /** Largest JSON / webhook body in bytes (413 beyond); default 1 MiB. */
  bodyLimit?: number;
  /** Largest uploaded file in bytes for POST /api/ingest (413 beyond); default 512 MiB. */
  uploadLimit?: number;
  /** Requests per key (or per IP without a key) per window; false turns the limit off (benchmarks). Default 1200 per minute. */
  rateLimit?: false | { max: number; timeWindow: number | string };
  /** CORS is off unless origins are listed. */
  cors?: CorsOptions;
  logger?: FastifyServerOptions['logger'];
  /** Clock for signature tolerance; default the wall clock. */
  now?: () => Date;
  /** How long a verified key stays cached (ms); default 30 s. */
  keyCacheMs?: number;
  /** Register the dashboards (api/routes/dashboards.ts); default true. */
  dashboards?: boolean;
}

/** Every caller of services.report (API routes, dashboards) reads through the cache; rows are shared, never mutated. */
function cachedReports(services: Services, reports: ReportCache): Services {
  const load = services.report;
  if (!load) return services;
  return { ...services, report: (store, name, filters = {}) => reports.get(JSON.stringify([name, filters]), () => load(store, name, filters)) };
}

const defaultBodyLimit = 1024 * 1024;
const defaultUploadLimit = 512 * 1024 * 1024;

/**
 * Build the HTTP API (CONTRACT §5) without listening: tests call `app.inject()`, `serve()` listens.
 * Every route validates params, query and body from zod schemas and serialises through an allow list.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? defaultBodyLimit;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit,
    // Long or odd query strings and paths are a 4xx, never a crash.
    routerOptions: { maxParamLength: 500, ignoreTrailingSlash: false },
    // Bad URLs (too-long params, broken encoding) are answered before routing: same error shape and headers.
    frameworkErrors: (error, _request, rawReply) => {
      const reply = rawReply as unknown as FastifyReply;
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      const err = new RmaError('RMA_ERR_USAGE', error.message.length > 200 ? `${error.message.slice(0, 200)}…` : error.message, { fastify_code: (error as { code?: string }).code });
      void reply
        .code(status >= 400 && status < 500 ? status : 400)
        .headers({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'content-security-policy': contentSecurityPolicy, 'cache-control': 'no-store' })
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(err.toJSON()));
    },
    ajv: { customOptions: { coerceTypes: true, useDefaults: true, removeAdditional: true, allErrors: false } },
  });
  const writes = options.writes ?? new WriteQueue();
  const reports = new ReportCache();
  writes.afterEach(() => reports.clear());
  const context: AppContext = {
    store: options.store,
    keys: new KeyVerifier(options.store, options.keyCacheMs),
    writes,
    reports,
    services: cachedReports(options.services ?? (await loadServices()), reports),
    webhookSecret: options.webhookSecret ?? process.env.RMA_INTEL_WEBHOOK_SECRET ?? undefined,
    now: options.now ?? (() => new Date()),
    version: packageVersion(),
  };
  app.decorate('rma', context);
  app.decorateRequest('principal', undefined);
  // BIGINT-safe JSON for answers without a compiled response schema.
  app.setReplySerializer((payload) => JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v)));

  installErrorHandling(app);
  installSecurityHeaders(app);
  installCors(app, options.cors);

  if (options.rateLimit !== false) {
    const limit = options.rateLimit ?? { max: 1200, timeWindow: 60_000 };
    await app.register(rateLimit, { global: false });
    // A global hook, so the limit counts before any route hook (a request refused with 401 still counts).
    app.addHook('onRequest', app.rateLimit({
      max: limit.max,
      timeWindow: limit.timeWindow,
      // Per key once the key is known to be valid (hashed: the limiter never holds secrets), else per IP,
      // so a client cycling made-up keys stays in its IP's bucket.
      keyGenerator: (request) => {
        const key = presentedKey(request);
        const digest = key ? context.keys.knownDigest(key) : undefined;
        return digest ? `k:${digest.slice(0, 32)}` : `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, ctx) => Object.assign(new RmaError('RMA_ERR_RATE_LIMITED', `rate limit exceeded: ${ctx.max} requests per ${ctx.after === undefined ? 'window' : 'window; retry in ' + ctx.after}`), { statusCode: 429 }),
    }));
  }
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: options.uploadLimit ?? defaultUploadLimit, files: 50, fields: 20, fieldSize: 4096, parts: 100 } });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'rma-intel API',
        version: context.version,
        description: 'RMA analytics and failure-code intelligence. Every route except /healthz needs `Authorization: Bearer <key>` (create keys with `rma-intel keys create --role ROLE` or POST /api/keys). Errors are `{ "error": { "code", "message", "details" } }`. Tabular routes answer JSON, `text/csv` or `application/vnd.apache.arrow.stream` by Accept and page with `cursor`/`limit` (default 100, max 1000): the next page is in the `X-Next-Cursor` and `Link rel="next"` headers.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'an rma-intel API key: rma_<id>_<secret>' } } },
      tags: ['system', 'quality', 'firmware', 'finance', 'reports', 'alerts', 'ingest', 'pipeline', 'keys', 'dashboards'].map((name) => ({ name })),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: false } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes);
  await app.register(batchRoutes);
  await app.register(firmwareRoutes);
  await app.register(reserveRoutes);
  await app.register(reportRoutes);
  await app.register(rmaRoutes);
  await app.register(alertRoutes);
  await app.register(quarantineRoutes);
  await app.register(intakeRoutes);
  await app.register(ingestRoutes);
  await app.register(buildRoutes);
  await app.register(exportRoutes);
  await app.register(keyRoutes);
  await app.register(loginRoutes);
  if (options.dashboards !== false) await app.register(dashboardRoutes);
  await app.ready();
  return app;
}
