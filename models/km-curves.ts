import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../pipeline/store.js';
import { kaplanMeierColumns } from './stats/index.js';
import { failureClaim } from './weibull.model.js';

/** One Kaplan–Meier step of a batch: at an age (days + ½) with failures. */
export interface KmStep {
  batch_id: string;
  sku: string | null;
  time_days: number;
  at_risk: number;
  events: number;
  survival: number;
  std_err: number;
  low: number;
  high: number;
}

/**
 * The Kaplan–Meier steps of the given batches on the analysis date `asOf` (YYYY-MM-DD, the last build's):
 * the life data the weibull model fits — a unit's first failure claim at its age in whole days + ½, every
 * other unit shipped by the date a suspension at its age then — read for these batches only. Worked out
 * when asked (the dashboards draw ten batches), not stored by the build: the steps of all 25,000 batches
 * at 10 M RMAs were 3.4 M rows and ≈ 4–5 s of every build.
 */
export async function kaplanMeierCurves(conn: DuckDBConnection, batches: readonly { batch_id: string; sku: string | null }[], asOf: string): Promise<KmStep[]> {
  if (!batches.length) return [];
  const life = await queryRows<{ batch_id: string; age: number; failures: number; suspensions: number }>(conn, `
    WITH wanted AS (SELECT unnest(CAST(CAST($1 AS JSON) AS VARCHAR[])) AS batch_id),
    failed AS (
      -- a serial's lines share its registry batch and ship time
      SELECT
        any_value(unit_batch_id) AS batch_id,
        floor(epoch_us(any_value(shipped_at)) / 86400000000)::INTEGER AS shipped_day,
        floor(min(epoch_us(opened_at)) / 86400000000)::INTEGER AS failed_day
      FROM models.rpt_rma
      WHERE unit_batch_id IN (SELECT batch_id FROM wanted) AND ${failureClaim('$2::DATE')}
      GROUP BY serial_number
    ),
    survived AS (
      SELECT c.batch_id, ($2::DATE - DATE '1970-01-01')::INTEGER - c.shipped_day AS age, c.units - coalesce(f.units, 0) AS units
      FROM (
        SELECT batch_id, (shipped_on - DATE '1970-01-01')::INTEGER AS shipped_day, sum(units) AS units
        FROM models.unit_cohorts WHERE batch_id IN (SELECT batch_id FROM wanted) GROUP BY ALL
      ) AS c
      LEFT JOIN (SELECT batch_id, shipped_day, count(*) AS units FROM failed GROUP BY ALL) AS f USING (batch_id, shipped_day)
    ),
    life AS (
      SELECT batch_id, greatest(failed_day - shipped_day, 0) AS age, 1 AS failed, 0 AS survived FROM failed
      UNION ALL
      SELECT batch_id, age, 0, units FROM survived WHERE units > 0
    )
    SELECT batch_id, age, sum(failed)::DOUBLE AS failures, sum(survived)::DOUBLE AS suspensions
    FROM life
    GROUP BY batch_id, age
    ORDER BY batch_id, age`, [JSON.stringify(batches.map((b) => b.batch_id)), asOf]);
  const skuOf = new Map(batches.map((b) => [b.batch_id, b.sku]));
  const steps: KmStep[] = [];
  for (let first = 0; first < life.length; ) {
    const batchId = life[first].batch_id;
    let end = first;
    while (end < life.length && life[end].batch_id === batchId) end++;
    const rows = life.slice(first, end);
    first = end;
    const km = kaplanMeierColumns(rows.map((r) => r.age + 0.5), rows.map((r) => r.failures), rows.map((r) => r.suspensions));
    for (let i = 0; i < km.time.length; i++) {
      steps.push({
        batch_id: batchId, sku: skuOf.get(batchId) ?? null, time_days: km.time[i], at_risk: km.atRisk[i], events: km.events[i],
        survival: km.survival[i], std_err: km.stdErr[i], low: km.low[i], high: km.high[i],
      });
    }
  }
  return steps;
}
