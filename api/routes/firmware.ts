import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../auth.js';
import { pageQuery } from '../pagination.js';
import { reportRows, sendReportPage } from '../report-rows.js';
import { routeSchema } from '../route-schema.js';
import { need } from '../services.js';
import { firmwareRow, gateResult } from '../schemas/report-rows.schema.js';

const version = z.string().min(1).max(100);
const listQuery = z.object({
  sku: z.string().max(200).optional(),
  min_exposure: z.coerce.number().min(0).optional().describe('minimum unit-days of exposure'),
  ...pageQuery,
});
const gateQuery = z.object({
  candidate: version.describe('release candidate firmware version'),
  baseline: version.optional().describe('baseline version (default: the current stable build)'),
  sku: z.string().max(200).optional(),
  as_of: z.iso.date().optional(),
});

export async function firmwareRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/firmware',
    {
      onRequest: requireRole('viewer'),
      schema: routeSchema({ summary: 'Firmware × failure-code cells (CONTRACT §7.2)', tags: ['firmware'], access: ['viewer'], querystring: listQuery, response: { 200: z.array(firmwareRow) }, tabular: true, errors: [406, 503] }),
    },
    async (request, reply) => {
      const q = request.query as z.infer<typeof listQuery>;
      let rows = await reportRows(request, 'firmware', { sku: q.sku });
      if (q.min_exposure !== undefined) rows = rows.filter((r) => Number(r.unit_days ?? 0) >= q.min_exposure!);
      return sendReportPage(request, reply, rows, { key: ['firmware_version', 'sku', 'failure_code'], schema: firmwareRow, cursor: q.cursor, limit: q.limit });
    },
  );

  // The release gate: 'go' | 'hold' | 'insufficient_evidence'; the HTTP status is 200 for every verdict.
  app.get(
    '/api/firmware/gate',
    {
      onRequest: requireRole('product'),
      schema: routeSchema({ summary: 'Firmware release gate verdict (CONTRACT §7.3)', tags: ['firmware'], access: ['product'], querystring: gateQuery, response: { 200: gateResult }, errors: [404, 503] }),
    },
    async (request) => {
      const q = request.query as z.infer<typeof gateQuery>;
      return need(request.server.rma.services, 'gate')(request.server.rma.store, { candidate: q.candidate, baseline: q.baseline, sku: q.sku, asOf: q.as_of });
    },
  );
}
