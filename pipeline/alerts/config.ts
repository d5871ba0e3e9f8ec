import { z } from 'zod';

/**
 * The `alerts` section of rma-intel.config.json: which rules run, their lines, the hysteresis that
 * keeps a metric hovering at a line from flapping, and the optional signed webhook.
 */
const enabled = z.boolean().default(true);

export const alertsConfigSchema = z.strictObject({
  /** An open alert resolves at once only when its metric is this far past the line (0.1 = 10 %). */
  hysteresis_margin: z.number().min(0).max(1).default(0.1),
  /** …or after this many consecutive builds (distinct as-of dates) without the condition. */
  clean_builds_to_resolve: z.number().int().min(1).default(3),
  /** Record keys listed in an alert's evidence (the count is always complete). */
  evidence_keys: z.number().int().min(0).max(1000).default(20),
  batch_status: z.strictObject({
    enabled,
    /** Batch statuses (CONTRACT 7.1) that open an alert. */
    statuses: z.array(z.enum(['watch', 'breach', 'confirmed_breach'])).min(1).default(['breach', 'confirmed_breach']),
  }).prefault({}),
  firmware_regression: z.strictObject({ enabled }).prefault({}),
  reserve_shortfall: z.strictObject({
    enabled,
    /** Open when the reserve balance covers less than this share of the forecast liability. */
    min_coverage: z.number().positive().default(1),
  }).prefault({}),
  reserve_runway: z.strictObject({
    enabled,
    /** Open when the runway at the trailing three-month burn is under this many months. */
    min_months: z.number().positive().default(6),
  }).prefault({}),
  spc_outlier: z.strictObject({
    enabled,
    /** Complete weeks on the chart, the last one ending on or before the analysis date. */
    weeks: z.number().int().min(4).max(260).default(26),
    /** laney: p′ chart (limits widened for overdispersion, right for large installed bases); p: plain p chart. */
    chart: z.enum(['laney', 'p']).default('laney'),
    /** Weeks with fewer units in the field are left off the chart. */
    min_units: z.number().int().min(1).default(50),
  }).prefault({}),
  webhook: z.strictObject({
    /** POST target for opened / resolved alerts. */
    url: z.url(),
    /** Environment variable holding the HMAC secret (a secret does not belong in a config file). */
    secret_env: z.string().default('RMA_INTEL_ALERT_WEBHOOK_SECRET'),
    timeout_ms: z.number().int().positive().default(5000),
  }).optional(),
});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

/** The alerts settings from the build's config (ModelConfig.settings.alerts), defaults when absent. */
export function alertsConfigOf(config: unknown): AlertsConfig {
  const section = (config as { settings?: { alerts?: unknown }; alerts?: unknown } | undefined)?.settings?.alerts
    ?? (config as { alerts?: unknown } | undefined)?.alerts;
  return alertsConfigSchema.parse(section ?? {});
}
