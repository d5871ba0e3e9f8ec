import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { assetPath } from '../../pipeline/paths.js';
import { queryRows } from '../../pipeline/store.js';
import { sqlString } from '../../pipeline/sql-text.js';
import type { SlaCalendar } from '../../pipeline/model-variables.js';
import { clockLines, landingCalendar } from './business-clock.js';
import { ensureShipDays } from './ship-days.js';

const sql = (name: string): string => readFileSync(assetPath('ingest', 'normalise', name), 'utf8');

/**
 * Suggest a failure code from the free text of every RMA line that has neither a stated nor a verified code
 * (suggest-failure-codes.sql). Suggestions live in their own columns and never touch stated/verified codes;
 * a line that has since received a code loses its suggestion. Returns how many lines carry one.
 */
export async function suggestFailureCodes(conn: DuckDBConnection): Promise<number> {
  await conn.run(`UPDATE rma SET failure_code_suggested = NULL, failure_code_suggestion_confidence = NULL
    WHERE failure_code_suggested IS NOT NULL OR failure_code_suggestion_confidence IS NOT NULL`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE rma_suggestions AS ${sql('suggest-failure-codes.sql')}`);
  await conn.run(`UPDATE rma SET failure_code_suggested = s.failure_code_suggested, failure_code_suggestion_confidence = s.failure_code_suggestion_confidence
    FROM rma_suggestions AS s WHERE rma.rma_key = s.rma_key`);
  const [{ n }] = await queryRows<{ n: number }>(conn, 'SELECT count(*)::INTEGER AS n FROM rma_suggestions');
  await conn.run('DROP TABLE rma_suggestions');
  return n;
}

/** Days two sources' records of one return may differ in opened_at (portal request vs ERP authorisation). */
export const duplicateWindowDays = 14;

/**
 * Link the same return arriving from several sources (link-duplicates.sql): later records get duplicate_of =
 * the first record's rma_key; reports count `duplicate_of IS NULL`. Recomputed from scratch each time, so a
 * corrected record unlinks itself. Returns how many lines are marked as duplicates.
 */
export async function linkDuplicates(conn: DuckDBConnection, windowDays = duplicateWindowDays): Promise<number> {
  // Every pair across sources has a line from outside the source with the most lines. While those lines are
  // few (a fifth or less), the self-join is restricted to the lines whose keys they name; past that the
  // restriction costs more than it saves. With one source there is nothing to pair.
  const sources = await queryRows<{ source: string; n: number }>(conn,
    'SELECT source, count(*) AS n FROM rma WHERE opened_at IS NOT NULL GROUP BY source ORDER BY n DESC, source');
  const total = sources.reduce((sum, s) => sum + s.n, 0);
  const prefilter = total - (sources[0]?.n ?? 0) <= total / 5;
  const query = sql('link-duplicates.sql')
    .replaceAll('$window_days', String(Math.max(0, Math.floor(windowDays))))
    .replaceAll('$main_source', sources.length ? sqlString(sources[0].source) : 'NULL')
    .replaceAll('$prefilter', String(prefilter));
  await conn.run(`CREATE OR REPLACE TEMP TABLE rma_duplicates AS ${query}`);
  // A line linked or unlinked changes which of its serial's lines is the unit's first return.
  await markUnresolved(conn, `SELECT r.serial_number FROM rma AS r LEFT JOIN rma_duplicates AS d ON d.rma_key = r.rma_key
    WHERE (r.duplicate_of IS NOT NULL OR d.rma_key IS NOT NULL) AND r.duplicate_of IS DISTINCT FROM d.duplicate_of`);
  await conn.run('UPDATE rma SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL');
  await conn.run('UPDATE rma SET duplicate_of = d.duplicate_of FROM rma_duplicates AS d WHERE rma.rma_key = d.rma_key');
  const [{ n }] = await queryRows<{ n: number }>(conn, 'SELECT count(*)::INTEGER AS n FROM rma_duplicates');
  await conn.run('DROP TABLE rma_duplicates');
  return n;
}

/** The columns resolve-units.sql fills; a line written by ingest has them NULL until it is resolved. */
export const resolvedColumns = ['unit_sku', 'unit_batch_id', 'unit_firmware_version', 'unit_shipped_at', 'unit_dealer_id', 'is_first_return', 'is_first_claim'] as const;

/** Send every line of the serials that `serialsSql` selects back to resolution: their lines or registry rows changed. */
export async function markUnresolved(conn: DuckDBConnection, serialsSql: string): Promise<void> {
  await conn.run(`UPDATE rma SET is_first_return = NULL WHERE is_first_return IS NOT NULL AND serial_number IN (${serialsSql})`);
}

/**
 * Resolve the lines still to resolve against the unit registry (resolve-units.sql): the registry's facts about
 * each line's unit and whether the line is the unit's first return. Only the serials with such a line are
 * read, so after an ingest this costs what the new lines cost. Returns how many lines were resolved.
 */
export async function resolveUnits(conn: DuckDBConnection): Promise<number> {
  // a line without a serial names no unit
  const flags = ['is_first_return', 'is_first_claim'];
  const noUnit = resolvedColumns.filter((c) => !flags.includes(c)).map((c) => `${c} = NULL`).join(', ');
  await conn.run(`UPDATE rma SET ${noUnit}, is_first_return = false, is_first_claim = false
    WHERE (is_first_return IS NULL OR is_first_claim IS NULL) AND serial_number IS NULL`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE rma_resolved AS ${sql('resolve-units.sql')}`);
  await conn.run(`UPDATE rma SET ${resolvedColumns.map((c) => `${c} = s.${c}`).join(', ')} FROM rma_resolved AS s WHERE rma.rma_key = s.rma_key`);
  const [{ n }] = await queryRows<{ n: number }>(conn, 'SELECT count(*)::INTEGER AS n FROM rma_resolved');
  await conn.run('DROP TABLE rma_resolved');
  return n;
}

/**
 * All three steps, the registry's ship-day counts checked (ship-days.ts) and the stage times read on the SLA
 * business clock (business-clock.ts), after an ingest (or before a build). A build passes its calendar, and
 * every line not on it is read on it; without one, only unread lines are read, on the configuration file's.
 */
export async function normaliseRma(
  conn: DuckDBConnection,
  options: { windowDays?: number; calendar?: SlaCalendar } = {},
): Promise<{ suggested: number; duplicates: number; resolved: number; recounted: number; clocked: number }> {
  const suggested = await suggestFailureCodes(conn);
  const duplicates = await linkDuplicates(conn, options.windowDays);
  const resolved = await resolveUnits(conn);
  const recounted = await ensureShipDays(conn);
  const clocked = await (options.calendar ? clockLines(conn, options.calendar) : clockLines(conn, landingCalendar(), { unreadOnly: true }));
  return { suggested, duplicates, resolved, recounted, clocked };
}
