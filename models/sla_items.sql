/* model: sla_items
   grain: rma_key
   inputs: models.rpt_rma
   materialized: view
   Service-level promises per RMA line, in business time (Monday–Friday, UTC, less the configured
   holidays, `sla.holidays`): response (approval) within 48 business hours of the claim, inspection within
   48 business hours of receipt, resolution within 30 working days of the claim (defaults of the `sla`
   settings). A promise not yet kept is judged on its age on the analysis date: NULL while still within its
   limit, false once past it.
   A view: only sla_groups reads it, aggregating a few columns in one pass for sla and dealers; its rows
   are rpt_rma's (audited unique and not-null on rma_key) minus the cancelled ones. */
WITH params AS (
  SELECT (getvariable('as_of')::DATE + INTERVAL 1 DAY)::TIMESTAMPTZ AS as_of_end
),
stamped AS (
  -- Stage times as epoch microseconds and UTC day numbers: by arithmetic, because TIMESTAMPTZ casts,
  -- isodow and date_trunc go through ICU and cost several times as much per row.
  SELECT
    r.*,
    epoch_us(r.opened_at) AS us_opened,
    epoch_us(r.approved_at) AS us_approved,
    epoch_us(r.received_at) AS us_received,
    epoch_us(r.inspected_at) AS us_inspected,
    epoch_us(coalesce(r.resolved_at, r.closed_at)) AS us_resolved,
    epoch_us(p.as_of_end) AS us_as_of_end
  FROM models.rpt_rma AS r
  CROSS JOIN params AS p
  WHERE NOT r.cancelled
),
dayed AS (
  SELECT
    *,
    floor(us_opened / 86400000000)::BIGINT AS day_opened,
    floor(us_approved / 86400000000)::BIGINT AS day_approved,
    floor(us_received / 86400000000)::BIGINT AS day_received,
    floor(us_inspected / 86400000000)::BIGINT AS day_inspected,
    floor(us_resolved / 86400000000)::BIGINT AS day_resolved,
    floor(us_as_of_end / 86400000000)::BIGINT AS day_as_of_end
  FROM stamped
),
holidayed AS (
  -- Weekday holidays before each stage's day, and whether that day is one (the count steps up the next
  -- day): a constant list indexed by day number (pipeline/model-variables.ts holidayClock). Without
  -- holidays the CASE folds to 0 when the query is planned: the lookups cost 3 CPU-s per pass at 10 M lines.
  SELECT
    *,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_opened - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS hb_opened,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_opened + 1 - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] - getvariable('sla_holidays_before')[least(greatest(day_opened - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS holiday_opened,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_approved - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS hb_approved,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_approved + 1 - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] - getvariable('sla_holidays_before')[least(greatest(day_approved - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS holiday_approved,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_received - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS hb_received,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_received + 1 - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] - getvariable('sla_holidays_before')[least(greatest(day_received - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS holiday_received,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_inspected - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS hb_inspected,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_inspected + 1 - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] - getvariable('sla_holidays_before')[least(greatest(day_inspected - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS holiday_inspected,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_resolved - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS hb_resolved,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_resolved + 1 - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] - getvariable('sla_holidays_before')[least(greatest(day_resolved - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS holiday_resolved,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_as_of_end - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS hb_as_of_end,
    CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_as_of_end + 1 - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] - getvariable('sla_holidays_before')[least(greatest(day_as_of_end - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END AS holiday_as_of_end
  FROM dayed
),
clocked AS (
  -- Business seconds since Monday 1970-01-05 (day 4) for each stage time: business days (weekdays that
  -- are not holidays) before the date × 86400, plus the time of day on a business day. Differences of these are business durations; weekends
  -- add nothing. NULL stays NULL.
  -- One column per stage on purpose: the same formula as a list_transform over the six stage times gave
  -- identical rows but took twice as long (a list built per row).
  SELECT
    *,
    ((day_opened - 4) // 7 * 5 + least((day_opened - 4) % 7, 5) - hb_opened) * 86400
      + CASE WHEN (day_opened - 4) % 7 < 5 AND holiday_opened = 0 THEN us_opened / 1000000 - day_opened * 86400 ELSE 0 END AS bs_opened,
    ((day_approved - 4) // 7 * 5 + least((day_approved - 4) % 7, 5) - hb_approved) * 86400
      + CASE WHEN (day_approved - 4) % 7 < 5 AND holiday_approved = 0 THEN us_approved / 1000000 - day_approved * 86400 ELSE 0 END AS bs_approved,
    ((day_received - 4) // 7 * 5 + least((day_received - 4) % 7, 5) - hb_received) * 86400
      + CASE WHEN (day_received - 4) % 7 < 5 AND holiday_received = 0 THEN us_received / 1000000 - day_received * 86400 ELSE 0 END AS bs_received,
    ((day_inspected - 4) // 7 * 5 + least((day_inspected - 4) % 7, 5) - hb_inspected) * 86400
      + CASE WHEN (day_inspected - 4) % 7 < 5 AND holiday_inspected = 0 THEN us_inspected / 1000000 - day_inspected * 86400 ELSE 0 END AS bs_inspected,
    ((day_resolved - 4) // 7 * 5 + least((day_resolved - 4) % 7, 5) - hb_resolved) * 86400
      + CASE WHEN (day_resolved - 4) % 7 < 5 AND holiday_resolved = 0 THEN us_resolved / 1000000 - day_resolved * 86400 ELSE 0 END AS bs_resolved,
    ((day_as_of_end - 4) // 7 * 5 + least((day_as_of_end - 4) % 7, 5) - hb_as_of_end) * 86400
      + CASE WHEN (day_as_of_end - 4) % 7 < 5 AND holiday_as_of_end = 0 THEN us_as_of_end / 1000000 - day_as_of_end * 86400 ELSE 0 END AS bs_as_of_end
  FROM holidayed
),
durations AS (
  SELECT
    *,
    (bs_approved - bs_opened) / 3600 AS response_hours,
    (bs_as_of_end - bs_opened) / 3600 AS hours_open_at_date,
    (bs_inspected - bs_received) / 3600 AS inspection_hours,
    (bs_as_of_end - bs_received) / 3600 AS hours_since_receipt,
    (bs_resolved - bs_opened) / 86400 AS resolution_working_days,
    (bs_as_of_end - bs_opened) / 86400 AS working_days_open_at_date
  FROM clocked
)
SELECT
  rma_key,
  sku,
  batch_id,
  coalesce(dealer_id, '(direct)') AS dealer_id,
  date_trunc('month', DATE '1970-01-01' + day_opened::INTEGER)::DATE AS month,
  opened_at,
  round(response_hours, 2) AS response_hours,
  CASE
    WHEN response_hours IS NOT NULL THEN response_hours <= getvariable('sla_response_hours')
    WHEN received_at IS NOT NULL OR inspected_at IS NOT NULL OR resolution_working_days IS NOT NULL THEN NULL  -- moved on without an approval time: not recorded
    WHEN hours_open_at_date > getvariable('sla_response_hours') THEN false
  END AS response_met,
  round(inspection_hours, 2) AS inspection_hours,
  CASE
    WHEN inspection_hours IS NOT NULL THEN inspection_hours <= getvariable('sla_inspection_hours')
    WHEN resolution_working_days IS NOT NULL THEN NULL          -- resolved without an inspection time: not recorded
    WHEN hours_since_receipt > getvariable('sla_inspection_hours') THEN false
  END AS inspection_met,
  round(resolution_working_days, 2) AS resolution_working_days,
  CASE
    WHEN resolution_working_days IS NOT NULL THEN resolution_working_days <= getvariable('sla_resolution_days')
    WHEN working_days_open_at_date > getvariable('sla_resolution_days') THEN false
  END AS resolution_met,
  resolution_working_days IS NULL AS open,
  CASE WHEN resolution_working_days IS NULL THEN round(working_days_open_at_date, 2) END AS age_working_days,  -- open lines only
  CASE
    WHEN resolution_working_days IS NOT NULL AND resolution_working_days <= getvariable('sla_resolution_days') THEN 'resolved_in_time'
    WHEN resolution_working_days IS NOT NULL THEN 'resolved_late'
    WHEN working_days_open_at_date > getvariable('sla_resolution_days') THEN 'open_overdue'
    ELSE 'open'
  END AS status
FROM durations
