import { createHash } from 'node:crypto';
import type { RmaConfig } from './config.js';

const dayNumber = (isoDay: string): number => Date.parse(`${isoDay}T00:00:00Z`) / 86_400_000;

/**
 * Holidays as the SQL clock reads them (ingest/normalise/business-clock.sql for each line's stage times,
 * models/sla_items.sql for the end of the analysis date): `sla_holidays_before[i + 1]` = weekday holidays
 * before day number `sla_holiday_from + i`, for i = 0 … `sla_holiday_last`; days before the first index have
 * none before them, days after the last have them all. A lookup in a constant list per row, not a search:
 * the clock reads every RMA line. The last index is passed on its own so the SQL (and the views it is pinned
 * into) need not repeat the list to take its length. Weekend holidays change nothing.
 */
export function holidayClock(holidays: readonly string[]): { sla_holiday_from: number; sla_holiday_last: number; sla_holidays_before: number[] } {
  const isWeekday = (day: number): boolean => (day + 3) % 7 < 5;   // day 0, 1970-01-01, was a Thursday
  const days = [...new Set(holidays.map(dayNumber))].filter(isWeekday).sort((a, b) => a - b);
  if (!days.length) return { sla_holiday_from: 0, sla_holiday_last: 0, sla_holidays_before: [0] };
  const from = days[0];
  const before: number[] = [];
  for (let day = from, seen = 0; day <= days[days.length - 1] + 1; day++) {
    before.push(seen);
    if (days[seen] === day) seen++;
  }
  return { sla_holiday_from: from, sla_holiday_last: before.length - 1, sla_holidays_before: before };
}

/** The holiday clock and a name for it (`sla_calendar`): stage clocks counted on one calendar are not reused on another. */
export type SlaCalendar = ReturnType<typeof holidayClock> & { sla_calendar: string };

export function slaCalendar(holidays: readonly string[]): SlaCalendar {
  const clock = holidayClock(holidays);
  const name = clock.sla_holiday_last ? createHash('sha256').update(JSON.stringify(clock)).digest('hex').slice(0, 16) : 'weekdays';
  return { ...clock, sla_calendar: name };
}

/** Settings the SQL models read with getvariable() (pinned into views as literals). */
export function modelVariables(settings: RmaConfig): Record<string, number | number[] | string> {
  return {
    default_warranty_months: settings.warranty.default_months,
    age_bands: settings.firmware.age_bands,
    sla_response_hours: settings.sla.response_hours,
    sla_inspection_hours: settings.sla.inspection_hours,
    sla_resolution_days: settings.sla.resolution_working_days,
    ...slaCalendar(settings.sla.holidays),
  };
}
