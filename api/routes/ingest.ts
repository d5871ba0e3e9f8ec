import { mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RmaError } from '../../pipeline/errors.js';
import { requireRole } from '../auth.js';
import { routeSchema } from '../route-schema.js';
import { need } from '../services.js';
import { ingestResult } from '../schemas/common.schema.js';

/** A client's file name reduced to a safe base name: no directories, no traversal, no control characters. */
export function safeFileName(name: string | undefined, index: number): string {
  const base = basename(String(name ?? '').replaceAll('\\', '/')).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return `${String(index).padStart(3, '0')}-${base.slice(-120) || 'upload'}`;
}

const fields = z.object({
  format: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(),
  source: z.string().min(1).max(100).optional(),
  company: z.string().max(100).optional(),
});

/**
 * POST /api/ingest: multipart upload of one or more files (parts named `file`), with optional fields
 * `format`, `source`, `company`, and a `mapping` file part — the same as `rma-intel ingest`.
 */
export async function ingestRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/api/ingest',
    {
      onRequest: requireRole('ingest'),
      schema: routeSchema({
        summary: 'Upload files to ingest (multipart/form-data)',
        description: 'Parts: one or more `file` parts; optional text fields `format` (default auto), `source`, `company`; optional `mapping` file part. Same formats as the CLI.',
        tags: ['ingest'],
        access: ['ingest'],
        response: { 200: ingestResult },
        errors: [413, 415, 422, 503],
      }),
    },
    async (request) => {
      if (!request.isMultipart()) throw Object.assign(new RmaError('RMA_ERR_USAGE', 'send the files as multipart/form-data (parts named file)'), { statusCode: 415 });
      const { store, services, writes } = request.server.rma;
      const ingest = need(services, 'ingest');
      const dir = await mkdtemp(join(tmpdir(), 'rma-upload-'));
      try {
        const files: { path: string; name: string }[] = [];
        const values: Record<string, string> = {};
        let mapping: string | undefined;
        let index = 0;
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            const path = join(dir, safeFileName(part.filename, index++));
            await pipeline(part.file, createWriteStream(path));
            if (part.fieldname === 'mapping') mapping = path;
            else files.push({ path, name: basename(part.filename ?? 'upload') });
          } else if (typeof part.value === 'string') {
            values[part.fieldname] = part.value;
          }
        }
        if (!files.length) throw new RmaError('RMA_ERR_USAGE', 'no file parts in the upload; send at least one part named file');
        const parsed = fields.safeParse(values);
        if (!parsed.success) throw new RmaError('RMA_ERR_USAGE', `invalid upload fields: ${z.prettifyError(parsed.error)}`, { issues: z.flattenError(parsed.error).fieldErrors });
        const options = { ...parsed.data, ...(parsed.data.format === 'auto' ? { format: undefined } : {}), mapping };
        const result = await writes.run(() => ingest(store, files.map((f) => f.path), options));
        // Answer with the names the client sent, not the server's temporary paths.
        const names = new Map(files.map((f) => [f.path, f.name]));
        return { ...result, files: result.files.map((f) => ({ ...f, path: names.get(f.path) ?? basename(f.path) })) };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
}
