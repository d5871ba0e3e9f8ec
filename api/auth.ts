/**
 * Authentication and roles for every route (CONTRACT §5).
 *
 * How a route protects itself — the whole API other route files use:
 *
 *   import { requireRole, requirePageRole } from '../auth.js';
 *   app.get('/api/thing', { onRequest: requireRole('viewer'), schema }, handler);      // JSON: 401/403 error body
 *   app.get('/dashboards/:name', { onRequest: requirePageRole('viewer') }, handler);   // HTML: 303 to /login when no key
 *
 * - `requireRole(...levels)` is a fastify hook: use it as the route's `onRequest` so a caller without a
 *   valid key gets 401 before anything else (body parsing, validation); it also works as a preHandler.
 *   The caller passes if its key's role grants any
 *   listed level: 'viewer' is granted to viewer, finance, product and admin; 'finance' to finance and
 *   admin; 'product' to product and admin; 'ingest' to ingest and admin; 'admin' to admin only.
 * - The key comes from `Authorization: Bearer <key>`, or, for GET/HEAD only, from the HttpOnly
 *   SameSite=Strict cookie `rma_key` that POST /login sets (so a dashboard page and the fetches it
 *   makes to /api/dashboards/* work in a browser without headers).
 * - After it passes, `request.principal` is `{ name, role }`; `canSeeMoney(request)` tells a route
 *   whether to include cost columns.
 * - Inside a route, the store and write queue are `request.server.rma.store` / `.writes` (api/context.ts).
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { RmaError } from '../pipeline/errors.js';
import type { Principal, Role } from './keys.js';
import './context.js';

export type Access = 'viewer' | 'finance' | 'product' | 'ingest' | 'admin';

/** Which roles satisfy each access level. */
export const grants: Record<Access, readonly Role[]> = {
  viewer: ['viewer', 'finance', 'product', 'admin'],
  finance: ['finance', 'admin'],
  product: ['product', 'admin'],
  ingest: ['ingest', 'admin'],
  admin: ['admin'],
};

export const sessionCookie = 'rma_key';

export function allowedRoles(levels: readonly Access[]): Role[] {
  return [...new Set(levels.flatMap((l) => grants[l]))];
}

/** The key the caller presented: the bearer header, else (safe methods only) the session cookie. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    return m ? m[1] : undefined;
  }
  if (request.method === 'GET' || request.method === 'HEAD') {
    const cookie = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[sessionCookie];
    if (cookie) return cookie;
  }
  return undefined;
}

/** Verify the presented key; throws 401 RMA_ERR_UNAUTHORIZED when there is none or it is not valid. */
export async function authenticate(request: FastifyRequest): Promise<Principal> {
  if (request.principal) return request.principal;
  const key = presentedKey(request);
  if (!key) throw new RmaError('RMA_ERR_UNAUTHORIZED', 'an API key is required: send Authorization: Bearer <key> (create one with rma-intel keys create --role ROLE)');
  const principal = await request.server.rma.keys.verify(key);
  if (!principal) throw new RmaError('RMA_ERR_UNAUTHORIZED', 'the API key is not valid (unknown, malformed or revoked)');
  request.principal = principal;
  return principal;
}

function authorize(principal: Principal, levels: readonly Access[]): void {
  const allowed = allowedRoles(levels);
  if (!allowed.includes(principal.role)) {
    throw new RmaError('RMA_ERR_FORBIDDEN', `role '${principal.role}' cannot use this route; it needs one of: ${allowed.join(', ')}`, { role: principal.role, allowed });
  }
}

/** Route hook (onRequest) for API routes: 401 without a valid key, 403 when the key's role grants none of the levels. */
export function requireRole(...levels: Access[]): preHandlerAsyncHookHandler {
  const handler: preHandlerAsyncHookHandler = async function (request) {
    authorize(await authenticate(request), levels);
  };
  // Read by the OpenAPI builder to document who may call the route.
  (handler as unknown as { rmaAccess: Access[] }).rmaAccess = levels;
  return handler;
}

/** Route hook (onRequest) for HTML pages: like requireRole, but a browser without a valid key is sent to /login. */
export function requirePageRole(...levels: Access[]): preHandlerAsyncHookHandler {
  return async function (request: FastifyRequest, reply: FastifyReply) {
    let principal: Principal;
    try {
      principal = await authenticate(request);
    } catch (e) {
      if (e instanceof RmaError && e.code === 'RMA_ERR_UNAUTHORIZED') {
        const next = encodeURIComponent(request.url);
        await reply.redirect(`/login?next=${next}`, 303);
        return reply;
      }
      throw e;
    }
    authorize(principal, levels);
  };
}

/** Whether the caller may see money (cost columns, reserve). */
export function canSeeMoney(request: FastifyRequest): boolean {
  return !!request.principal && grants.finance.includes(request.principal.role);
}
