import type { FastifyInstance, FastifyReply } from 'fastify';
import { RmaError } from '../../pipeline/errors.js';
import { sessionCookie } from '../auth.js';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Only same-site paths: an absolute or protocol-relative `next` would be an open redirect. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/dashboards/';
}

function page(next: string, message?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rma-intel — sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}input{width:100%;padding:.5rem;margin:.5rem 0;box-sizing:border-box}.error{color:#b00020}</style>
</head><body>
<h1>rma-intel</h1>
<p>Paste an API key (<code>rma-intel keys create --role viewer</code>).</p>
${message ? `<p class="error">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label>API key <input type="password" name="key" autocomplete="off" required></label>
<button type="submit">Sign in</button>
</form>
</body></html>`;
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/**
 * GET /login shows a form; POST /login checks the key and keeps it in an HttpOnly, SameSite=Strict cookie
 * that dashboard pages (GET only) accept instead of the Authorization header. POST /logout clears it.
 */
export async function loginRoutes(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/login', { schema: { hide: true } }, async (request, reply) => html(reply, 200, page(safeNext((request.query as Record<string, unknown>).next))));

  app.post('/login', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const key = typeof body.key === 'string' ? body.key.trim() : '';
    const principal = key ? await app.rma.keys.verify(key) : null;
    if (!principal) return html(reply, 401, page(next, new RmaError('RMA_ERR_UNAUTHORIZED', 'That key is not valid.').message));
    reply.setCookie(sessionCookie, key, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', maxAge: 12 * 3600 });
    return reply.redirect(next, 303);
  });

  app.post('/logout', { schema: { hide: true } }, async (_request, reply) => {
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.redirect('/login', 303);
  });
}
