/* model: dealers
   grain: dealer_id
   inputs: models.dealer_claims, unit_dealer_days, models.sla_groups
   audits: unique(dealer_id), not_null(dealer_id), between(ntf_rate, 0, 1), between(resolution_met_rate, 0, 1)
   Dealer scorecard ('(direct)' for units and claims without a dealer): units sold, returns by kind,
   no-trouble-found share of inspected returns (a training signal), SLA attainment and warranty cost. */
WITH sold AS (
  -- the registry counted per dealer and ship day as units land (ingest/normalise/ship-days.ts), not 50 M units grouped here
  SELECT coalesce(dealer_id, '(direct)') AS dealer_id, sum(units)::BIGINT AS units_sold
  FROM unit_dealer_days
  WHERE shipped_on <= getvariable('as_of')
  GROUP BY ALL
),
returned AS (
  -- the lines counted per dealer and the columns filtered on below (dealer_claims: a few thousand rows)
  SELECT
    dealer_id,
    sum(lines)::BIGINT AS rmas,
    coalesce(sum(lines) FILTER (WHERE return_reason = 'defective'), 0)::BIGINT AS defect_claims,
    coalesce(sum(lines) FILTER (WHERE return_reason = 'defective' AND inspection_outcome IN ('trouble_found_repair', 'trouble_found_replace')), 0)::BIGINT AS confirmed_defects,
    coalesce(sum(lines) FILTER (WHERE inspection_outcome IN ('no_trouble_found', 'trouble_found_repair', 'trouble_found_replace', 'customer_damage')), 0)::BIGINT AS inspected,
    coalesce(sum(lines) FILTER (WHERE inspection_outcome = 'no_trouble_found'), 0)::BIGINT AS no_trouble_found,
    coalesce(sum(lines) FILTER (WHERE inspection_outcome = 'customer_damage'), 0)::BIGINT AS customer_damage,
    coalesce(sum(lines) FILTER (WHERE return_reason IN ('wrong_item', 'shipping_damage', 'wrong_quantity_received', 'ordered_wrong_quantity', 'duplicate_order', 'changed_mind')), 0)::BIGINT AS commercial_returns,
    coalesce(sum(lines) FILTER (WHERE paid_claim), 0)::BIGINT AS claims_paid,
    sum(net_cost) FILTER (WHERE paid_claim) AS cost_paid,
    sum(deductibles_collected) AS deductibles_collected
  FROM models.dealer_claims
  WHERE NOT cancelled
  GROUP BY ALL
),
service AS (
  -- sla_groups' dealer rows: the business-time clock evaluated once for sla and dealers
  SELECT dealer_id, response_met_rate, resolution_met_rate, median_resolution_working_days
  FROM models.sla_groups
  WHERE level = 'dealer'
)
SELECT
  d.dealer_id,
  coalesce(s.units_sold, 0) AS units_sold,
  coalesce(r.rmas, 0) AS rmas,
  CASE WHEN s.units_sold > 0 THEN coalesce(r.rmas, 0) / s.units_sold END AS returns_per_unit_sold,
  coalesce(r.defect_claims, 0) AS defect_claims,
  coalesce(r.confirmed_defects, 0) AS confirmed_defects,
  coalesce(r.commercial_returns, 0) AS commercial_returns,
  coalesce(r.inspected, 0) AS inspected,
  coalesce(r.no_trouble_found, 0) AS no_trouble_found,
  CASE WHEN r.inspected > 0 THEN r.no_trouble_found / r.inspected END AS ntf_rate,
  coalesce(r.customer_damage, 0) AS customer_damage,
  sv.response_met_rate,
  sv.resolution_met_rate,
  round(sv.median_resolution_working_days, 2) AS median_resolution_working_days,
  coalesce(r.claims_paid, 0) AS claims_paid,
  coalesce(r.cost_paid, 0)::DECIMAL(18,2) AS cost_paid,
  CASE WHEN r.claims_paid > 0 THEN (r.cost_paid / r.claims_paid)::DECIMAL(18,2) END AS cost_per_claim,
  coalesce(r.deductibles_collected, 0)::DECIMAL(18,2) AS deductibles_collected
FROM (SELECT dealer_id FROM sold UNION SELECT dealer_id FROM returned) AS d
LEFT JOIN sold AS s USING (dealer_id)
LEFT JOIN returned AS r USING (dealer_id)
LEFT JOIN service AS sv USING (dealer_id)
