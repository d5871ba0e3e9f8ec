import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { canSeeMoney, requireRole } from '../auth.js';
import { pageHeaders, pageQuery } from '../pagination.js';
import { cachedRmaPage } from '../rma-query.js';
import { routeSchema } from '../route-schema.js';
import { rmaRow } from '../schemas/rma-row.schema.js';
import { sendRows } from '../tabular.js';

const filter = z.string().min(1).max(200).optional();
const query = z.object({ batch_id: filter, firmware_version: filter, failure_code: filter, sku: filter, ...pageQuery });

export async function rmaRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/rmas',
    {
      onRequest: requireRole('viewer'),
      schema: routeSchema({
        summary: 'Drill-down to RMA lines with their lineage',
        description: 'Keyset-paged on rma_key: follow X-Next-Cursor (or the Link rel="next" header). failure_code matches the verified code, else the stated one. Cost columns only for finance and admin keys.',
        tags: ['quality'],
        access: ['viewer'],
        querystring: query,
        response: { 200: z.array(rmaRow) },
        tabular: true,
        errors: [406],
      }),
    },
    async (request, reply) => {
      const q = request.query as z.infer<typeof query>;
      const money = canSeeMoney(request);
      const page = await cachedRmaPage(request.server.rma, { ...q, money });
      reply.headers(pageHeaders(request.url, page.next));
      const columns = Object.keys(page.rows[0] ?? Object.fromEntries(Object.keys(rmaRow.shape).map((k) => [k, null])));
      return sendRows(request, reply, page.rows, columns);
    },
  );
}
