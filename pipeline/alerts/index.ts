import { DOUBLE, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { BuildContext } from '../../models/model.js';
import { appendColumns } from '../append-columns.js';
import { RmaError } from '../errors.js';
import { createTableSql } from '../schema/ddl.js';
import { alertsTable, alertStates } from '../schema/tables.js';
import { queryRows, type Store } from '../store.js';
import { alertsConfigOf, type AlertsConfig } from './config.js';
import { transition, type Change } from './lifecycle.js';
import { alertRules } from './rules/index.js';
import type { AlertRow, Observation } from './types.js';
import { sendWebhook, type WebhookResult } from './webhook.js';
import { ensureShipDays } from '../../ingest/normalise/ship-days.js';

export { alertsConfigSchema, type AlertsConfig } from './config.js';
export { alertId, transition } from './lifecycle.js';
export { signPayload, verifySignature, signatureHeader } from './webhook.js';
export type { AlertRow, Observation, AlertRule } from './types.js';

/**
 * Alerts (CONTRACT 7.5): after each build every enabled rule judges its subjects; the state machine in
 * lifecycle.ts turns that into open / acknowledged / resolved rows of the `alerts` table, one per
 * (rule, subject). Changes go out on the optional signed webhook.
 */

export interface EvaluateResult {
  opened: number;
  resolved: number;
  /** Alerts in state open after this build (acknowledged ones are not counted: someone owns them). */
  open: number;
  acknowledged: number;
  webhook?: WebhookResult;
}

const publicColumns = alertsTable.columns.filter((c) => !c.internal).map((c) => c.name);

async function ensureTable(conn: DuckDBConnection): Promise<void> {
  // Stores created before the alerts table existed get it here (CREATE TABLE IF NOT EXISTS).
  await conn.run(createTableSql(alertsTable));
}

/** The columns the lifecycle reads back: all but evidence, which only unobserved alerts keep (read for those alone). */
const stateColumns = alertsTable.columns.map((c) => c.name).filter((c) => c !== 'evidence');

/**
 * How a value travels to the staging table: text for text, enum, JSON and timestamps (cast in the INSERT),
 * numbers as numbers. Values are what JSON would have carried (the rows used to travel as one JSON
 * document): a non-finite number is NULL, -0 is 0.
 */
const stagingType = (kind: string): [DuckDBType, string] =>
  (kind === 'double' ? [DOUBLE, 'DOUBLE'] : kind === 'int' ? [INTEGER, 'INTEGER'] : [VARCHAR, 'VARCHAR']);
function stagingValue(v: unknown, kind: string): DuckDBValue {
  if (v === null || v === undefined) return null;
  if (kind === 'json') return JSON.stringify(v);
  if (kind === 'double' || kind === 'int') {
    const n = Number(v);
    return Number.isFinite(n) ? n + 0 : null;
  }
  return String(v);
}

/**
 * Write every changed row: column by column into a temp table through the appender, then one
 * INSERT OR REPLACE. Evidence goes as its own JSON text so the stored document is byte-for-byte what
 * the rule produced. (The rows used to travel as one JSON array unnested in SQL: every column's
 * ->> parsed each row's document again, 1.5 s of 25,000 batch alerts at 10 M RMAs.)
 */
async function upsertAll(conn: DuckDBConnection, rows: AlertRow[]): Promise<void> {
  if (!rows.length) return;
  const cols = alertsTable.columns;
  await conn.run(`CREATE OR REPLACE TEMP TABLE alerts__rows (${cols.map((c) => `${c.name} ${stagingType(c.kind)[1]}`).join(', ')})`);
  await appendColumns(conn, 'alerts__rows', cols.map((c) => ({
    type: stagingType(c.kind)[0],
    valueAt: (r: number) => stagingValue(rows[r][c.name as keyof AlertRow], c.kind),
  })), rows.length);
  const cast = (name: string, kind: string): string => {
    switch (kind) {
      case 'json': return `CAST(${name} AS JSON)`;
      case 'timestamp': return `CAST(${name} AS TIMESTAMPTZ)`;
      default: return name;
    }
  };
  await conn.run(`INSERT OR REPLACE INTO alerts (${cols.map((c) => c.name).join(', ')})
     SELECT ${cols.map((c) => cast(c.name, c.kind)).join(', ')} FROM alerts__rows`);
  await conn.run('DROP TABLE alerts__rows');
}

const keyOf = (rule: string, type: string, id: string): string => `${rule}\u0000${type}\u0000${id}`;

/**
 * Evaluate every enabled rule against the models just built and move each alert through its states.
 * Runs after the models (the build calls it); time stamps are the build's as-of date.
 */
export async function evaluateAlerts(store: Store, ctx: BuildContext): Promise<EvaluateResult> {
  const settings: AlertsConfig = alertsConfigOf(ctx.config);
  const { changes, counts } = await store.transaction(async (conn) => {
    await ensureTable(conn);
    // the SPC rule counts units in the field from the registry's ship-day counts: a build has settled them, a caller outside one may not have
    await ensureShipDays(conn);
    await conn.run(`SET VARIABLE as_of = DATE '${ctx.asOf.replaceAll("'", '')}'`);
    const existing = await queryRows<AlertRow>(conn, `SELECT ${stateColumns.join(', ')} FROM alerts`);
    const byKey = new Map(existing.map((a) => [keyOf(a.rule, a.subject_type, a.subject_id), a]));
    const hysteresis = { margin: settings.hysteresis_margin, cleanBuildsToResolve: settings.clean_builds_to_resolve };
    const judged: { rule: string; seen: Map<string, Observation> }[] = [];
    const shared = new Map<string, Promise<unknown>>();
    for (const rule of alertRules) {
      // A disabled rule, or one whose model is missing, leaves its alerts as they are.
      const observations = rule.enabled(settings) ? await rule.evaluate({ conn, build: ctx, settings, shared }) : undefined;
      if (!observations) continue;
      judged.push({ rule: rule.name, seen: new Map(observations.map((o) => [keyOf(o.rule, o.subject_type, o.subject_id), o])) });
    }
    // An open alert its rule did not observe this time keeps its stored evidence: read it for those only.
    const seenBy = new Map(judged.map((j) => [j.rule, j.seen]));
    const unobserved = existing.filter((a) => a.state !== 'resolved' && seenBy.get(a.rule)?.has(keyOf(a.rule, a.subject_type, a.subject_id)) === false);
    if (unobserved.length) {
      const stored = await queryRows<{ id: string; evidence: unknown }>(conn,
        'SELECT id, evidence FROM alerts WHERE id IN (SELECT unnest(CAST(CAST($1 AS JSON) AS VARCHAR[])))', [JSON.stringify(unobserved.map((a) => a.id))]);
      const evidence = new Map(stored.map((r) => [r.id, r.evidence]));
      for (const a of unobserved) a.evidence = evidence.get(a.id) ?? null;
    }
    const changes: { change: Change; alert: AlertRow }[] = [];
    const writes: AlertRow[] = [];
    for (const { rule, seen } of judged) {
      const keys = new Set([...seen.keys(), ...existing.filter((a) => a.rule === rule).map((a) => keyOf(a.rule, a.subject_type, a.subject_id))]);
      for (const key of keys) {
        const { row, change } = transition(byKey.get(key), seen.get(key), ctx.asOf, hysteresis);
        if (!row || change === 'unchanged') continue;
        writes.push(row);
        changes.push({ change, alert: row });
      }
    }
    await upsertAll(conn, writes);
    const [counts] = await queryRows<{ open: number; acknowledged: number }>(conn, `
      SELECT count(*) FILTER (WHERE state = 'open') AS open, count(*) FILTER (WHERE state = 'acknowledged') AS acknowledged FROM alerts`);
    return { changes, counts };
  });
  const opened = changes.filter((c) => c.change === 'opened' || c.change === 'reopened');
  const resolved = changes.filter((c) => c.change === 'resolved');
  const result: EvaluateResult = { opened: opened.length, resolved: resolved.length, open: counts.open, acknowledged: counts.acknowledged };
  if (settings.webhook && (opened.length || resolved.length)) {
    const secret = process.env[settings.webhook.secret_env];
    if (!secret) {
      result.webhook = { url: settings.webhook.url, error: `environment variable ${settings.webhook.secret_env} (the webhook secret) is not set; nothing sent` };
    } else {
      const payload = {
        event: 'rma-intel.alerts',
        as_of: ctx.asOf,
        changes: [...opened, ...resolved].map((c) => ({ change: c.change === 'reopened' ? 'opened' : c.change, alert: publicRow(c.alert) })),
      };
      result.webhook = await sendWebhook(settings.webhook.url, payload, secret, settings.webhook.timeout_ms);
    }
    if (result.webhook.error) process.stderr.write(`rma-intel: alert webhook to ${result.webhook.url}: ${result.webhook.error}\n`);
  }
  return result;
}

function publicRow(row: AlertRow): Record<string, unknown> {
  return Object.fromEntries(publicColumns.map((c) => [c, row[c as keyof AlertRow] ?? null]));
}

async function tableExists(store: Store): Promise<boolean> {
  const row = await store.one<{ n: number }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'alerts'");
  return (row?.n ?? 0) > 0;
}

/**
 * Alerts in a state ('all' or undefined for every state), most recently updated first.
 * Accepts the state or `{ state }` (the API passes an options object).
 */
export async function listAlerts(store: Store, state?: string | { state?: string }): Promise<Record<string, unknown>[]> {
  const wanted = typeof state === 'object' ? state?.state : state;
  if (wanted && wanted !== 'all' && !(alertStates as readonly string[]).includes(wanted)) {
    throw new RmaError('RMA_ERR_USAGE', `unknown alert state '${wanted}'; use ${[...alertStates, 'all'].join(', ')}`, { column: 'state' });
  }
  if (!(await tableExists(store))) return [];
  const filter = wanted && wanted !== 'all' ? 'WHERE state = $1' : '';
  return store.all(
    `SELECT ${publicColumns.join(', ')}, ack_note, acked_at FROM alerts ${filter}
     ORDER BY CASE state WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END, updated_at DESC, id`,
    filter ? [wanted!] : [],
  );
}

/**
 * Acknowledge an open alert: someone owns it. It stays acknowledged while the condition holds and
 * resolves like any other. Acknowledging an acknowledged alert updates the note; a resolved one is a conflict.
 */
export async function acknowledgeAlert(store: Store, id: string | number, note?: string): Promise<Record<string, unknown>> {
  const key = String(id);
  const current = (await tableExists(store)) ? await store.one<{ state: string }>('SELECT state FROM alerts WHERE id = $1', [key]) : undefined;
  if (!current) throw new RmaError('RMA_ERR_NOT_FOUND', `no alert with id '${key}'`, { id: key });
  if (current.state === 'resolved') throw new RmaError('RMA_ERR_CONFLICT', `alert ${key} is resolved; only open alerts can be acknowledged`, { id: key });
  // The acknowledgement is a human act: it carries the real time, unlike the build's as-of stamps.
  await store.run("UPDATE alerts SET state = 'acknowledged', ack_note = $2, acked_at = now() WHERE id = $1", [key, note ?? null]);
  return (await store.one(`SELECT ${publicColumns.join(', ')}, ack_note, acked_at FROM alerts WHERE id = $1`, [key]))!;
}
