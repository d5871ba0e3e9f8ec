import type { FastifyReply, FastifyRequest } from 'fastify';
import { RmaError } from '../pipeline/errors.js';
import { toArrowIpc, toCsv } from '../pipeline/export-formats.js';

/** Tabular routes answer JSON, CSV or Arrow IPC by Accept (CONTRACT §5); the encoders are the CLI's (pipeline/export-formats.ts). */
export type TabularFormat = 'json' | 'csv' | 'arrow';
export const arrowMediaType = 'application/vnd.apache.arrow.stream';
export const tabularMediaTypes = ['application/json', 'text/csv', arrowMediaType] as const;

const byMediaType: Record<string, TabularFormat> = {
  'application/json': 'json',
  'application/*': 'json',
  '*/*': 'json',
  'text/csv': 'csv',
  'text/*': 'csv',
  [arrowMediaType]: 'arrow',
};

/** The best format the Accept header allows (by q-value, then order); 406 when it allows none. */
export function negotiate(accept: string | undefined): TabularFormat {
  if (!accept || !accept.trim()) return 'json';
  const ranges = accept.split(',').map((part, index) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    return { type: type.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
  });
  const usable = ranges.filter((r) => r.quality > 0 && byMediaType[r.type]).sort((a, b) => b.quality - a.quality || a.index - b.index);
  if (!usable.length) throw Object.assign(new RmaError('RMA_ERR_USAGE', `cannot answer in ${accept}; ask for ${tabularMediaTypes.join(', ')}`), { statusCode: 406 });
  return byMediaType[usable[0].type];
}

/** Send rows in the negotiated format, keeping only the allowed columns (the response allow list). */
export async function sendRows(request: FastifyRequest, reply: FastifyReply, rows: Record<string, unknown>[], columns: readonly string[]): Promise<FastifyReply> {
  const format = negotiate(request.headers.accept);
  reply.header('vary', 'Accept');
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(rows, columns));
  if (format === 'arrow') return reply.type(arrowMediaType).send(Buffer.from(toArrowIpc(rows, columns)));
  return reply.type('application/json; charset=utf-8').send(rows);
}
