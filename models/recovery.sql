/* model: recovery
   grain: batch_id
   inputs: models.rpt_rma_costed, batches, models.unit_cohorts, failure_codes
   audits: unique(batch_id), not_null(batch_id), not_null(supplier), between(defect_rate, 0, 1)
   Supplier-recovery opportunity per batch made by a named supplier: confirmed defects whose verified
   code is a hardware failure (disposition return_modular or return_escalation in the taxonomy), what
   they cost net of deductibles, what the supplier has paid back so far, and the difference still to
   claim. A batch whose confirmed defect rate is above the batch threshold (variable
   `batch_threshold`, default 2 %) qualifies for a whole-batch claim. */
WITH params AS (
  SELECT
    coalesce(getvariable('batch_threshold')::DOUBLE, 0.02) AS threshold
),
supplied AS (
  SELECT batch_id, sku, supplier, units_shipped AS declared_units
  FROM batches
  WHERE supplier IS NOT NULL AND supplier <> ''
),
registry AS (
  SELECT batch_id, sum(units) AS units
  FROM models.unit_cohorts
  WHERE batch_id IS NOT NULL
  GROUP BY ALL
),
confirmed AS (
  SELECT
    r.batch_id,
    r.rma_key,
    fc.disposition_class IN ('return_modular', 'return_escalation') AS hardware,
    coalesce(r.cost_gross, 0) - r.deductible_collected AS net_cost,
    r.supplier_recovery
  FROM models.rpt_rma_costed AS r
  LEFT JOIN failure_codes AS fc ON fc.code = r.failure_code_verified
  WHERE r.return_reason = 'defective'
    AND r.inspection_outcome IN ('trouble_found_repair', 'trouble_found_replace')
),
per_batch AS (
  SELECT
    batch_id,
    count(*) AS confirmed_defects,
    count(*) FILTER (WHERE hardware) AS attributable_defects,
    coalesce(sum(net_cost) FILTER (WHERE hardware), 0) AS attributable_cost,
    coalesce(sum(supplier_recovery), 0) AS recovered,
    list(rma_key ORDER BY rma_key) FILTER (WHERE hardware) AS rma_keys
  FROM confirmed
  GROUP BY batch_id
)
SELECT
  s.supplier,
  s.batch_id,
  s.sku,
  coalesce(g.units, s.declared_units, 0) AS units_shipped,
  coalesce(b.confirmed_defects, 0) AS confirmed_defects,
  coalesce(b.attributable_defects, 0) AS attributable_defects,   -- confirmed hardware defects: the supplier's side
  CASE WHEN coalesce(g.units, s.declared_units, 0) > 0
    THEN least(coalesce(b.confirmed_defects, 0) / coalesce(g.units, s.declared_units), 1)
    ELSE 0
  END AS defect_rate,
  CASE WHEN coalesce(g.units, s.declared_units, 0) > 0
    THEN coalesce(b.confirmed_defects, 0) / coalesce(g.units, s.declared_units) > p.threshold
    ELSE false
  END AS whole_batch_claim,
  coalesce(b.attributable_cost, 0)::DECIMAL(18,2) AS attributable_cost,
  coalesce(b.recovered, 0)::DECIMAL(18,2) AS recovered,
  greatest(coalesce(b.attributable_cost, 0) - coalesce(b.recovered, 0), 0)::DECIMAL(18,2) AS opportunity,
  coalesce(b.rma_keys, []) AS rma_keys
FROM supplied AS s
CROSS JOIN params AS p
LEFT JOIN registry AS g USING (batch_id)
LEFT JOIN per_batch AS b USING (batch_id)
