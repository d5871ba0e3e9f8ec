import type { FastifyInstance } from 'fastify';
import type { DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { queryRows } from '../../pipeline/store.js';
import { requireRole } from '../auth.js';
import { decodeCursor, encodeCursor, pageHeaders, pageQuery } from '../pagination.js';
import { routeSchema } from '../route-schema.js';
import { quarantineRow } from '../schemas/common.schema.js';
import { sendRows } from '../tabular.js';

const query = z.object({ run: z.string().min(1).max(200).optional().describe('ingest run id'), ...pageQuery });

/** Rejected rows hold whole raw source rows (money, personal data): operators only (ingest, admin). */
export async function quarantineRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/quarantine',
    {
      onRequest: requireRole('ingest'),
      schema: routeSchema({ summary: 'Rejected rows with every problem found', tags: ['ingest'], access: ['ingest'], querystring: query, response: { 200: z.array(quarantineRow) }, tabular: true, errors: [406] }),
    },
    async (request, reply) => {
      const q = request.query as z.infer<typeof query>;
      const params: DuckDBValue[] = [];
      const where: string[] = [];
      if (q.run) {
        params.push(q.run);
        where.push(`run_id = $${params.length}`);
      }
      const after = decodeCursor(q.cursor, 2);
      if (after) {
        params.push(String(after[0]), Number(after[1]));
        where.push(`(run_id > $${params.length - 1} OR (run_id = $${params.length - 1} AND row_number > $${params.length}))`);
      }
      params.push(q.limit + 1);
      const sql = `SELECT ${Object.keys(quarantineRow.shape).join(', ')} FROM quarantine ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY run_id, row_number LIMIT $${params.length}`;
      const rows = await request.server.rma.store.withConnection((conn) => queryRows(conn, sql, params));
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      reply.headers(pageHeaders(request.url, rows.length > q.limit && last ? encodeCursor([last.run_id as string, last.row_number as number]) : undefined));
      return sendRows(request, reply, page, Object.keys(quarantineRow.shape));
    },
  );
}
