import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { defaultConfig, loadConfig } from '../../pipeline/config.js';
import { slaCalendar, type SlaCalendar } from '../../pipeline/model-variables.js';
import { assetPath } from '../../pipeline/paths.js';
import { sqlString } from '../../pipeline/sql-text.js';

/** The stage times of a line and the columns their business-clock readings are kept in. */
const stageClocks = [
  ['opened_at', 'opened_clock'],
  ['approved_at', 'approved_clock'],
  ['received_at', 'received_clock'],
  ['inspected_at', 'inspected_clock'],
  ['resolved_at', 'resolved_clock'],
  ['closed_at', 'closed_clock'],
] as const;

/** The columns this step fills; a line written by ingest has them NULL until it is read. */
export const clockColumns = ['clock_calendar', ...stageClocks.map(([, clock]) => clock)];

/** Define the clock macros (business-clock.sql) for one holiday calendar on this connection. */
async function defineBusinessClock(conn: DuckDBConnection, calendar: SlaCalendar): Promise<void> {
  const sql = readFileSync(assetPath('ingest', 'normalise', 'business-clock.sql'), 'utf8')
    .replaceAll('$holidays_before', `[${calendar.sla_holidays_before.map((n) => Math.trunc(n)).join(', ')}]`)
    .replaceAll('$holiday_from', String(Math.trunc(calendar.sla_holiday_from)))
    .replaceAll('$holiday_last', String(Math.trunc(calendar.sla_holiday_last)));
  await conn.run(sql);
}

/**
 * Read each line's stage times on the SLA business clock of `calendar` (clock_calendar names it): the lines
 * never read, or read on another calendar. The readings do not depend on the analysis date, so they are
 * taken as lines land (ingest) and a build reads them (models/sla_items.sql) instead of working the clock
 * out for 10 M lines each time; a build on another calendar reads every line again once. `unreadOnly` (as
 * lines land): leave lines read on another calendar alone, so an ingest on the configuration file's
 * calendar and builds given another do not read the whole store back and forth. Returns how many lines
 * were read.
 */
export async function clockLines(conn: DuckDBConnection, calendar: SlaCalendar, options: { unreadOnly?: boolean } = {}): Promise<number> {
  const pending = options.unreadOnly ? 'clock_calendar IS NULL' : 'clock_calendar IS DISTINCT FROM $1';
  await defineBusinessClock(conn, calendar);
  const updated = await conn.run(
    `UPDATE rma SET ${stageClocks.map(([time, clock]) => `${clock} = rma_business_seconds(epoch_us(${time}))`).join(', ')}, clock_calendar = ${sqlString(calendar.sla_calendar)}
     WHERE ${pending}`,
    options.unreadOnly ? [] : [calendar.sla_calendar],
  );
  return updated.rowsChanged;
}

/** The calendar of the configuration in force where lines land (rma-intel.config.json, else the defaults). */
export function landingCalendar(): SlaCalendar {
  let holidays: string[];
  try {
    holidays = loadConfig().sla.holidays;
  } catch {
    holidays = defaultConfig().sla.holidays;   // a broken config file is the build's to report; the build re-reads
  }
  return slaCalendar(holidays);
}
