import { openStore } from './dist/pipeline/store.js';
import { gate } from './dist/pipeline/gate.js';
import { readFileSync } from 'node:fs';
const g = JSON.parse(readFileSync('/tmp/demo-probe/ground-truth.json','utf8'));
const store = await openStore('/tmp/demo-probe/db.duckdb');
console.log(await store.all("SELECT firmware_version, sku, failure_code, returns, round(unit_days) ud, round(relative_risk,2) rr, round(crude_relative_risk,2) crude, round(p_value,5) p, round(q_value,5) q, informative_strata n, flagged FROM models.firmware WHERE flagged OR (firmware_version='2.2.5' AND failure_code='SEAL-FOG-INTERNAL') OR (failure_code='REC-SD-CORRUPT' AND firmware_version='2.3.0') OR q_value < 0.2 ORDER BY sku, firmware_version"));
for (const p of g.planted.filter(p => p.subject_type === 'gate')) {
  const r = await gate(store, { candidate: p.subject_id, sku: p.sku });
  console.log(p.subject_id, r.verdict, r.baseline, r.reasons, JSON.stringify(r.sprt), r.candidate_stats, r.baseline_stats, r.failure_codes.filter(f => f.q_value < 0.3));
}
console.log(await store.all("SELECT firmware_version, sku, round(sum(unit_days)) ud FROM models.firmware_exposure GROUP BY ALL ORDER BY ALL"));
await store.close();
