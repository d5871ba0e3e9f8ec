import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { RmaError } from './errors.js';
import type { BuildConfig } from '../models/model.js';
import { alertsConfigSchema } from './alerts/config.js';

/**
 * `rma-intel.config.json`: model and alert settings. Every key is optional; a missing file means the
 * defaults below. Keys are snake_case (CONTRACT: names in data are snake_case).
 *
 * Each top-level section has its own schema; add a section by adding one line to `configSchema`.
 */

const rate = z.number().min(0).max(1);

export const batchesConfigSchema = z.strictObject({
  /** Defect-rate threshold for every SKU not listed in sku_thresholds (2 %). */
  threshold: rate.default(0.02),
  /** Threshold per SKU, e.g. { "TH-35": 0.015 }. */
  sku_thresholds: z.record(z.string(), rate).default({}),
  /** Batches with fewer units shipped are `insufficient_exposure`. */
  min_units: z.number().int().min(1).default(100),
  /** A batch with at least this many confirmed defects gets its own Weibull fit; fewer use the SKU's. */
  min_failures_for_batch_fit: z.number().int().min(2).default(10),
  /** Failures a SKU needs before its return curve is fitted at all (no projection below it). */
  min_failures_for_sku_fit: z.number().int().min(2).default(5),
  confidence: z.number().gt(0).lt(1).default(0.95),
});

export const firmwareConfigSchema = z.strictObject({
  /** Rate ratio a build × code cell needs (besides significance) to be flagged. */
  material_effect: z.number().min(1).default(1.5),
  /** BH q-value below which a cell is significant. */
  q_threshold: rate.default(0.05),
  /** Upper edges (days) of the unit-age bands used as strata; the last band is open-ended. */
  age_bands: z.array(z.number().int().positive()).min(1).default([30, 90, 180, 365, 730]),
});

export const gateConfigSchema = z.strictObject({
  /** q-value (BH across failure codes and all-cause) below which a regression holds the release. */
  q_threshold: rate.default(0.05),
  /**
   * SPRT hypotheses as multiples of the baseline's matched all-cause rate: the candidate is
   * acceptable at acceptable_ratio × baseline and unacceptable at unacceptable_ratio × baseline.
   */
  acceptable_ratio: z.number().positive().default(1),
  unacceptable_ratio: z.number().positive().default(2),
  /** Absolute SPRT rates (returns per 1,000 unit-months) per SKU; override the ratios when given. */
  acceptable_rate: z.record(z.string(), z.number().positive()).default({}),
  unacceptable_rate: z.record(z.string(), z.number().positive()).default({}),
  /** SPRT error rates: alpha = P(reject an acceptable build), beta = P(accept an unacceptable one). */
  sprt_alpha: z.number().gt(0).lt(0.5).default(0.05),
  sprt_beta: z.number().gt(0).lt(0.5).default(0.1),
});

export const warrantyConfigSchema = z.strictObject({
  /** Warranty length used for SKUs without a row in warranty_policies. */
  default_months: z.number().int().positive().default(24),
});

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');

export const slaConfigSchema = z.strictObject({
  /** Response promise: approval within this many business hours of the claim. */
  response_hours: z.number().positive().default(48),
  /** Inspection promise: within this many business hours of receipt. */
  inspection_hours: z.number().positive().default(48),
  /** Resolution promise: within this many working days of the claim. */
  resolution_working_days: z.number().positive().default(30),
  /** Days that are not business days although Monday–Friday (public holidays, plant shutdowns), UTC. */
  holidays: z.array(isoDay).default([]),
});

/** One line per section; a missing section means all its defaults. */
export const configSchema = z.strictObject({
  batches: batchesConfigSchema.prefault({}),
  firmware: firmwareConfigSchema.prefault({}),
  gate: gateConfigSchema.prefault({}),
  warranty: warrantyConfigSchema.prefault({}),
  sla: slaConfigSchema.prefault({}),
  alerts: alertsConfigSchema.prefault({}),
});

export type RmaConfig = z.infer<typeof configSchema>;

export const configFileName = 'rma-intel.config.json';

/** The defaults, as if the file were `{}`. */
export const defaultConfig = (): RmaConfig => configSchema.parse({});

/** Validate a config object; errors name the file and the key. */
export function parseConfig(input: unknown, file = configFileName): RmaConfig {
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => ({ column: i.path.join('.') || '(root)', problem: i.message }));
  throw new RmaError(
    'RMA_ERR_INPUT',
    `${file}: invalid configuration: ${problems.map((p) => `${p.column}: ${p.problem}`).join('; ')}`,
    { file, column: problems[0]?.column, problems },
  );
}

/**
 * Load the configuration: the given path (must exist), else RMA_INTEL_CONFIG, else
 * ./rma-intel.config.json when present, else the defaults.
 */
export function loadConfig(path?: string): RmaConfig {
  const explicit = path ?? process.env.RMA_INTEL_CONFIG;
  const file = resolve(explicit ?? configFileName);
  if (!existsSync(file)) {
    if (explicit) throw new RmaError('RMA_ERR_FILE_NOT_FOUND', `configuration file ${file} does not exist`, { file });
    return defaultConfig();
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RmaError('RMA_ERR_INPUT', `${file}: not valid JSON: ${(e as Error).message}`, { file });
  }
  return parseConfig(raw, file);
}

/** What the models receive (models/model.ts BuildConfig): lookups plus the whole validated config. */
export interface ModelConfig extends BuildConfig {
  settings: RmaConfig;
  warrantyMonthsDefault: number;
}

export function toBuildConfig(settings: RmaConfig): ModelConfig {
  return {
    settings,
    batchThreshold: (sku: string) => settings.batches.sku_thresholds[sku] ?? settings.batches.threshold,
    warrantyMonthsDefault: settings.warranty.default_months,
  };
}
