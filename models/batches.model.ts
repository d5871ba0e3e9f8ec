import { queryRows } from '../pipeline/store.js';
import type { ModelConfig } from '../pipeline/config.js';
import type { BuildContext, TsModel } from './model.js';
import { writeModelTable, type ColumnType } from './runner.js';
import { WeibullFitError, weibullFit, weibullForecast, wilsonInterval, type WeibullFit } from './stats/index.js';

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

interface ProfileRow {
  batch_id: string;
  sku: string;
  failures: number;
  failure_age: number | null;
  suspensions: number;
  suspension_age: number | null;
}

interface LifeGroups {
  failures: { time: number; count: number }[];
  suspensions: { time: number; count: number }[];
  failureCount: number;
}

const emptyLife = (): LifeGroups => ({ failures: [], suspensions: [], failureCount: 0 });

function addProfile(into: LifeGroups, p: ProfileRow): void {
  // Age 0 carries no information for a fit (and failures must be at age > 0): half a day stands in.
  if (p.failures > 0 && p.failure_age !== null) {
    into.failures.push({ time: Math.max(p.failure_age, 0.5), count: p.failures });
    into.failureCount += p.failures;
  }
  if (p.suspensions > 0 && p.suspension_age !== null && p.suspension_age > 0) into.suspensions.push({ time: p.suspension_age, count: p.suspensions });
}

function tryFit(life: LifeGroups, minFailures: number): WeibullFit | undefined {
  if (life.failureCount < minFailures) return undefined;
  try {
    return weibullFit({ failures: life.failures, suspensions: life.suspensions });
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
    const profile = await queryRows<ProfileRow>(conn, 'SELECT * FROM models.batch_age_profile ORDER BY batch_id, age_bucket');

    const bySku = new Map<string, LifeGroups>();
    const byBatch = new Map<string, LifeGroups>();
    const atRisk = new Map<string, { age: number; count: number }[]>();
    for (const p of profile) {
      if (!bySku.has(p.sku)) bySku.set(p.sku, emptyLife());
      if (!byBatch.has(p.batch_id)) byBatch.set(p.batch_id, emptyLife());
      addProfile(bySku.get(p.sku)!, p);
      addProfile(byBatch.get(p.batch_id)!, p);
      if (p.suspensions > 0 && p.suspension_age !== null) {
        if (!atRisk.has(p.batch_id)) atRisk.set(p.batch_id, []);
        atRisk.get(p.batch_id)!.push({ age: p.suspension_age, count: p.suspensions });
      }
    }
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
      const ownFit = q.confirmed_defects >= settings.min_failures_for_batch_fit ? tryFit(byBatch.get(q.batch_id) ?? emptyLife(), settings.min_failures_for_batch_fit) : undefined;
      const fit = ownFit ?? skuFits.get(q.sku);
      let projectedRate: number | null = null;
      let expectedFuture: number | null = null;
      if (n > 0 && fit && q.warranty_days) {
        const inWarranty = (atRisk.get(q.batch_id) ?? []).filter((g) => g.age < q.warranty_days!);
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
