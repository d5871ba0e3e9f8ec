import type { DuckDBConnection, DuckDBMaterializedResult } from '@duckdb/node-api';
import { queryRows } from '../pipeline/store.js';
import type { BuildContext, TsModel } from './model.js';
import { writeModelTable, type ColumnType } from './runner.js';
import { weibullCdf, weibullFitColumns, type WeibullFit } from './stats/index.js';

/**
 * Time-to-failure per SKU and per batch, in days from shipment: a Weibull fit (β, η with Fisher
 * bounds). The Kaplan–Meier steps of a batch come from the same life data when asked for
 * (models/km-curves.ts): the dashboards show ten batches, and storing the steps of all 25,000 cost
 * ≈ 4–5 s of every build at 10 M RMAs.
 *
 * Life data come from SQL grouped by age: a unit's first failure claim (defective, not shown to be
 * NTF or customer damage) is a failure at its age in days, every other unit shipped by the analysis
 * date a suspension at its age then. Ages are whole days + ½ (shipped and claimed mid-day on average),
 * so a claim on the ship date is not a failure at time 0.
 */

/** A subject of a fit: a SKU or a batch, numbered in the order the fits are listed. */
interface Subject {
  level: 'sku' | 'batch';
  subject_id: string;
  sku: string;
}

/** A unit's failure claim (a line of models.rpt_rma): defective, not shown to be NTF or customer damage, shipped by the date (`asOf`, a SQL DATE). */
export const failureClaim = (asOf: string): string => `
  return_reason = 'defective'
  AND coalesce(inspection_outcome, 'not_inspected') NOT IN ('no_trouble_found', 'customer_damage')
  AND NOT cancelled
  AND serial_number IS NOT NULL
  AND shipped_at < CAST(${asOf} + 1 AS TIMESTAMPTZ)   -- registered units shipped by the date`;

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

function fitOrReason(times: Float64Array, failures: Float64Array, suspensions: Float64Array, r: number, minFailures: number): { fit?: WeibullFit; status: string } {
  if (r < minFailures) return { status: 'insufficient_failures' };
  try {
    return { fit: weibullFitColumns(times, failures, suspensions), status: 'fitted' };
  } catch (e) {
    return { status: `no_fit: ${(e as Error).message}` };
  }
}

/** Life data by subject and age, as read: one entry per subject and age (times = age + ½); a subject's entries are one run, by age. */
interface LifeBySubject {
  subjectOf: Int32Array;
  times: Float64Array;
  failures: Float64Array;
  suspensions: Float64Array;
  n: number;
}

/** The life query's chunks straight into typed arrays (no value object per row). */
async function readLife(result: DuckDBMaterializedResult): Promise<LifeBySubject> {
  const n = result.rowCount;
  const life: LifeBySubject = { subjectOf: new Int32Array(n), times: new Float64Array(n), failures: new Float64Array(n), suspensions: new Float64Array(n), n };
  for (let chunk = await result.fetchChunk(), at = 0; chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const [subject, age, failures, suspensions] = [0, 1, 2, 3].map((c) => chunk!.getColumnVector(c));
    for (let r = 0, size = chunk.rowCount; r < size; r++, at++) {
      life.subjectOf[at] = subject.getItem(r) as number;
      life.times[at] = (age.getItem(r) as number) + 0.5;
      life.failures[at] = failures.getItem(r) as number;
      life.suspensions[at] = suspensions.getItem(r) as number;
    }
  }
  return life;
}

