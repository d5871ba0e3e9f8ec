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
  -- The end of the analysis date on the business clock: a midnight, so the business days before it × 86400
  -- (ingest/normalise/business-clock.sql's clock, whose readings of the stage times the lines carry).
  SELECT
    (getvariable('as_of') - DATE '1970-01-01' + 1)::BIGINT AS day_as_of_end,
    ((day_as_of_end - 4) // 7 * 5 + least((day_as_of_end - 4) % 7, 5)
      - CASE WHEN getvariable('sla_holiday_last') = 0 THEN 0 ELSE getvariable('sla_holidays_before')[least(greatest(day_as_of_end - getvariable('sla_holiday_from'), 0), getvariable('sla_holiday_last')) + 1] END
    ) * 86400 AS clock_as_of_end
),
lines AS (
  SELECT
    r.*,
    p.clock_as_of_end,
    floor(epoch_us(r.opened_at) / 86400000000)::BIGINT AS day_opened   -- UTC day by arithmetic: no ICU
  FROM models.rpt_rma AS r
  CROSS JOIN params AS p
  WHERE NOT r.cancelled
    -- The build reads every line on its own calendar before the models run; a line read on another (a store
    -- changed since, read outside a build) would give durations on the wrong calendar: stop instead.
    AND CASE WHEN r.clock_calendar IS DISTINCT FROM getvariable('sla_calendar')
      THEN error('sla_items: RMA line ' || r.rma_key || ' was not read on the SLA calendar of this build; run the build again (it reads the lines first)')
      ELSE true END
),
durations AS (
  -- differences of business-clock readings are business durations
  SELECT
    *,
    (approved_clock - opened_clock) / 3600 AS response_hours,
    (clock_as_of_end - opened_clock) / 3600 AS hours_open_at_date,
    (inspected_clock - received_clock) / 3600 AS inspection_hours,
    (clock_as_of_end - received_clock) / 3600 AS hours_since_receipt,
    (resolution_clock - opened_clock) / 86400 AS resolution_working_days,
    (clock_as_of_end - opened_clock) / 86400 AS working_days_open_at_date
  FROM lines
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
