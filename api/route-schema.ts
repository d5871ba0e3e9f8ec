import { z } from 'zod';
import { allowedRoles, type Access } from './auth.js';
import { errorBodySchema } from './errors.js';
import { arrowMediaType } from './tabular.js';

type JsonSchema = Record<string, unknown>;

/** Strip what only validation needs (regex patterns, formats): response schemas only shape output. */
function forSerialization(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forSerialization);
  if (!schema || typeof schema !== 'object') return schema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$schema' || k === 'pattern' || k === 'format') continue;
    out[k] = forSerialization(v);
  }
  return out;
}

/** A zod schema as draft-07 JSON Schema for fastify (validation, serialization) and OpenAPI. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const js = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as JsonSchema;
  delete js.$schema;
  return io === 'output' ? (forSerialization(js) as JsonSchema) : js;
}

export interface RouteDoc {
  summary: string;
  description?: string;
  tags: string[];
  /** Who may call it (requireRole levels); none = public. */
  access?: Access[];
  params?: z.ZodObject;
  querystring?: z.ZodObject;
  body?: z.ZodType;
  /** The 2xx answers; objects are allow lists (unlisted keys never leave the server). */
  response: Record<number, z.ZodType>;
  /** Also answers text/csv and Arrow IPC by Accept. */
  tabular?: boolean;
  /** Error statuses the route can answer besides 401/403 (400 and 500 are always listed). */
  errors?: number[];
}

/** The fastify route schema (and so the OpenAPI operation) from zod definitions. */
export function routeSchema(doc: RouteDoc): Record<string, unknown> {
  const response: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(doc.response)) {
    const body = jsonSchema(schema, 'output');
    response[status] = doc.tabular
      ? {
          description: 'rows; JSON by default, CSV or Arrow IPC by Accept',
          content: {
            'application/json': { schema: body },
            'text/csv': { schema: { type: 'string', description: 'CSV with a header row; text starting with = + - @ is prefixed with a quote' } },
            [arrowMediaType]: { schema: { type: 'string', format: 'binary', description: 'Arrow IPC stream' } },
          },
        }
      : { description: 'success', ...body };
  }
  const errorStatuses = new Set([400, 500, ...(doc.access ? [401, 403, 429] : []), ...(doc.errors ?? [])]);
  for (const status of errorStatuses) response[status] = { description: 'error', ...errorBodySchema };
  const roles = doc.access ? allowedRoles(doc.access) : [];
  return {
    summary: doc.summary,
    description: [doc.description, doc.access ? `Roles: ${roles.join(', ')}.` : 'No key needed.'].filter(Boolean).join('\n\n'),
    tags: doc.tags,
    ...(doc.access ? { security: [{ bearerAuth: [] }] } : {}),
    ...(doc.params ? { params: jsonSchema(doc.params) } : {}),
    ...(doc.querystring ? { querystring: jsonSchema(doc.querystring) } : {}),
    ...(doc.body ? { body: jsonSchema(doc.body) } : {}),
    response,
  };
}
