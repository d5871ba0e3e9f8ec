import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Row } from '../pipeline/store.js';
import { pageHeaders, pageOf } from './pagination.js';
import { need } from './services.js';
import { sendRows } from './tabular.js';

/**
 * Rows of a named report (pipeline/report.ts) with the caller's filters. The filters are also applied
 * to the rows here, so a filter the report does not know still narrows the answer.
 */
export async function reportRows(request: FastifyRequest, name: string, filters: Record<string, string | number | undefined>): Promise<Row[]> {
  const { store, services } = request.server.rma;
  const given = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== ''));
  // services.report reads through the server's report cache (api/app.ts).
  const rows = await need(services, 'report')(store, name, given);
  const exact = Object.entries(given).filter(([k]) => rows.length && k in rows[0]);
  return exact.length ? rows.filter((r) => exact.every(([k, v]) => String(r[k]) === String(v))) : rows;
}

/** Send one page of report rows: allow-listed columns, negotiated format, next-page headers. */
export async function sendReportPage(
  request: FastifyRequest,
  reply: FastifyReply,
  rows: Row[],
  options: { key: readonly string[]; schema?: z.ZodObject; cursor?: string; limit: number; hide?: (column: string) => boolean },
): Promise<FastifyReply> {
  const page = pageOf(rows, options.key, options.cursor, options.limit);
  reply.headers(pageHeaders(request.url, page.next));
  const all = options.schema ? Object.keys(options.schema.shape) : [...new Set(page.rows.flatMap((r) => Object.keys(r)))];
  const columns = options.hide ? all.filter((c) => !options.hide!(c)) : all;
  // JSON answers go through the route's serializer; for open-shaped reports the allow list is applied here.
  if (!options.schema || options.hide) page.rows = page.rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])));
  return sendRows(request, reply, page.rows, columns);
}
