import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../auth.js';
import { pageQuery } from '../pagination.js';
import { reportRows, sendReportPage } from '../report-rows.js';
import { routeSchema } from '../route-schema.js';
import { reserveRow } from '../schemas/report-rows.schema.js';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/, 'YYYY-MM or YYYY-MM-DD');

/** 'YYYY-MM' → the first (from) or last (to) day of that month; a full date stays as it is. */
function day(value: string | undefined, end: boolean): string | undefined {
  if (!value || value.length === 10) return value;
  const [y, m] = value.split('-').map(Number);
  return end ? new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) : `${value}-01`;
}
const query = z.object({ sku: z.string().max(200).optional(), from: month.optional(), to: month.optional(), ...pageQuery });

export async function reserveRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/reserve',
    {
      onRequest: requireRole('finance'),
      schema: routeSchema({ summary: 'Service-reserve ledger and forecast (CONTRACT §7.4)', tags: ['finance'], access: ['finance'], querystring: query, response: { 200: z.array(reserveRow) }, tabular: true, errors: [406, 503] }),
    },
    async (request, reply) => {
      const q = request.query as z.infer<typeof query>;
      const rows = await reportRows(request, 'reserve', { sku: q.sku, from: day(q.from, false), to: day(q.to, true) });
      return sendReportPage(request, reply, rows, { key: ['month', 'sku'], schema: reserveRow, cursor: q.cursor, limit: q.limit });
    },
  );
}
