import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiRoles } from '../../pipeline/schema/enums.js';
import { requireRole } from '../auth.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../keys.js';
import { routeSchema } from '../route-schema.js';
import { createdKey, keyInfo } from '../schemas/common.schema.js';

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, '1-64 letters, digits, ".", "_" or "-"');
const createBody = z.object({ role: z.enum(apiRoles), name: name.optional() });
const nameParams = z.object({ name });

/** Key management for admins: the same as `rma-intel keys create|revoke`, while the server holds the database. */
export async function keyRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/keys',
    { onRequest: requireRole('admin'), schema: routeSchema({ summary: 'List API keys (never their secrets)', tags: ['keys'], access: ['admin'], response: { 200: z.array(keyInfo) } }) },
    async (request) => listApiKeys(request.server.rma.store),
  );

  app.post(
    '/api/keys',
    {
      onRequest: requireRole('admin'),
      schema: routeSchema({ summary: 'Create an API key; the key is in this answer only', tags: ['keys'], access: ['admin'], body: createBody, response: { 201: createdKey }, errors: [409] }),
    },
    async (request, reply) => {
      const body = request.body as z.infer<typeof createBody>;
      const { store, writes } = request.server.rma;
      const created = await writes.run(() => createApiKey(store, body));
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/api/keys/:name/revoke',
    { onRequest: requireRole('admin'), schema: routeSchema({ summary: 'Revoke an API key', tags: ['keys'], access: ['admin'], params: nameParams, response: { 200: keyInfo }, errors: [404] }) },
    async (request) => {
      const { name: keyName } = request.params as z.infer<typeof nameParams>;
      const { store, writes, keys } = request.server.rma;
      const info = await writes.run(() => revokeApiKey(store, keyName));
      keys.forget();
      return info;
    },
  );
}
