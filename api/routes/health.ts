import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { assetPath } from '../../pipeline/paths.js';
import { routeSchema } from '../route-schema.js';
import { health } from '../schemas/common.schema.js';

export const packageVersion = (): string => (JSON.parse(readFileSync(assetPath('package.json'), 'utf8')) as { version: string }).version;

/** GET /healthz: public liveness, and whether the database answers. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { schema: routeSchema({ summary: 'Liveness and database check', tags: ['system'], response: { 200: health } }) }, async () => {
    const db = await app.rma.store
      .withConnection(async (conn) => {
        await conn.run('SELECT 1');
        return 'ok' as const;
      })
      .catch(() => 'unavailable' as const);
    return { status: db === 'ok' ? 'ok' : 'degraded', db, version: app.rma.version };
  });
}
