import { sqlString } from '../../sql-text.js';
import type { AlertRule, Observation, Severity } from '../types.js';
import { queryRows } from '../../store.js';
import { evidenceKeys, modelExists } from './support.js';

/** A production batch whose status (CONTRACT 7.1) is one of the configured bad ones. */

interface BatchRow {
  batch_id: string;
  sku: string | null;
  status: string;
  defect_rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  projected_rate: number | null;
  threshold: number;
  units_shipped: number | null;
  unit_days: number | null;
  confirmed_defects: number | null;
  pending: number | null;
  no_trouble_found: number | null;
}

const severity: Record<string, Severity> = { confirmed_breach: 'critical', breach: 'high', watch: 'medium' };

export const batchStatusRule: AlertRule = {
  name: 'batch_status',
  enabled: (s) => s.batch_status.enabled,
  async evaluate(ctx) {
    const { conn, settings } = ctx;
    if (!(await modelExists(ctx, 'batches'))) return undefined;
    // only the columns the evidence shows, read column by column (25,000 batches at 10 M RMAs)
    const batches = await queryRows<BatchRow>(conn, `
      SELECT batch_id, sku, status, defect_rate, ci_low, ci_high, projected_rate, threshold, units_shipped, unit_days,
             confirmed_defects, pending, no_trouble_found
      FROM models.batches WHERE status IS NOT NULL ORDER BY batch_id`);
    // Evidence is stored only for firing batches and open alerts (lifecycle.ts); the keys of 25,000
    // ok batches cost 3.5 s at 10 M RMAs and were thrown away.
    const firing = (settings.batch_status.statuses as string[]).map(sqlString).join(', ') || 'NULL';
    const keys = (await modelExists(ctx, 'stg_rma'))
      ? await evidenceKeys(conn, `
          SELECT batch_id AS subject_id, rma_key FROM models.stg_rma
          WHERE is_confirmed_defect
            AND batch_id IN (
              SELECT batch_id FROM models.batches WHERE status IN (${firing})
              UNION ALL
              SELECT subject_id FROM alerts WHERE rule = 'batch_status' AND state <> 'resolved')`, [], settings.evidence_keys)
      : new Map();
    return batches.map((b): Observation => ({
      rule: 'batch_status',
      subject_type: 'batch',
      subject_id: b.batch_id,
      severity: severity[b.status] ?? 'low',
      metric: 'defect_rate',
      value: b.defect_rate,
      threshold: b.threshold,
      direction: 'above',
      firing: (settings.batch_status.statuses as string[]).includes(b.status),
      evidence: {
        sku: b.sku,
        status: b.status,
        defect_rate: b.defect_rate,
        ci_low: b.ci_low,
        ci_high: b.ci_high,
        projected_rate: b.projected_rate,
        threshold: b.threshold,
        units_shipped: b.units_shipped,
        unit_days: b.unit_days,
        confirmed_defects: b.confirmed_defects,
        pending: b.pending,
        no_trouble_found: b.no_trouble_found,
        ...(keys.get(b.batch_id) ?? { rma_keys: [], rma_count: 0 }),
      },
    }));
  },
};
