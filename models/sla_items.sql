/* model: sla_items
   grain: rma_key
   inputs: models.rpt_rma
   materialized: view
   Service-level promises per RMA line, in business time (Monday–Friday, UTC; public holidays are not
   modelled): response (approval) within 48 business hours of the claim, inspection within 48 business
   hours of receipt, resolution within 30 working days of the claim. A promise not yet kept is judged
   on its age on the analysis date: NULL while still within its limit, false once past it.
   A view: only sla and dealers read it, each aggregating a few columns; its rows are rpt_rma's
   (audited unique and not-null on rma_key) minus the cancelled ones. */
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
clocked AS (
  -- Business seconds since Monday 1970-01-05 (day 4) for each stage time: weekdays before the date
  -- × 86400, plus the time of day on a weekday. Differences of these are business durations; weekends
  -- add nothing. NULL stays NULL.
  -- One column per stage on purpose: the same formula as a list_transform over the six stage times gave
  -- identical rows but took twice as long (a list built per row).
  SELECT
    *,
    ((day_opened - 4) // 7 * 5 + least((day_opened - 4) % 7, 5)) * 86400
      + CASE WHEN (day_opened - 4) % 7 < 5 THEN us_opened / 1000000 - day_opened * 86400 ELSE 0 END AS bs_opened,
    ((day_approved - 4) // 7 * 5 + least((day_approved - 4) % 7, 5)) * 86400
      + CASE WHEN (day_approved - 4) % 7 < 5 THEN us_approved / 1000000 - day_approved * 86400 ELSE 0 END AS bs_approved,
    ((day_received - 4) // 7 * 5 + least((day_received - 4) % 7, 5)) * 86400
      + CASE WHEN (day_received - 4) % 7 < 5 THEN us_received / 1000000 - day_received * 86400 ELSE 0 END AS bs_received,
    ((day_inspected - 4) // 7 * 5 + least((day_inspected - 4) % 7, 5)) * 86400
      + CASE WHEN (day_inspected - 4) % 7 < 5 THEN us_inspected / 1000000 - day_inspected * 86400 ELSE 0 END AS bs_inspected,
    ((day_resolved - 4) // 7 * 5 + least((day_resolved - 4) % 7, 5)) * 86400
      + CASE WHEN (day_resolved - 4) % 7 < 5 THEN us_resolved / 1000000 - day_resolved * 86400 ELSE 0 END AS bs_resolved,
    ((day_as_of_end - 4) // 7 * 5 + least((day_as_of_end - 4) % 7, 5)) * 86400
      + CASE WHEN (day_as_of_end - 4) % 7 < 5 THEN us_as_of_end / 1000000 - day_as_of_end * 86400 ELSE 0 END AS bs_as_of_end
  FROM dayed
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
    WHEN response_hours IS NOT NULL THEN response_hours <= 48
    WHEN received_at IS NOT NULL OR inspected_at IS NOT NULL OR resolution_working_days IS NOT NULL THEN NULL  -- moved on without an approval time: not recorded
    WHEN hours_open_at_date > 48 THEN false
  END AS response_met,
  round(inspection_hours, 2) AS inspection_hours,
  CASE
    WHEN inspection_hours IS NOT NULL THEN inspection_hours <= 48
    WHEN resolution_working_days IS NOT NULL THEN NULL          -- resolved without an inspection time: not recorded
    WHEN hours_since_receipt > 48 THEN false
  END AS inspection_met,
  round(resolution_working_days, 2) AS resolution_working_days,
  CASE
    WHEN resolution_working_days IS NOT NULL THEN resolution_working_days <= 30
    WHEN working_days_open_at_date > 30 THEN false
  END AS resolution_met,
  resolution_working_days IS NULL AS open,
  CASE WHEN resolution_working_days IS NULL THEN round(working_days_open_at_date, 2) END AS age_working_days,  -- open lines only
  CASE
    WHEN resolution_working_days IS NOT NULL AND resolution_working_days <= 30 THEN 'resolved_in_time'
    WHEN resolution_working_days IS NOT NULL THEN 'resolved_late'
    WHEN working_days_open_at_date > 30 THEN 'open_overdue'
    ELSE 'open'
  END AS status
FROM durations
