import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RmaError } from '../../pipeline/errors.js';
import { queryRows } from '../../pipeline/store.js';
import { canSeeMoney, requireRole } from '../auth.js';
import { pageHeaders, pageQuery } from '../pagination.js';
import { reportRows, sendReportPage } from '../report-rows.js';
import { cachedRmaPage } from '../rma-query.js';
import { routeSchema } from '../route-schema.js';
import { batchRow } from '../schemas/report-rows.schema.js';
import { rmaRow } from '../schemas/rma-row.schema.js';

const listQuery = z.object({
  sku: z.string().max(200).optional(),
  status: batchRow.shape.status.unwrap().unwrap().optional(),
  ...pageQuery,
});
const batchParams = z.object({ batch_id: z.string().min(1).max(200) });
const curvePoint = z.object({
  age_months: z.number().int().describe('whole months from shipment to the claim'),
  returns: z.number().int(),
  cumulative_returns: z.number().int(),
  cumulative_rate: z.number().nullable().describe('cumulative returns / units shipped'),
});
const batchDetail = z.object({
  batch: batchRow,
  rmas: z.array(rmaRow),
  next_cursor: z.string().nullable().describe('cursor for the next page of rmas'),
  time_to_return: z.array(curvePoint),
});

/**
 * Returns by age (whole months from the unit's shipment to the claim) and their cumulative share of the
 * batch's units shipped, as the batch row counts them: the lines of the last build (models.stg_rma:
 * opened by its date, cross-source duplicates dropped) with the registry's ship date resolved on each line,
 * so no request joins the claims to the unit registry. Aggregated in SQL; $2 = the batch row's units_shipped.
 */
const curveSql = `
  WITH ages AS (
    SELECT CAST(date_diff('month', shipped_on, opened_on) AS INTEGER) AS age_months, count(*) AS returns
    FROM models.stg_rma
    WHERE batch_id = $1 AND opened_on >= shipped_on
    GROUP BY 1
  )
  SELECT age_months,
         returns,
         CAST(sum(returns) OVER (ORDER BY age_months) AS BIGINT) AS cumulative_returns,
         sum(returns) OVER (ORDER BY age_months) / nullif($2::DOUBLE, 0) AS cumulative_rate
  FROM ages
  ORDER BY age_months`;

export async function batchRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/batches',
    {
      onRequest: requireRole('viewer'),
      schema: routeSchema({ summary: 'Batch quality rows (CONTRACT §7.1)', tags: ['quality'], access: ['viewer'], querystring: listQuery, response: { 200: z.array(batchRow) }, tabular: true, errors: [406, 503] }),
    },
    async (request, reply) => {
      const q = request.query as z.infer<typeof listQuery>;
      const rows = await reportRows(request, 'batches', { sku: q.sku, status: q.status });
      return sendReportPage(request, reply, rows, { key: ['batch_id'], schema: batchRow, cursor: q.cursor, limit: q.limit });
    },
  );

  app.get(
    '/api/batches/:batch_id',
    {
      onRequest: requireRole('viewer'),
      schema: routeSchema({
        summary: 'One batch with its RMAs (paged) and its time-to-return curve',
        tags: ['quality'],
        access: ['viewer'],
        params: batchParams,
        querystring: z.object(pageQuery),
        response: { 200: batchDetail },
        errors: [404, 503],
      }),
    },
    async (request, reply) => {
      const { batch_id } = request.params as z.infer<typeof batchParams>;
      const q = request.query as { cursor?: string; limit: number };
      const [batch] = await reportRows(request, 'batches', { batch_id });
      if (!batch) throw new RmaError('RMA_ERR_NOT_FOUND', `no batch '${batch_id}' in the batch report (rebuild after ingesting it)`, { batch_id });
      const rmas = await cachedRmaPage(request.server.rma, { batch_id, cursor: q.cursor, limit: q.limit, money: canSeeMoney(request) });
      const curve = await request.server.rma.store.withConnection((conn) => queryRows(conn, curveSql, [batch_id, (batch.units_shipped as number | null) ?? null]));
      reply.headers(pageHeaders(request.url, rmas.next));
      return { batch, rmas: rmas.rows, next_cursor: rmas.next ?? null, time_to_return: curve };
    },
  );
}
