import { openStore } from './dist/pipeline/store.js';
import { gate } from './dist/pipeline/gate.js';
import { readFileSync } from 'node:fs';
const g = JSON.parse(readFileSync('/tmp/demo-probe/ground-truth.json','utf8'));
const store = await openStore('/tmp/demo-probe/db.duckdb');
const b = await store.all('SELECT batch_id, units_shipped, returns, confirmed_defects, pending, round(defect_rate,4) r, round(ci_low,4) lo, round(ci_high,4) hi, round(projected_rate,4) proj, status, projection_basis FROM models.batches ORDER BY batch_id');
for (const r of b) console.log(Object.values(r).join('\t'));
console.log(await store.all("SELECT firmware_version, sku, failure_code, returns, round(unit_days) ud, round(relative_risk,2) rr, round(crude_relative_risk,2) crude, p_value, q_value, informative_strata FROM models.firmware WHERE flagged OR (firmware_version='2.2.5' AND failure_code='SEAL-FOG-INTERNAL') OR failure_code='REC-SD-CORRUPT' ORDER BY sku, firmware_version"));
for (const p of g.planted.filter(p => p.subject_type === 'gate')) {
  const r = await gate(store, { candidate: p.subject_id, sku: p.sku });
  console.log(p.subject_id, r.verdict, r.baseline, r.reasons, JSON.stringify(r.sprt), r.candidate_stats, r.baseline_stats);
}
console.log(await store.all("SELECT firmware_version, sku, round(sum(unit_days)) ud FROM models.firmware_exposure GROUP BY ALL ORDER BY ALL"));
await store.close();
