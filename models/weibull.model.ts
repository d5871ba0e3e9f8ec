import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../pipeline/store.js';
import type { BuildContext, TsModel } from './model.js';
import { writeModelColumns, writeModelTable, type ColumnType } from './runner.js';
import { kaplanMeierCounts, weibullCdf, weibullFit, type WeibullFit } from './stats/index.js';

/**
 * Time-to-failure per SKU and per batch, in days from shipment: a Weibull fit (β, η with Fisher
 * bounds) and, per batch, a Kaplan–Meier table (`km_curves`, for the dashboards' survival curves).
 *
 * Life data come from SQL grouped by age: a unit's first failure claim (defective, not shown to be
 * NTF or customer damage) is a failure at its age in days, every other unit shipped by the analysis
 * date a suspension at its age then. Ages are whole days + ½ (shipped and claimed mid-day on average),
 * so a claim on the ship date is not a failure at time 0.
 */

/** Life data grouped by age, as columns (one entry per row of the life query). */
interface LifeColumns {
  level: ('sku' | 'batch')[];
  subject_id: string[];
  sku: string[];
  failed: boolean[];
  age_days: number[];
  units: number[];
}

const settingsOf = (ctx: BuildContext): { batch: number; sku: number } => {
  const b = (ctx.config as { settings?: { batches?: { min_failures_for_batch_fit?: number; min_failures_for_sku_fit?: number } } }).settings?.batches;
  return { batch: Math.max(2, b?.min_failures_for_batch_fit ?? 10), sku: Math.max(2, b?.min_failures_for_sku_fit ?? 5) };
};

const fitColumns: (readonly [string, ColumnType])[] = [
  ['level', 'VARCHAR'],
  ['subject_id', 'VARCHAR'],
  ['sku', 'VARCHAR'],
  ['units', 'BIGINT'],
  ['failures', 'BIGINT'],
  ['suspensions', 'BIGINT'],
  ['status', 'VARCHAR'],
  ['beta', 'DOUBLE'],
  ['beta_low', 'DOUBLE'],
  ['beta_high', 'DOUBLE'],
  ['eta_days', 'DOUBLE'],
  ['eta_low_days', 'DOUBLE'],
  ['eta_high_days', 'DOUBLE'],
  ['log_likelihood', 'DOUBLE'],
  ['b10_days', 'DOUBLE'],
  ['p_fail_in_warranty', 'DOUBLE'],
];

const kmColumns: (readonly [string, ColumnType])[] = [
  ['batch_id', 'VARCHAR'],
  ['sku', 'VARCHAR'],
  ['time_days', 'DOUBLE'],
  ['at_risk', 'BIGINT'],
  ['events', 'BIGINT'],
  ['survival', 'DOUBLE'],
  ['std_err', 'DOUBLE'],
  ['low', 'DOUBLE'],
  ['high', 'DOUBLE'],
];

function fitOrReason(failures: { time: number; count: number }[], suspensions: { time: number; count: number }[], minFailures: number): { fit?: WeibullFit; status: string } {
  const r = failures.reduce((n, f) => n + f.count, 0);
  if (r < minFailures) return { status: 'insufficient_failures' };
  try {
    return { fit: weibullFit({ failures, suspensions }), status: 'fitted' };
  } catch (e) {
    return { status: `no_fit: ${(e as Error).message}` };
  }
}