export const model: TsModel = {
  name: 'weibull',
  grain: ['level', 'subject_id'],
  inputs: ['models.unit_cohorts', 'models.rpt_rma', 'models.rpt_warranty_terms'],
  audits: [{ kind: 'between', columns: ['p_fail_in_warranty'], low: 0, high: 1 }],
  description: 'Weibull time-to-failure fits per SKU and per batch (days from shipment).',
  async run(conn: DuckDBConnection, ctx: BuildContext): Promise<void> {
    // The (SKU, batch) pairs of units, numbered, and the subjects (SKUs, batches), numbered as the
    // fits are listed: the heavy grouping below is on these integers, not on millions of SKU and
    // batch strings. The claims' pairs are taken unfiltered (a superset of the failures' pairs, and
    // a third of the cost of filtering the claims twice); a subject without life data gets no fit.
    await conn.run(`
      CREATE OR REPLACE TEMP TABLE weibull__pairs AS
      SELECT sku, batch_id, (row_number() OVER ())::INTEGER AS pair
      FROM (
        SELECT sku, batch_id FROM models.unit_cohorts
        UNION
        SELECT unit_sku, unit_batch_id FROM models.rpt_rma
      )`);
    await conn.run(`
      CREATE OR REPLACE TEMP TABLE weibull__subjects AS
      SELECT (row_number() OVER (ORDER BY level, subject_id))::INTEGER AS subject, level, subject_id, sku
      FROM (
        SELECT 'batch' AS level, batch_id AS subject_id, any_value(sku) AS sku FROM weibull__pairs WHERE batch_id IS NOT NULL GROUP BY batch_id
        UNION ALL
        SELECT 'sku', sku, sku FROM weibull__pairs GROUP BY sku
      )`);
    const subjects: Subject[] = [];
    for (const s of await queryRows<Subject & { subject: number }>(conn, 'SELECT subject, level, subject_id, sku FROM weibull__subjects')) subjects[s.subject] = s;

    // Failures come from the returned units' lines (which carry the unit's SKU, batch and ship date),
    // survivors from the unit cohorts minus those failures: the 50 M units are not scanned or joined.
    // Ages in whole days (+ ½ in JS), grouped per subject and age on integers.
    const result = await conn.run(`
      WITH first_failure AS (
        SELECT
          any_value(p.pair) AS pair,
          -- UTC days by epoch arithmetic: a TIMESTAMPTZ → DATE cast goes through ICU (several times slower per row)
          floor(epoch_us(any_value(r.shipped_at)) / 86400000000)::INTEGER AS shipped_day,
          floor(min(epoch_us(r.opened_at)) / 86400000000)::INTEGER AS failed_day
        FROM models.rpt_rma AS r
        JOIN weibull__pairs AS p ON p.sku IS NOT DISTINCT FROM r.unit_sku AND p.batch_id IS NOT DISTINCT FROM r.unit_batch_id
        WHERE ${failureClaim("getvariable('as_of')")}
        GROUP BY r.serial_number
      ),
      failed AS MATERIALIZED (
        SELECT pair, shipped_day, greatest(failed_day - shipped_day, 0) AS age FROM first_failure
      ),
      failed_by_day AS (
        SELECT pair, shipped_day, count(*) AS units FROM failed GROUP BY ALL
      ),
      survived AS MATERIALIZED (
        -- every other unit shipped by the date is a suspension at its age then
        SELECT p.pair, ((getvariable('as_of') - DATE '1970-01-01') - c.shipped_day)::INTEGER AS age, c.units - coalesce(f.units, 0) AS units
        FROM (
          SELECT sku, batch_id, (shipped_on - DATE '1970-01-01')::INTEGER AS shipped_day, sum(units) AS units
          FROM models.unit_cohorts GROUP BY ALL
        ) AS c
        JOIN weibull__pairs AS p ON p.sku IS NOT DISTINCT FROM c.sku AND p.batch_id IS NOT DISTINCT FROM c.batch_id
        LEFT JOIN failed_by_day AS f ON f.pair = p.pair AND f.shipped_day = c.shipped_day
      ),
      subject_of AS (
        SELECT p.pair, s.subject AS sku_subject, b.subject AS batch_subject
        FROM weibull__pairs AS p
        JOIN weibull__subjects AS s ON s.level = 'sku' AND s.subject_id IS NOT DISTINCT FROM p.sku
        LEFT JOIN weibull__subjects AS b ON b.level = 'batch' AND b.subject_id = p.batch_id
      ),
      life AS (
        SELECT s.sku_subject AS subject, f.age, 1 AS failed, 0 AS survived FROM failed AS f JOIN subject_of AS s USING (pair)
        UNION ALL
        SELECT s.sku_subject, v.age, 0, v.units FROM survived AS v JOIN subject_of AS s USING (pair) WHERE v.units > 0
        UNION ALL
        SELECT s.batch_subject, f.age, 1, 0 FROM failed AS f JOIN subject_of AS s USING (pair) WHERE s.batch_subject IS NOT NULL
        UNION ALL
        SELECT s.batch_subject, v.age, 0, v.units FROM survived AS v JOIN subject_of AS s USING (pair) WHERE s.batch_subject IS NOT NULL AND v.units > 0
      )
      -- one row per subject and age, in the order the fits take them
      SELECT subject, age, sum(failed)::DOUBLE AS failures, sum(survived)::DOUBLE AS suspensions
      FROM life
      GROUP BY subject, age
      ORDER BY subject, age`);
    // A million life rows at 10 M RMAs (batch × age): read into typed arrays.
    const { subjectOf, times, failures, suspensions, n } = await readLife(result);
    const warranty = new Map(
      (await queryRows<{ sku: string; warranty_months: number }>(conn, 'SELECT sku, warranty_months FROM models.rpt_warranty_terms'))
        .map((t) => [t.sku, t.warranty_months]),
    );
    const min = settingsOf(ctx);

    const fits: Record<string, unknown>[] = [];
    for (let first = 0; first < n; ) {
      // rows come ordered by subject: one subject's life data is one run of rows, by age
      const subject = subjectOf[first];
      const { level, subject_id, sku } = subjects[subject];
      let end = first;
      while (end < n && subjectOf[end] === subject) end++;
      const t = times.subarray(first, end);
      const f = failures.subarray(first, end);
      const s = suspensions.subarray(first, end);
      first = end;
      let nFail = 0;
      let nSusp = 0;
      for (let i = 0; i < t.length; i++) {
        nFail += f[i];
        nSusp += s[i];
      }
      const { fit, status } = fitOrReason(t, f, s, nFail, level === 'batch' ? min.batch : min.sku);
      const warrantyDays = (warranty.get(sku) ?? 24) * 30.4375;
      fits.push({
        level, subject_id, sku, units: nFail + nSusp, failures: nFail, suspensions: nSusp, status,
        beta: fit?.beta, beta_low: fit?.betaLow, beta_high: fit?.betaHigh,
        eta_days: fit?.eta, eta_low_days: fit?.etaLow, eta_high_days: fit?.etaHigh,
        log_likelihood: fit?.logLikelihood,
        b10_days: fit ? fit.eta * Math.pow(-Math.log(0.9), 1 / fit.beta) : null,   // age by which 10 % have failed
        p_fail_in_warranty: fit ? weibullCdf(warrantyDays, fit.beta, fit.eta) : null,
      });
    }
    await writeModelTable(conn, 'weibull', fitColumns, fits);
    await conn.run('DROP TABLE weibull__pairs');
    await conn.run('DROP TABLE weibull__subjects');
  },
};
