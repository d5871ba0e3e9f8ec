import { openStore } from './dist/pipeline/store.js';
const store = await openStore('/tmp/demo-probe/db.duckdb');
console.log(await store.all("SELECT * FROM models.firmware_strata WHERE firmware_version='2.4.1' AND failure_code='SEAL-WATER-INGRESS'"));
console.log(await store.all("SELECT * FROM models.firmware_returns WHERE failure_code='SEAL-WATER-INGRESS' AND sku='TS-35' ORDER BY batch_id"));
console.log(await store.all("SELECT firmware_version, round(sum(unit_days)) FROM models.firmware_exposure WHERE sku='TS-35' AND batch_id='TS35-2406' AND age_band=4 GROUP BY ALL"));
await store.close();
