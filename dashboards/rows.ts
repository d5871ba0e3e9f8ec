import { z } from 'zod';
import { RmaError } from '../pipeline/errors.js';

/**
 * The report rows the dashboards draw (CONTRACT §7 and the report names of §4). Spec builders take
 * rows already aggregated in SQL; these schemas only check the columns a chart reads, so a model that
 * renames a column fails here with the report, row and column named, not with an empty chart.
 * Extra columns are allowed and dropped (the specs inline only what they draw).
 */
const num = z.number();
const optNum = z.number().nullable().optional();
const optStr = z.string().nullable().optional();
/** A ratio that may be infinite (a build with returns against a baseline with none). */
const ratio = z.custom<number>((v) => typeof v === 'number', 'expected a number').nullable().optional();

/** CONTRACT §7.1 (report `batches`). */
export const batchRow = z.object({
  batch_id: z.string(),
  sku: optStr,
  units_shipped: optNum,
  returns: optNum,
  confirmed_defects: optNum,
  defect_rate: optNum,
  ci_low: optNum,
  ci_high: optNum,
  projected_rate: optNum,
  threshold: optNum,
  status: z.enum(['ok', 'watch', 'breach', 'confirmed_breach', 'insufficient_exposure']).nullable().optional(),
});
export type BatchRow = z.infer<typeof batchRow>;

/** CONTRACT §7.2 (report `firmware`). */
export const firmwareRow = z.object({
  firmware_version: z.string(),
  sku: optStr,
  failure_code: z.string(),
  returns: optNum,
  unit_days: optNum,
  rate_per_1000_unit_months: optNum,
  baseline_rate: optNum,
  relative_risk: ratio,
  p_value: optNum,
  q_value: optNum,
  flagged: z.boolean().nullable().optional(),
});
export type FirmwareRow = z.infer<typeof firmwareRow>;

/** CONTRACT §7.4 (report `reserve`); month as 'YYYY-MM-DD'. */
export const reserveRow = z.object({
  month: z.string(),
  sku: z.string(),
  cumulative_accrual: optNum,
  cumulative_cost: optNum,
  balance: optNum,
  forecast_liability: optNum,
  forecast_low: optNum,
  forecast_high: optNum,
  runway_months: optNum,
  currency: optStr,
});
export type ReserveRow = z.infer<typeof reserveRow>;

/** Report `pareto` (models/pareto.sql): per SKU and over all SKUs (sku '*'), verified and stated counts per code. */
export const paretoRow = z.object({
  sku: optStr,
  failure_code: z.string(),
  category: optStr,
  stated: num,
  verified: num,
});
export type ParetoRow = z.infer<typeof paretoRow>;

/** Report `nevada` (models/nevada.sql): ship cohort × return month, months as 'YYYY-MM-DD'. */
export const nevadaRow = z.object({
  sku: optStr,
  ship_month: z.string(),
  return_month: z.string(),
  units_shipped: optNum,
  returns: num,
});
export type NevadaRow = z.infer<typeof nevadaRow>;

/** Report `weibull` (models/weibull.model.ts): one fit per SKU or batch (level), η in days; β and η NULL when not fitted. */
export const weibullRow = z.object({
  level: z.string(),
  subject_id: z.string(),
  sku: optStr,
  failures: optNum,
  suspensions: optNum,
  status: optStr,
  beta: optNum,
  eta_days: optNum,
});
export type WeibullRow = z.infer<typeof weibullRow>;

/** Report `km_curves` (models/weibull.model.ts): Kaplan–Meier steps per batch, time in days. */
export const kmRow = z.object({
  batch_id: z.string(),
  time_days: num,
  survival: num,
  low: optNum,
  high: optNum,
});
export type KmRow = z.infer<typeof kmRow>;

/** Report `sla` (models/sla.sql): attainment per month raised and SKU (sku '*' = all SKUs). */
export const slaRow = z.object({
  month: z.string(),
  sku: optStr,
  rmas: num,
  response_met_rate: optNum,
  inspection_met_rate: optNum,
  resolution_met_rate: optNum,
  open: optNum,
  open_overdue: optNum,
  oldest_open_working_days: optNum,
});
export type SlaRow = z.infer<typeof slaRow>;

/** Report `ntf` (models/ntf.model.ts): no-trouble-found share of inspected returns per dealer, Wilson bounds. */
export const ntfRow = z.object({
  dealer_id: z.string(),
  inspected: num,
  no_trouble_found: num,
  ntf_rate: optNum,
  ci_low: optNum,
  ci_high: optNum,
  overall_rate: optNum,
  above_overall: z.boolean().nullable().optional(),
});
export type NtfRow = z.infer<typeof ntfRow>;

/** CONTRACT §7.5 */
export const alertRow = z.object({
  id: z.union([z.string(), z.number()]),
  rule: z.string(),
  subject_type: optStr,
  subject_id: optStr,
  state: z.string(),
  severity: optStr,
  metric: optStr,
  value: optNum,
  threshold: optNum,
  opened_at: optStr,
});
export type AlertRow = z.infer<typeof alertRow>;

/**
 * Check report rows against a schema; the error names the report, the row (1-based) and the column
 * of each of the first few problems and keeps the full list in details.
 */
export function checkRows<T extends z.ZodType>(report: string, schema: T, rows: readonly unknown[]): z.infer<T>[] {
  const parsed = z.array(schema).safeParse(rows);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => ({
    row: typeof issue.path[0] === 'number' ? issue.path[0] + 1 : undefined,
    column: issue.path.slice(1).join('.') || undefined,
    problem: issue.message,
  }));
  const first = problems[0];
  const shown = problems.slice(0, 3).map((p) => `row ${p.row}, column ${p.column ?? '?'}: ${p.problem}`).join('; ');
  throw new RmaError('RMA_ERR_INPUT', `report ${report}: ${shown}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`, {
    report,
    row: first?.row,
    column: first?.column,
    problems,
  });
}
