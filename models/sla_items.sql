/* model: sla_items
   grain: rma_key
   inputs: models.rpt_rma
   audits: unique(rma_key), not_null(rma_key)
   Service-level promises per RMA line, in business time (Monday–Friday, UTC; public holidays are not
   modelled): response (approval) within 48 business hours of the claim, inspection within 48 business
   hours of receipt, resolution within 30 working days of the claim. A promise not yet kept is judged
   on its age on the analysis date: NULL while still within its limit, false once past it. */
WITH params AS (
  SELECT (getvariable('as_of')::DATE + INTERVAL 1 DAY)::TIMESTAMPTZ AS as_of_end
),
clocked AS (
  -- Business seconds since Monday 1970-01-05 for each stage time: weekdays before the date × 86400,
  -- plus the time of day on a weekday. Differences of these are business durations; weekends add nothing.
  SELECT
    r.*,
    list_transform(
      [r.opened_at, r.approved_at, r.received_at, r.inspected_at, coalesce(r.resolved_at, r.closed_at), p.as_of_end],
      lambda t: CASE WHEN t IS NOT NULL THEN
        (((t::DATE - DATE '1970-01-05') // 7) * 5 + least((t::DATE - DATE '1970-01-05') % 7, 5)) * 86400
        + CASE WHEN isodow(t) <= 5 THEN epoch(t) - epoch(date_trunc('day', t)) ELSE 0 END
      END
    ) AS bs
  FROM models.rpt_rma AS r
  CROSS JOIN params AS p
  WHERE NOT r.cancelled
),
durations AS (
  SELECT
    *,
    (bs[2] - bs[1]) / 3600 AS response_hours,
    (bs[6] - bs[1]) / 3600 AS hours_open_at_date,
    (bs[4] - bs[3]) / 3600 AS inspection_hours,
    (bs[6] - bs[3]) / 3600 AS hours_since_receipt,
    (bs[5] - bs[1]) / 86400 AS resolution_working_days,
    (bs[6] - bs[1]) / 86400 AS working_days_open_at_date
  FROM clocked
)
SELECT
  rma_key,
  sku,
  batch_id,
  coalesce(dealer_id, '(direct)') AS dealer_id,
  date_trunc('month', opened_at)::DATE AS month,
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
