import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../auth.js';
import { pageQuery } from '../pagination.js';
import { sendReportPage } from '../report-rows.js';
import { routeSchema } from '../route-schema.js';
import { need } from '../services.js';
import { alertRow } from '../schemas/report-rows.schema.js';

const listQuery = z.object({ state: z.enum(['open', 'acknowledged', 'resolved', 'all']).default('open'), ...pageQuery });
const ackParams = z.object({ id: z.string().min(1).max(200) });
const ackBody = z.object({ note: z.string().max(2000).optional() }).optional();
const ackResult = z.object({ acknowledged: z.boolean(), alert: alertRow.nullable() });

export async function alertRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/alerts',
    {
      onRequest: requireRole('viewer'),
      schema: routeSchema({ summary: 'Alerts (CONTRACT §7.5)', tags: ['alerts'], access: ['viewer'], querystring: listQuery, response: { 200: z.array(alertRow) }, tabular: true, errors: [406, 503] }),
    },
    async (request, reply) => {
      const q = request.query as z.infer<typeof listQuery>;
      const rows = await need(request.server.rma.services, 'listAlerts')(request.server.rma.store, { state: q.state });
      return sendReportPage(request, reply, rows, { key: ['id'], schema: alertRow, cursor: q.cursor, limit: q.limit });
    },
  );

  app.post(
    '/api/alerts/:id/ack',
    {
      onRequest: requireRole('product', 'finance'),
      schema: routeSchema({ summary: 'Acknowledge an alert', tags: ['alerts'], access: ['product', 'finance'], params: ackParams, body: ackBody, response: { 200: ackResult }, errors: [404, 409, 503] }),
    },
    async (request) => {
      const { id } = request.params as z.infer<typeof ackParams>;
      const note = (request.body as { note?: string } | undefined)?.note;
      const { store, services, writes } = request.server.rma;
      const ack = need(services, 'acknowledgeAlert');
      // 404 for an unknown id, 409 for a resolved alert (pipeline/alerts).
      const after = (await writes.run(() => ack(store, id, note))) as Record<string, unknown> | null;
      return { acknowledged: true, alert: after };
    },
  );
}
