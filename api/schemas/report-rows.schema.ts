import { z } from 'zod';
import { batchRow, firmwareRow, reserveRow } from '../../pipeline/schema/report-rows.js';

export { alertRow, batchRow, firmwareRow, reserveRow, type AlertRow, type BatchRow, type FirmwareRow, type ReserveRow } from '../../pipeline/schema/report-rows.js';

/** Response allow lists beyond the report rows of pipeline/schema/report-rows.ts: a column not listed here never leaves the server. */
const num = z.number().nullable().optional();
const int = z.number().int().nullable().optional();
const text = z.string().nullable().optional();

const gateStats = z.object({ returns: num, unit_days: num, rate: num });
export const gateResult = z.object({
  candidate: z.string(),
  baseline: text,
  sku: text,
  verdict: z.enum(['go', 'hold', 'insufficient_evidence']),
  candidate_stats: gateStats,
  baseline_stats: gateStats,
  rate_ratio: num,
  p_value: num,
  q_value: num,
  all_cause_regression: z.boolean().optional(),
  sprt: z.record(z.string(), z.unknown()),
  reasons: z.array(z.string()),
  failure_codes: z
    .array(z.object({ failure_code: z.string(), candidate_returns: num, candidate_rate: num, baseline_returns: num, baseline_rate: num, rate_ratio: num, p_value: num, q_value: num, regression: z.boolean() }))
    .optional(),
  baseline_builds: z.array(z.string()).optional(),
  as_of: text,
  unmatched_candidate_returns: int,
});
export type GateResult = z.infer<typeof gateResult>;

/** Row schemas of the reports whose shape the contract fixes; the others are documented as open objects. */
export const reportRowSchemas: Partial<Record<string, z.ZodObject>> = {
  batches: batchRow,
  firmware: firmwareRow,
  reserve: reserveRow,
};
