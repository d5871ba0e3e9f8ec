import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RmaError } from '../../pipeline/errors.js';
import { queryRows } from '../../pipeline/store.js';
import { requireRole } from '../auth.js';
import { routeSchema } from '../route-schema.js';
import { need } from '../services.js';
import { intakeResult } from '../schemas/common.schema.js';
import { signatureHeader, verifySignature } from '../signature.js';

export const intakeFormats = ['shopify-returns', 'loop-returns', 'aftership-returns', 'canonical-json'] as const;
const params = z.object({ format: z.enum(intakeFormats) });
export const payloadIdHeader = 'x-rma-payload-id';

/**
 * The payload's own id, which makes a replayed webhook harmless: the x-rma-payload-id header, else the
 * body's id (top level, or under data / return), else the SHA-256 of the body (an identical body is
 * the same payload).
 */
export function payloadId(body: unknown, raw: Buffer, header: string | undefined): string {
  if (header && header.trim()) return header.trim().slice(0, 200);
  const pick = (o: unknown): string | undefined => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
    const v = (o as Record<string, unknown>).id ?? (o as Record<string, unknown>).payload_id;
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  };
  const b = body as Record<string, unknown> | undefined;
  return (pick(b) ?? pick(b?.data) ?? pick(b?.return) ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`).slice(0, 200);
}

/** Parse the verified body: JSON, or NDJSON for canonical-json. Unparseable bodies are 400, never 500. */
function parseBody(raw: Buffer, format: string): unknown {
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    if (format === 'canonical-json') {
      try {
        return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
      } catch {
        // fall through
      }
    }
    throw new RmaError('RMA_ERR_INPUT', `intake body is not valid JSON${format === 'canonical-json' ? ' or NDJSON' : ''}`);
  }
}

export async function intakeRoutes(app: FastifyInstance): Promise<void> {
  // The signature covers the exact bytes sent, so this scope keeps bodies raw.
  app.addContentTypeParser(['application/json', 'application/x-ndjson', 'text/plain'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/api/intake/:format',
    {
      onRequest: requireRole('ingest'),
      schema: routeSchema({
        summary: 'A returns-portal webhook, HMAC-signed',
        description: [
          `Header \`${signatureHeader}: t=<unix seconds>,v1=<hex>\` where v1 = HMAC-SHA256(RMA_INTEL_WEBHOOK_SECRET, t + "." + raw body); the timestamp must be within 5 minutes of the server clock.`,
          `Idempotent on the payload id (header \`${payloadIdHeader}\`, else the body's id, else the body's SHA-256): a replay answers duplicate=true and ingests nothing.`,
        ].join('\n\n'),
        tags: ['ingest'],
        access: ['ingest'],
        params,
        response: { 200: intakeResult },
        errors: [413, 415, 422, 503],
      }),
    },
    async (request) => {
      const { format } = request.params as z.infer<typeof params>;
      const { store, services, writes, webhookSecret, now } = request.server.rma;
      if (!webhookSecret) throw new RmaError('RMA_ERR_NOT_AVAILABLE', 'webhook intake is off: set RMA_INTEL_WEBHOOK_SECRET on the server');
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const sig = request.headers[signatureHeader];
      verifySignature(webhookSecret, Array.isArray(sig) ? sig[0] : sig, raw, now());
      const body = parseBody(raw, format);
      const header = request.headers[payloadIdHeader];
      const id = payloadId(body, raw, Array.isArray(header) ? header[0] : header);
      const ingest = need(services, 'ingest');
      // Check-then-ingest runs inside the write queue, so two deliveries of one payload cannot both land.
      return writes.run(async () => {
        const seen = await store.withConnection((conn) =>
          queryRows<{ run_id: string | null; received_at: string }>(conn, 'SELECT run_id, received_at FROM intake_events WHERE format = $1 AND payload_id = $2', [format, id]),
        );
        if (seen[0]) return { format, payload_id: id, duplicate: true, run_id: seen[0].run_id, received_at: seen[0].received_at, totals: null };
        const dir = await mkdtemp(join(tmpdir(), 'rma-intake-'));
        try {
          const file = join(dir, `${format}-${createHash('sha256').update(id).digest('hex').slice(0, 16)}.json`);
          await writeFile(file, raw);
          const result = await ingest(store, [file], { format });
          const [event] = await store.withConnection((conn) =>
            queryRows<{ received_at: string }>(conn, 'INSERT INTO intake_events (format, payload_id, received_at, run_id) VALUES ($1, $2, now(), $3) RETURNING received_at', [format, id, result.run_id]),
          );
          return { format, payload_id: id, duplicate: false, run_id: result.run_id, received_at: event.received_at, totals: result.totals };
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    },
  );
}