export const model: TsModel = {
  name: 'weibull',
  grain: ['level', 'subject_id'],
  inputs: ['models.unit_cohorts', 'models.rpt_rma', 'models.rpt_warranty_terms'],
  audits: [{ kind: 'between', columns: ['p_fail_in_warranty'], low: 0, high: 1 }],
  description: 'Weibull time-to-failure fits per SKU and per batch (days from shipment), and Kaplan–Meier curves per batch (table km_curves).',
  async run(conn: DuckDBConnection, ctx: BuildContext): Promise<void> {
    // Failures come from the returned units' lines (which carry the unit's SKU, batch and ship date),
    // survivors from the unit cohorts minus those failures: the 50 M units are not scanned or joined.
    const reader = await conn.runAndReadAll(`
      WITH first_failure AS (
        SELECT
          serial_number,
          any_value(unit_sku) AS sku,
          any_value(unit_batch_id) AS batch_id,
          -- UTC days by epoch arithmetic: a TIMESTAMPTZ → DATE cast goes through ICU (several times slower per row)
          DATE '1970-01-01' + floor(epoch_us(any_value(shipped_at)) / 86400000000)::INTEGER AS shipped_on,
          DATE '1970-01-01' + floor(min(epoch_us(opened_at)) / 86400000000)::INTEGER AS failed_on
        FROM models.rpt_rma
        WHERE return_reason = 'defective'
          AND coalesce(inspection_outcome, 'not_inspected') NOT IN ('no_trouble_found', 'customer_damage')
          AND NOT cancelled
          AND serial_number IS NOT NULL
          AND shipped_at < CAST(getvariable('as_of') + 1 AS TIMESTAMPTZ)   -- registered units shipped by the date
        GROUP BY serial_number
      ),
      failed AS (
        SELECT sku, batch_id, shipped_on, (greatest(failed_on - shipped_on, 0) + 0.5)::DOUBLE AS age_days, count(*) AS units
        FROM first_failure
        GROUP BY ALL
      ),
      failed_by_day AS (
        SELECT sku, batch_id, shipped_on, sum(units) AS units FROM failed GROUP BY ALL
      ),
      survived AS (
        -- every other unit shipped by the date is a suspension at its age then
        SELECT c.sku, c.batch_id, (getvariable('as_of') - c.shipped_on + 0.5)::DOUBLE AS age_days, c.units - coalesce(f.units, 0) AS units
        FROM (SELECT sku, batch_id, shipped_on, sum(units) AS units FROM models.unit_cohorts GROUP BY ALL) AS c
        LEFT JOIN failed_by_day AS f
          ON f.sku IS NOT DISTINCT FROM c.sku AND f.batch_id IS NOT DISTINCT FROM c.batch_id AND f.shipped_on = c.shipped_on
      ),
      life AS MATERIALIZED (
        SELECT sku, batch_id, true AS failed, age_days, sum(units) AS units FROM failed GROUP BY ALL
        UNION ALL
        SELECT sku, batch_id, false, age_days, sum(units) FROM survived WHERE units > 0 GROUP BY ALL
      )
      SELECT 'sku' AS level, sku AS subject_id, sku, failed, age_days, sum(units)::INTEGER AS units
      FROM life GROUP BY ALL
      UNION ALL
      SELECT 'batch', batch_id, any_value(sku), failed, age_days, sum(units)::INTEGER
      FROM life WHERE batch_id IS NOT NULL GROUP BY batch_id, failed, age_days
      ORDER BY 1, 2, 5`);
    // Millions of life rows at 10 M RMAs (batch × age): read as columns, not one object per row.
    const life = reader.getColumnsObjectJS() as unknown as LifeColumns;
    const warranty = new Map(
      (await queryRows<{ sku: string; warranty_months: number }>(conn, 'SELECT sku, warranty_months FROM models.rpt_warranty_terms'))
        .map((t) => [t.sku, t.warranty_months]),
    );
    const min = settingsOf(ctx);

    const fits: Record<string, unknown>[] = [];
    const km: Record<string, unknown[]> = Object.fromEntries(kmColumns.map(([c]) => [c, []]));
    const n = reader.currentRowCount;
    for (let first = 0; first < n; ) {
      // rows come ordered by level and subject: one subject's life data is one run of rows
      const level = life.level[first];
      const subject_id = life.subject_id[first];
      const sku = life.sku[first];
      let end = first;
      while (end < n && life.subject_id[end] === subject_id && life.level[end] === level) end++;
      const failures: { time: number; count: number }[] = [];
      const suspensions: { time: number; count: number }[] = [];
      for (let i = first; i < end; i++) (life.failed[i] ? failures : suspensions).push({ time: life.age_days[i], count: life.units[i] });
      first = end;
      const nFail = failures.reduce((k, f) => k + f.count, 0);
      const nSusp = suspensions.reduce((k, f) => k + f.count, 0);
      const { fit, status } = fitOrReason(failures, suspensions, level === 'batch' ? min.batch : min.sku);
      const warrantyDays = (warranty.get(sku) ?? 24) * 30.4375;
      fits.push({
        level, subject_id, sku, units: nFail + nSusp, failures: nFail, suspensions: nSusp, status,
        beta: fit?.beta, beta_low: fit?.betaLow, beta_high: fit?.betaHigh,
        eta_days: fit?.eta, eta_low_days: fit?.etaLow, eta_high_days: fit?.etaHigh,
        log_likelihood: fit?.logLikelihood,
        b10_days: fit ? fit.eta * Math.pow(-Math.log(0.9), 1 / fit.beta) : null,   // age by which 10 % have failed
        p_fail_in_warranty: fit ? weibullCdf(warrantyDays, fit.beta, fit.eta) : null,
      });
      if (level === 'batch' && nFail > 0) {
        const counts = [
          ...failures.map((f) => ({ time: f.time, events: f.count, censored: 0 })),
          ...suspensions.map((f) => ({ time: f.time, events: 0, censored: f.count })),
        ];
        for (const step of kaplanMeierCounts(counts)) {
          km.batch_id.push(subject_id);
          km.sku.push(sku);
          km.time_days.push(step.time);
          km.at_risk.push(step.atRisk);
          km.events.push(step.events);
          km.survival.push(step.survival);
          km.std_err.push(step.stdErr);
          km.low.push(step.low);
          km.high.push(step.high);
        }
      }
    }
    await writeModelTable(conn, 'weibull', fitColumns, fits);
    await writeModelColumns(conn, 'km_curves', kmColumns, km);   // millions of rows at 25,000 batches
  },
};
