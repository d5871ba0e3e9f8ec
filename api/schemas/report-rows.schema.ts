import { z } from 'zod';

/** Report rows (CONTRACT §7) as response allow lists: a column not listed here never leaves the server. */
const num = z.number().nullable().optional();
const int = z.number().int().nullable().optional();
const text = z.string().nullable().optional();

export const batchRow = z.object({
  batch_id: z.string(),
  sku: text,
  units_shipped: int,
  unit_days: num,
  returns: int,
  confirmed_defects: int,
  pending: int,
  no_trouble_found: int,
  defect_rate: num,
  ci_low: num,
  ci_high: num,
  projected_rate: num,
  threshold: num,
  status: z.enum(['ok', 'watch', 'breach', 'confirmed_breach', 'insufficient_exposure']).nullable().optional(),
});
export type BatchRow = z.infer<typeof batchRow>;

export const firmwareRow = z.object({
  firmware_version: z.string(),
  sku: text,
  failure_code: text,
  returns: int,
  unit_days: num,
  rate_per_1000_unit_months: num,
  baseline_rate: num,
  relative_risk: num,
  p_value: num,
  q_value: num,
  adjusted_for: z.unknown(),
  flagged: z.boolean().nullable().optional(),
});
export type FirmwareRow = z.infer<typeof firmwareRow>;

export const reserveRow = z.object({
  month: z.string(),
  sku: text,
  units_shipped: int,
  accrual: num,
  cost_paid: num,
  cumulative_accrual: num,
  cumulative_cost: num,
  balance: num,
  burn_ratio: num,
  forecast_liability: num,
  forecast_low: num,
  forecast_high: num,
  runway_months: num,
  currency: text,
});
export type ReserveRow = z.infer<typeof reserveRow>;

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

export const alertRow = z.object({
  id: z.union([z.string(), z.number()]),
  rule: z.string(),
  subject_type: text,
  subject_id: text,
  state: z.string(),
  severity: text,
  metric: text,
  value: num,
  threshold: num,
  opened_at: text,
  updated_at: text,
  resolved_at: text,
  evidence: z.unknown(),
  ack_note: text,
  acked_at: text,
});
export type AlertRow = z.infer<typeof alertRow>;

/** Row schemas of the reports whose shape the contract fixes; the others are documented as open objects. */
export const reportRowSchemas: Partial<Record<string, z.ZodObject>> = {
  batches: batchRow,
  firmware: firmwareRow,
  reserve: reserveRow,
};
