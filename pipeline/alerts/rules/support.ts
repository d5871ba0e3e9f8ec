import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../store.js';
import type { RuleContext } from '../types.js';

/**
 * Work the rules of one evaluation share (which models exist, the reserve rules' claim keys): done once
 * per evaluation, or every time when the context carries no cache.
 */
export function shared<T>(ctx: Pick<RuleContext, 'shared'>, key: string, work: () => Promise<T>): Promise<T> {
  if (!ctx.shared) return work();
  let done = ctx.shared.get(key) as Promise<T> | undefined;
  if (!done) ctx.shared.set(key, (done = work()));
  return done;
}

/** Whether a model table exists (a rule whose input was never built stays silent). */
export async function modelExists(ctx: Pick<RuleContext, 'conn' | 'shared'>, name: string): Promise<boolean> {
  // one catalogue query per evaluation, not one per rule and input (about 15 ms each)
  const names = await shared(ctx, 'model tables', async () => new Set((await queryRows<{ name: string }>(
    ctx.conn,
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'models'",
  )).map((r) => r.name)));
  return names.has(name);
}

/**
 * Record keys behind each subject: `keysSql` selects (subject_id, rma_key); the answer carries the
 * first `cap` keys in key order and the complete count.
 */
export async function evidenceKeys(conn: DuckDBConnection, keysSql: string, params: (string | number)[], cap: number): Promise<Map<string, { rma_keys: string[]; rma_count: number }>> {
  const n = Math.max(0, Math.floor(cap));
  // min(key, n) keeps the n smallest keys in a small heap per subject, in order; sorting every subject's
  // keys and slicing took seconds on a million claims. The list comes as one JSON text per subject: read
  // as 20 separate strings each, the keys of 25,000 batches were most of the time spent reading results.
  const keys = n > 0 ? `CAST(to_json(min(rma_key, ${n})) AS VARCHAR)` : "'[]'";
  const rows = await queryRows<{ subject_id: string; rma_keys: string | null; rma_count: number }>(conn, `
    SELECT subject_id, ${keys} AS rma_keys, count(*) AS rma_count
    FROM (${keysSql})
    GROUP BY subject_id`, params);
  return new Map(rows.map((r) => [r.subject_id, { rma_keys: r.rma_keys === null ? [] : JSON.parse(r.rma_keys) as string[], rma_count: r.rma_count }]));
}
