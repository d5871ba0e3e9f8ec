import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RmaError } from '../../pipeline/errors.js';
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
      schema: routeSchema({ summary: 'Acknowledge an alert', tags: ['alerts'], access: ['product', 'finance'], params: ackParams, body: ackBody, response: { 200: ackResult }, errors: [404, 503] }),
    },
    async (request) => {
      const { id } = request.params as z.infer<typeof ackParams>;
      const note = (request.body as { note?: string } | undefined)?.note;
      const { store, services, writes } = request.server.rma;
      const list = need(services, 'listAlerts');
      const ack = need(services, 'acknowledgeAlert');
      const all = await list(store, { state: 'all' });
      const existing = all.find((a) => String(a.id) === id);
      if (!existing) throw new RmaError('RMA_ERR_NOT_FOUND', `no alert with id '${id}'`, { id });
      await writes.run(() => ack(store, typeof existing.id === 'number' ? existing.id : id, note));
      const after = (await list(store, { state: 'all' })).find((a) => String(a.id) === id) ?? null;
      return { acknowledged: true, alert: after };
    },
  );
}
