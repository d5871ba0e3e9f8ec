import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { queryRows } from '../pipeline/store.js';
import type { ModelConfig } from '../pipeline/config.js';
import type { BuildContext, TsModel } from './model.js';
import { writeModelTable, type ColumnType } from './runner.js';
import { WeibullFitError, weibullFitColumns, weibullForecast, wilsonInterval, type WeibullFit } from './stats/index.js';

/**
 * models.batches — CONTRACT 7.1: one row per production batch with its defect rate, Wilson interval,
 * projected in-warranty rate and status. Counts come from models.batch_quality (SQL); this model does
 * the inference: the Wilson interval and a Weibull fit of time to a confirmed defect — per SKU, and
 * per batch where the batch has enough defects of its own — forecast over the batch's units still
 * in warranty, so a young batch is judged on where it is heading, not only on what came back so far.
 */

export type BatchStatus = 'ok' | 'watch' | 'breach' | 'confirmed_breach' | 'insufficient_exposure';

interface QualityRow {
  batch_id: string;
  sku: string;
  units_shipped: number;
  unit_days: number;
  returns: number;
  confirmed_defects: number;
  pending: number;
  open_pending: number;
  no_trouble_found: number;
  inspected_defect_claims: number;
  warranty_days: number | null;
}

/**
 * Life data as parallel columns (weibullFitColumns): an entry per failure group and per suspension group, in
 * the order of the profile, so the fit is the same to the last bit as from lists of { time, count }.
 */
class LifeColumns {
  readonly times: number[] = [];
  readonly failures: number[] = [];
  readonly suspensions: number[] = [];
  failureCount = 0;

  /** One age bucket of batch_age_profile (NaN: no age). */
  add(failures: number, failureAge: number, suspensions: number, suspensionAge: number): void {
    // Age 0 carries no information for a fit (and failures must be at age > 0): half a day stands in.
    if (failures > 0 && !Number.isNaN(failureAge)) {
      this.push(Math.max(failureAge, 0.5), failures, 0);
      this.failureCount += failures;
    }
    if (suspensions > 0 && suspensionAge > 0) this.push(suspensionAge, 0, suspensions);
  }

  private push(time: number, failures: number, suspensions: number): void {
    this.times.push(time);
    this.failures.push(failures);
    this.suspensions.push(suspensions);
  }
}

const lifeOf = (m: Map<string, LifeColumns>, key: string): LifeColumns => m.get(key) ?? m.set(key, new LifeColumns()).get(key)!;

/** The batch age profile per SKU and per batch, read from the result's columns (no object per bucket). */
async function readProfile(conn: DuckDBConnection): Promise<{ bySku: Map<string, LifeColumns>; byBatch: Map<string, LifeColumns> }> {
  const bySku = new Map<string, LifeColumns>();
  const byBatch = new Map<string, LifeColumns>();
  const result = await conn.run(`
    SELECT batch_id, sku, failures::DOUBLE, coalesce(failure_age, 'NaN'), suspensions::DOUBLE, coalesce(suspension_age, 'NaN')
    FROM models.batch_age_profile ORDER BY batch_id, age_bucket`);
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const [batch, sku] = [0, 1].map((c) => chunk!.getColumnVector(c) as DuckDBVector<string>);
    const [failures, failureAge, suspensions, suspensionAge] = [2, 3, 4, 5].map((c) => chunk!.getColumnVector(c) as DuckDBVector<number>);
    for (let r = 0; r < chunk.rowCount; r++) {
      const [f, fa, s, sa] = [failures.getItem(r)!, failureAge.getItem(r)!, suspensions.getItem(r)!, suspensionAge.getItem(r)!];
      lifeOf(bySku, sku.getItem(r)!).add(f, fa, s, sa);
      lifeOf(byBatch, batch.getItem(r)!).add(f, fa, s, sa);
    }
  }
  return { bySku, byBatch };
}

function tryFit(life: LifeColumns | undefined, minFailures: number): WeibullFit | undefined {
  if (!life || life.failureCount < minFailures) return undefined;
  try {
    return weibullFitColumns(life.times, life.failures, life.suspensions);
  } catch (e) {
    // Degenerate life data (all failures at one age, …): no projection rather than a wrong one.
    if (e instanceof WeibullFitError) return undefined;
    throw e;
  }
}

/** Status rules of CONTRACT 7.1; a statistically confirmed breach needs no further exposure. */
export function batchStatus(input: {
  unitsShipped: number;
  minUnits: number;
  threshold: number;
  defectRate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  projectedRate: number | null;
}): BatchStatus {
  const { unitsShipped, minUnits, threshold, defectRate, ciLow, ciHigh, projectedRate } = input;
  if (ciLow !== null && ciLow > threshold) return 'confirmed_breach';
  if (unitsShipped < minUnits || defectRate === null) return 'insufficient_exposure';
  if (defectRate > threshold) return 'breach';
  if ((projectedRate !== null && projectedRate > threshold) || (ciHigh !== null && ciHigh > threshold)) return 'watch';
  return 'ok';
}

