import type { FastifyInstance } from 'fastify';

export interface CorsOptions {
  /** Origins allowed to call the API from a browser; CORS is off when this is empty. */
  origins: string[];
}

/**
 * The default Content-Security-Policy. No inline scripts and no eval: the dashboards run Vega with
 * its AST interpreter (vega-interpreter), and /docs serves Swagger UI's initializer as a file.
 * A route that needs something else sets its own Content-Security-Policy header.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Security headers on every answer; API answers are never cached. */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', contentSecurityPolicy);
    if (!reply.hasHeader('cache-control') && (request.url.startsWith('/api/') || request.url.startsWith('/login'))) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/** CORS for the configured origins only; without configuration no CORS header is ever sent. */
export function installCors(app: FastifyInstance, cors: CorsOptions | undefined): void {
  const origins = new Set(cors?.origins ?? []);
  if (!origins.size) return;
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !origins.has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    if (request.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
      reply.header('access-control-allow-headers', 'authorization, content-type, x-rma-signature');
      reply.header('access-control-max-age', '600');
      await reply.code(204).send();
      return reply;
    }
  });
}
