import type { DuckDBConnection } from '@duckdb/node-api';
import type { BuildContext } from '../../models/model.js';
import { RmaError } from '../errors.js';
import { createTableSql } from '../schema/ddl.js';
import { alertsTable, alertStates } from '../schema/tables.js';
import { queryRows, type Store } from '../store.js';
import { alertsConfigOf, type AlertsConfig } from './config.js';
import { transition, type Change } from './lifecycle.js';
import { alertRules } from './rules/index.js';
import type { AlertRow, Observation } from './types.js';
import { sendWebhook, type WebhookResult } from './webhook.js';

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

/**
 * Write every changed row in one statement: the rows travel as one JSON array parameter and are
 * unnested in SQL (one round trip, not one INSERT per alert). Evidence goes as its own JSON text so
 * the stored document is byte-for-byte what the rule produced.
 */
async function upsertAll(conn: DuckDBConnection, rows: AlertRow[]): Promise<void> {
  if (!rows.length) return;
  const cols = alertsTable.columns.map((c) => c.name);
  const payload = JSON.stringify(rows.map((row) => Object.fromEntries(cols.map((c) => {
    const v = row[c as keyof AlertRow];
    return [c, c === 'evidence' ? (v === null || v === undefined ? null : JSON.stringify(v)) : (v ?? null)];
  }))));
  const typeOf = new Map(alertsTable.columns.map((c) => [c.name, c.kind]));
  const cast = (c: string): string => {
    const text = `r.j->>'${c}'`;
    switch (typeOf.get(c)) {
      case 'json': return `CAST(${text} AS JSON)`;
      case 'double': return `CAST(${text} AS DOUBLE)`;
      case 'int': return `CAST(${text} AS INTEGER)`;
      case 'timestamp': return `CAST(${text} AS TIMESTAMPTZ)`;
      default: return text;
    }
  };
  await conn.run(
    `INSERT OR REPLACE INTO alerts (${cols.join(', ')})
     SELECT ${cols.map(cast).join(', ')}
     FROM (SELECT unnest(CAST(CAST($1 AS JSON) AS JSON[])) AS j) AS r`,
    [payload],
  );
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
    await conn.run(`SET VARIABLE as_of = DATE '${ctx.asOf.replaceAll("'", '')}'`);
    const existing = await queryRows<AlertRow>(conn, 'SELECT * FROM alerts');
    const byKey = new Map(existing.map((a) => [keyOf(a.rule, a.subject_type, a.subject_id), a]));
    const hysteresis = { margin: settings.hysteresis_margin, cleanBuildsToResolve: settings.clean_builds_to_resolve };
    const changes: { change: Change; alert: AlertRow }[] = [];
    const writes: AlertRow[] = [];
    for (const rule of alertRules) {
      // A disabled rule, or one whose model is missing, leaves its alerts as they are.
      const observations = rule.enabled(settings) ? await rule.evaluate({ conn, build: ctx, settings }) : undefined;
      if (!observations) continue;
      const seen = new Map<string, Observation>(observations.map((o) => [keyOf(o.rule, o.subject_type, o.subject_id), o]));
      const keys = new Set([...seen.keys(), ...existing.filter((a) => a.rule === rule.name).map((a) => keyOf(a.rule, a.subject_type, a.subject_id))]);
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