export const batchColumns: readonly (readonly [string, ColumnType])[] = [
  ['batch_id', 'VARCHAR'],
  ['sku', 'VARCHAR'],
  ['units_shipped', 'BIGINT'],
  ['unit_days', 'DOUBLE'],
  ['returns', 'BIGINT'],
  ['confirmed_defects', 'BIGINT'],
  ['pending', 'BIGINT'],
  ['no_trouble_found', 'BIGINT'],
  ['defect_rate', 'DOUBLE'],
  ['ci_low', 'DOUBLE'],
  ['ci_high', 'DOUBLE'],
  ['projected_rate', 'DOUBLE'],
  ['threshold', 'DOUBLE'],
  ['status', 'VARCHAR'],
  // beyond the contract: where the projection came from
  ['projection_basis', 'VARCHAR'],
  ['expected_future_defects', 'DOUBLE'],
  ['weibull_beta', 'DOUBLE'],
  ['weibull_eta', 'DOUBLE'],
  ['as_of', 'DATE'],
];

export const model: TsModel = {
  name: 'batches',
  grain: ['batch_id'],
  inputs: ['models.batch_quality', 'models.batch_age_profile', 'models.stg_warranty'],
  audits: [
    { kind: 'not_null', columns: ['status'] },
    { kind: 'between', columns: ['defect_rate'], low: 0, high: 1 },
    { kind: 'between', columns: ['ci_low'], low: 0, high: 1 },
    { kind: 'between', columns: ['ci_high'], low: 0, high: 1 },
    { kind: 'between', columns: ['projected_rate'], low: 0, high: 1 },
  ],
  description: 'Batch quality per CONTRACT 7.1: Wilson interval, projected in-warranty defect rate (Weibull), status.',
  async run(conn, ctx: BuildContext) {
    const config = ctx.config as ModelConfig;
    const settings = config.settings.batches;
    const quality = await queryRows<QualityRow>(
      conn,
      `SELECT q.*, w.warranty_days FROM models.batch_quality AS q LEFT JOIN models.stg_warranty AS w ON w.sku = q.sku ORDER BY q.batch_id`,
    );
    const { bySku, byBatch } = await readProfile(conn);
    const skuFits = new Map<string, WeibullFit | undefined>();
    for (const [sku, life] of bySku) skuFits.set(sku, tryFit(life, settings.min_failures_for_sku_fit));

    // Share of inspected defect claims that were confirmed, per SKU: the expected yield of pending claims.
    const confirmShare = new Map<string, number>();
    const skuCounts = new Map<string, { confirmed: number; inspected: number }>();
    for (const q of quality) {
      const c = skuCounts.get(q.sku) ?? { confirmed: 0, inspected: 0 };
      c.confirmed += q.confirmed_defects;
      c.inspected += q.inspected_defect_claims;
      skuCounts.set(q.sku, c);
    }
    for (const [sku, c] of skuCounts) confirmShare.set(sku, c.inspected > 0 ? c.confirmed / c.inspected : 1);

    const rows = quality.map((q) => {
      const threshold = config.batchThreshold(q.sku);
      const n = q.units_shipped;
      const interval = n > 0 ? wilsonInterval(Math.min(q.confirmed_defects, n), n, settings.confidence) : null;
      const defectRate = interval ? interval.estimate : null;
      const ownFit = q.confirmed_defects >= settings.min_failures_for_batch_fit ? tryFit(byBatch.get(q.batch_id), settings.min_failures_for_batch_fit) : undefined;
      const fit = ownFit ?? skuFits.get(q.sku);
      let projectedRate: number | null = null;
      let expectedFuture: number | null = null;
      if (n > 0 && fit && q.warranty_days) {
        // the batch's units still at risk: its suspension groups younger than the warranty
        const life = byBatch.get(q.batch_id);
        const inWarranty = life ? life.times.flatMap((age, i) => (life.suspensions[i] > 0 && age < q.warranty_days! ? [{ age, count: life.suspensions[i] }] : [])) : [];
        expectedFuture = weibullForecast(fit, inWarranty, q.warranty_days, q.warranty_days).total;
        const expectedFromPending = q.open_pending * (confirmShare.get(q.sku) ?? 1);
        projectedRate = Math.min(1, (q.confirmed_defects + expectedFromPending + expectedFuture) / n);
      }
      const status = batchStatus({
        unitsShipped: n,
        minUnits: settings.min_units,
        threshold,
        defectRate,
        ciLow: interval?.low ?? null,
        ciHigh: interval?.high ?? null,
        projectedRate,
      });
      return {
        batch_id: q.batch_id,
        sku: q.sku,
        units_shipped: n,
        unit_days: q.unit_days,
        returns: q.returns,
        confirmed_defects: q.confirmed_defects,
        pending: q.pending,
        no_trouble_found: q.no_trouble_found,
        defect_rate: defectRate,
        ci_low: interval?.low ?? null,
        ci_high: interval?.high ?? null,
        projected_rate: projectedRate,
        threshold,
        status,
        projection_basis: fit ? (ownFit ? 'batch' : 'sku') : null,
        expected_future_defects: expectedFuture,
        weibull_beta: fit?.beta ?? null,
        weibull_eta: fit?.eta ?? null,
        as_of: ctx.asOf,
      };
    });
    await writeModelTable(conn, 'batches', batchColumns, rows);
  },
};
