import { test } from 'vitest';
import { checkSpec } from './check-spec.js';
import * as f from './fixtures.js';
import { dashboards } from '../../dashboards/registry.js';
test('x', () => {
  const data = { batches: f.batchRows, firmware: f.firmwareRows, reserve: f.reserveRows, pareto: f.paretoRows, nevada: f.nevadaRows, weibull: f.weibullRows, km_curves: f.kmRows, sla: f.slaRows, ntf: f.ntfRows };
  for (const d of dashboards) {
    const r = checkSpec(d.build(data));
    console.log(d.name, r.schemaErrors.slice(0, 5), r.warnings);
  }
});
