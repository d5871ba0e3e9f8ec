import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RmaError } from '../../pipeline/errors.js';
import { moneyColumns, reportDefinitions, reportNames } from '../../pipeline/report.js';
import { canSeeMoney, requireRole } from '../auth.js';
import { pageQuery } from '../pagination.js';
import { reportRows, sendReportPage } from '../report-rows.js';
import { routeSchema } from '../route-schema.js';
import { reportRowSchemas } from '../schemas/report-rows.schema.js';

const params = z.object({ name: z.enum(reportNames) });
const filterValue = z.string().max(200).optional();
const date = z.iso.date().optional();
const query = z.object({
  sku: filterValue,
  batch_id: filterValue,
  firmware_version: filterValue,
  failure_code: filterValue,
  dealer_id: filterValue,
  status: filterValue,
  supplier: filterValue,
  level: filterValue,
  subject_id: filterValue,
  from: date,
  to: date,
  ...pageQuery,
});

const financeOnly = reportNames.filter((n) => reportDefinitions[n].role === 'finance');

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/reports/:name',
    {
      onRequest: requireRole('viewer'),
      schema: routeSchema({
        summary: 'Any report of the CLI (CONTRACT §4)',
        description: [
          `Reports ${financeOnly.join(' and ')} need a finance or admin key; in the others, money columns are left out for other roles.`,
          'Filters are equality on a column the report has; from / to (YYYY-MM-DD) apply to its date column. A filter the report does not have is a 400 that lists the usable ones.',
          ...reportNames.map((n) => `- **${n}**: ${reportDefinitions[n].description}`),
        ].join('\n\n'),
        tags: ['reports'],
        access: ['viewer'],
        params,
        querystring: query,
        response: { 200: z.array(z.record(z.string(), z.unknown())) },
        tabular: true,
        errors: [404, 406, 503],
      }),
    },
    async (request, reply) => {
      const { name } = request.params as z.infer<typeof params>;
      const def = reportDefinitions[name];
      const money = canSeeMoney(request);
      if (def.role === 'finance' && !money) {
        throw new RmaError('RMA_ERR_FORBIDDEN', `report '${name}' shows money; it needs a finance or admin key`, { role: request.principal?.role, report: name });
      }
      const { cursor, limit, ...filters } = request.query as z.infer<typeof query>;
      const rows = await reportRows(request, name, filters);
      const hidden = new Set(money ? [] : moneyColumns(name));
      return sendReportPage(request, reply, rows, { key: def.grain, schema: reportRowSchemas[name], cursor, limit, hide: hidden.size ? (c) => hidden.has(c) : undefined });
    },
  );
}
