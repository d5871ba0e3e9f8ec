import { z } from 'zod';

/**
 * Report rows whose shape CONTRACT §7 fixes, defined once: the API answers with them as allow lists
 * (a column not listed never leaves the server) and the dashboards pick the columns their charts read.
 */
const num = z.number().nullable().optional();
const int = z.number().int().nullable().optional();
const text = z.string().nullable().optional();

export const batchStatuses = ['ok', 'watch', 'breach', 'confirmed_breach', 'insufficient_exposure'] as const;

/** §7.1, report `batches`. */
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
  status: z.enum(batchStatuses).nullable().optional(),
});
export type BatchRow = z.infer<typeof batchRow>;

/** §7.2, report `firmware`. */
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

/** §7.4, report `reserve`; month as 'YYYY-MM-DD'. */
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

/** §7.5 */
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
