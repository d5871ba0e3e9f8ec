import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../store.js';

/** Whether a model table exists (a rule whose input was never built stays silent). */
export async function modelExists(conn: DuckDBConnection, name: string): Promise<boolean> {
  const rows = await queryRows<{ n: number }>(
    conn,
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'models' AND table_name = $1",
    [name],
  );
  return rows[0].n > 0;
}

/**
 * Record keys behind each subject: `keysSql` selects (subject_id, rma_key); the answer carries the
 * first `cap` keys in key order and the complete count.
 */
export async function evidenceKeys(conn: DuckDBConnection, keysSql: string, params: (string | number)[], cap: number): Promise<Map<string, { rma_keys: string[]; rma_count: number }>> {
  const n = Math.max(0, Math.floor(cap));
  // min(key, n) keeps the n smallest keys in a small heap per subject, in order; sorting every subject's
  // keys and slicing took seconds on a million claims
  const keys = n > 0 ? `min(rma_key, ${n})` : '[]::VARCHAR[]';
  const rows = await queryRows<{ subject_id: string; rma_keys: string[]; rma_count: number }>(conn, `
    SELECT subject_id, ${keys} AS rma_keys, count(*) AS rma_count
    FROM (${keysSql})
    GROUP BY subject_id`, params);
  return new Map(rows.map((r) => [r.subject_id, { rma_keys: r.rma_keys ?? [], rma_count: r.rma_count }]));
}
