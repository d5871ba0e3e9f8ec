/* step: the SLA business clock, as a macro for the connection
   A time in business seconds since Monday 1970-01-05 (day 4): business days (weekdays that are not
   holidays) before its UTC date × 86400, plus its time of day on a business day. Differences of these are
   business durations; weekends and holidays add nothing. NULL stays NULL. Epoch microseconds in, by
   arithmetic on UTC day numbers: TIMESTAMPTZ casts, isodow and date_trunc go through ICU and cost several
   times as much a row.
   Holidays: $holidays_before[i + 1] = weekday holidays before day number $holiday_from + i, for
   i = 0 … $holiday_last (pipeline/model-variables.ts holidayClock); without holidays the lookups fold to 0
   when the statement is planned. */
CREATE OR REPLACE TEMP MACRO rma_holidays_before(day) AS
  CASE WHEN $holiday_last = 0 THEN 0 ELSE $holidays_before[least(greatest(day - $holiday_from, 0), $holiday_last) + 1] END;
CREATE OR REPLACE TEMP MACRO rma_business_day_seconds(us, day) AS
  ((day - 4) // 7 * 5 + least((day - 4) % 7, 5) - rma_holidays_before(day)) * 86400
    + CASE WHEN (day - 4) % 7 < 5 AND rma_holidays_before(day + 1) = rma_holidays_before(day) THEN us / 1000000 - day * 86400 ELSE 0 END;
CREATE OR REPLACE TEMP MACRO rma_business_seconds(us) AS
  rma_business_day_seconds(us, floor(us / 86400000000)::BIGINT);
