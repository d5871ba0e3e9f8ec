import { z } from 'zod';
import { RmaError } from '../pipeline/errors.js';
import * as contract from '../pipeline/schema/report-rows.js';

/**
 * The report rows the dashboards draw (CONTRACT §7 and the report names of §4). Spec builders take
 * rows already aggregated in SQL; these schemas only check the columns a chart reads, so a model that
 * renames a column fails here with the report, row and column named, not with an empty chart.
 * Extra columns are allowed and dropped (the specs inline only what they draw). The contract's row
 * shapes come from pipeline/schema/report-rows.ts; the reports the contract leaves open are defined here.
 */
const num = z.number();
const optNum = z.number().nullable().optional();
const optStr = z.string().nullable().optional();
/** A ratio that may be infinite (a build with returns against a baseline with none). */
const ratio = z.custom<number>((v) => typeof v === 'number', 'expected a number').nullable().optional();

/** CONTRACT §7.1 (report `batches`). */
export const batchRow = contract.batchRow.pick({
  batch_id: true,
  sku: true,
  units_shipped: true,
  returns: true,
  confirmed_defects: true,
  defect_rate: true,
  ci_low: true,
  ci_high: true,
  projected_rate: true,
  threshold: true,
  status: true,
});
export type BatchRow = z.infer<typeof batchRow>;

/** CONTRACT §7.2 (report `firmware`); the heatmap needs a failure code and draws infinite ratios at the top. */
export const firmwareRow = contract.firmwareRow
  .pick({ firmware_version: true, sku: true, returns: true, unit_days: true, rate_per_1000_unit_months: true, baseline_rate: true, p_value: true, q_value: true, flagged: true })
  .extend({ failure_code: z.string(), relative_risk: ratio });
export type FirmwareRow = z.infer<typeof firmwareRow>;

/** CONTRACT §7.4 (report `reserve`); month as 'YYYY-MM-DD'. */
export const reserveRow = contract.reserveRow
  .pick({ month: true, cumulative_accrual: true, cumulative_cost: true, balance: true, forecast_liability: true, forecast_low: true, forecast_high: true, runway_months: true, currency: true })
  .extend({ sku: z.string() });
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

/** `km_curves` (models/km-curves.ts, for the batches the weibull dashboard draws): Kaplan–Meier steps per batch, time in days. */
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
export const alertRow = contract.alertRow.pick({ id: true, rule: true, subject_type: true, subject_id: true, state: true, severity: true, metric: true, value: true, threshold: true, opened_at: true });
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
