import type { FastifyError, FastifyInstance } from 'fastify';
import { RmaError, errorCatalogue, type ErrorCode } from '../pipeline/errors.js';

/** The one error shape every route answers: `{ error: { code, message, details } }` (CONTRACT §5). */
export const errorBodySchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: Object.keys(errorCatalogue) },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
      required: ['code', 'message', 'details'],
    },
  },
  required: ['error'],
} as const;

const byStatus: Record<number, ErrorCode> = {
  400: 'RMA_ERR_USAGE',
  401: 'RMA_ERR_UNAUTHORIZED',
  403: 'RMA_ERR_FORBIDDEN',
  404: 'RMA_ERR_NOT_FOUND',
  409: 'RMA_ERR_CONFLICT',
  413: 'RMA_ERR_PAYLOAD_TOO_LARGE',
  429: 'RMA_ERR_RATE_LIMITED',
};

/** Map anything thrown in a route to the error shape; caller mistakes are 4xx, never 5xx. */
export function toRmaError(err: unknown): RmaError {
  if (err instanceof RmaError) return err;
  const e = err as FastifyError & { validation?: unknown[]; validationContext?: string };
  if (e.validation) {
    const where = e.validationContext ?? 'request';
    return new RmaError('RMA_ERR_USAGE', `invalid ${where}: ${e.message}`, { in: where, issues: e.validation });
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = byStatus[status] ?? 'RMA_ERR_USAGE';
    return new RmaError(code, e.message || errorCatalogue[code].title, { status, fastify_code: e.code });
  }
  return new RmaError('RMA_ERR_INTERNAL', 'internal error; the server log has the details');
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const rma = toRmaError(err);
    if (rma.code === 'RMA_ERR_INTERNAL' || rma.httpStatus >= 500) request.log.error({ err }, 'request failed');
    const status = (err as { statusCode?: number }).statusCode;
    // Keep fastify's own 4xx status (415, 406 …) even when the catalogue groups it under a broader code.
    const httpStatus = status && status >= 400 && status < 500 ? status : rma.httpStatus;
    void reply.code(httpStatus).type('application/json; charset=utf-8').send(JSON.stringify(rma.toJSON(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  });
  app.setNotFoundHandler((request, reply) => {
    const err = new RmaError('RMA_ERR_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    void reply.code(404).type('application/json; charset=utf-8').send(JSON.stringify(err.toJSON()));
  });
}
