import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { exportableTables, writeTableParquet } from '../../ingest/export.js';
import { RmaError } from '../../pipeline/errors.js';
import { requireRole } from '../auth.js';
import { routeSchema } from '../route-schema.js';

const parquetMediaType = 'application/vnd.apache.parquet';
const exportable = z.object({
  table: z.string().describe('`rma`, `units`, … or `models.<name>` for a table of the last build'),
  month_from: z.string().nullable().describe('the date column `rma-intel export` partitions by month'),
});
const tableParams = z.object({ table: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)?$/, 'a table name as listed by GET /api/export').max(100) });

/**
 * What `rma-intel export` writes, for clients of a running server: the list of tables, and each table as
 * one Parquet file (the CLI partitions by month; one file is what an HTTP download can carry). Whole tables
 * hold money and lineage, so admins only; API key hashes are never exportable.
 */
export async function exportRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/export',
    { onRequest: requireRole('admin'), schema: routeSchema({ summary: 'Tables that can be exported as Parquet', tags: ['export'], access: ['admin'], response: { 200: z.array(exportable) } }) },
    async (request) => (await exportableTables(request.server.rma.store)).map(({ table, month_from }) => ({ table, month_from })),
  );

  app.get(
    '/api/export/:table',
    {
      onRequest: requireRole('admin'),
      schema: routeSchema({
        summary: 'One table as a Parquet file',
        description: `Answers \`${parquetMediaType}\`; reads back in DuckDB with \`read_parquet\`, pandas, Arrow or Spark.`,
        tags: ['export'],
        access: ['admin'],
        params: tableParams,
        response: { 200: z.string().describe('Parquet file') },
        errors: [404],
      }),
    },
    async (request, reply) => {
      const { table } = request.params as z.infer<typeof tableParams>;
      const { store } = request.server.rma;
      const found = (await exportableTables(store)).find((t) => t.table === table);
      if (!found) throw new RmaError('RMA_ERR_NOT_FOUND', `no exportable table '${table}' (GET /api/export lists them)`, { table });
      const dir = await mkdtemp(join(tmpdir(), 'rma-export-'));
      const file = join(dir, 'data.parquet');
      try {
        await writeTableParquet(store, found, file, false);
      } catch (e) {
        await rm(dir, { recursive: true, force: true });
        throw e;
      }
      const stream = createReadStream(file);
      stream.once('close', () => void rm(dir, { recursive: true, force: true }));
      return reply
        .type(parquetMediaType)
        .header('content-disposition', `attachment; filename="${table}.parquet"`)
        .send(stream);
    },
  );
}
