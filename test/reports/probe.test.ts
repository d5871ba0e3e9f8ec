import { it } from 'vitest';
import { insert, rmaLine, runModels, tempStore } from './helpers.js';
it('probe', async () => {
  const { store, dispose } = await tempStore();
  await insert(store, 'units', [
    { serial_number: 'S1', sku: 'A', batch_id: 'B1', shipped_at: '2025-01-10T00:00:00Z', unit_price: 100, dealer_id: 'D1' },
    { serial_number: 'S2', sku: 'A', batch_id: 'B1', shipped_at: '2025-02-10T00:00:00Z', unit_price: 100 },
  ]);
  await insert(store, 'batches', [{ batch_id: 'B1', sku: 'A', supplier: 'Acme' }]);
  await insert(store, 'failure_codes', [{ code: 'PWR-01', category: 'power', disposition_class: 'return_modular' }]);
  await insert(store, 'reserve_plan', [{ sku: '*', effective_from: '2024-01-01', reserve_per_unit: 10 }]);
  await insert(store, 'cost_rates', [{ resolution: 'repair', sku: '*', standard_cost: 80 }]);
  await insert(store, 'rma', [
    rmaLine(1, { serial_number: 'S1', sku: 'A', opened_at: '2025-03-01T10:00:00Z', resolution: 'replace', replacement_serial: 'S9', resolved_at: '2025-03-05T00:00:00Z', return_reason: 'defective', inspection_outcome: 'trouble_found_replace', failure_code_verified: 'PWR-01', failure_code_stated: 'PWR-01', inspected_at: '2025-03-03T00:00:00Z' }),
    rmaLine(2, { serial_number: 'S9', sku: 'A', opened_at: '2025-04-01T10:00:00Z', return_reason: 'defective', inspection_outcome: 'no_trouble_found' }),
  ]);
  await runModels(store, '2025-06-30', ['rpt_rma', 'rpt_warranty_terms', 'reserve_monthly', 'nevada', 'pareto', 'sla_items', 'sla', 'ntf_counts', 'repeats', 'dealers', 'recovery']);
  for (const t of ['rpt_warranty_terms', 'reserve_monthly', 'nevada', 'pareto', 'sla_items', 'sla', 'ntf_counts', 'repeats', 'dealers', 'recovery']) console.log(t, JSON.stringify(await store.all(`SELECT * FROM models.${t} LIMIT 3`)));
  await dispose();
});
