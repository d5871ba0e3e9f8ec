import { z } from 'zod';
import { rowSchema } from '../../pipeline/schema/define.js';
import { quarantineTable } from '../../pipeline/schema/tables.js';

export const health = z.object({
  status: z.enum(['ok', 'degraded']),
  db: z.enum(['ok', 'unavailable']),
  version: z.string(),
});

export const quarantineRow = rowSchema(quarantineTable);

export const ingestTotals = z.object({ rows_read: z.number(), inserted: z.number(), updated: z.number(), unchanged: z.number(), quarantined: z.number() });
export const ingestResult = z.object({
  run_id: z.string(),
  files: z.array(z.object({ path: z.string(), format: z.string(), rows_read: z.number(), inserted: z.number(), updated: z.number(), unchanged: z.number(), quarantined: z.number() })),
  totals: ingestTotals,
});

export const intakeResult = z.object({
  format: z.string(),
  payload_id: z.string(),
  duplicate: z.boolean().describe('true when this payload id was already received; nothing was ingested again'),
  run_id: z.string().nullable(),
  received_at: z.string(),
  totals: ingestTotals.nullable(),
});

export const buildResult = z.object({
  as_of: z.string(),
  models: z.array(z.object({ name: z.string(), rows: z.number(), ms: z.number() })),
  alerts: z.object({ opened: z.number(), resolved: z.number(), open: z.number() }),
});

export const keyInfo = z.object({
  name: z.string(),
  key_id: z.string(),
  role: z.string(),
  created_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export const createdKey = z.object({ name: z.string(), role: z.string(), key: z.string().describe('shown only once') });
