import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../auth.js';
import { routeSchema } from '../route-schema.js';
import { need } from '../services.js';
import { buildResult } from '../schemas/common.schema.js';

const body = z.object({ as_of: z.iso.date().optional().describe('analysis date (default today)') }).optional();

/**
 * POST /api/build: rebuild every model and evaluate alerts, inside the server (which owns the database).
 * Allowed for ingest and admin keys: whoever feeds data in is who asks for the models to catch up.
 */
export async function buildRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/api/build',
    {
      onRequest: requireRole('ingest'),
      schema: routeSchema({ summary: 'Rebuild every model and evaluate alerts', tags: ['pipeline'], access: ['ingest'], body, response: { 200: buildResult }, errors: [503] }),
    },
    async (request) => {
      const asOf = (request.body as { as_of?: string } | undefined)?.as_of;
      const { store, services, writes } = request.server.rma;
      const build = need(services, 'build');
      return writes.run(() => build(store, { asOf }));
    },
  );
}
