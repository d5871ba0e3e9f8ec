import type { Store } from '../../pipeline/store.js';

/**
 * Canonical RMA lines written straight into the real store with SQL (the API reads the canonical table;
 * ingest has its own suites). Every 10th description starts with a spreadsheet formula.
 */
export async function seedRmas(store: Store, count: number): Promise<void> {
  await store.run(`INSERT INTO ingest_runs (run_id, file_index, started_at, finished_at, source, format, file_path, file_sha256, rows_read, status)
    VALUES ('run-1', 0, TIMESTAMPTZ '2026-01-01 00:00:00+00', TIMESTAMPTZ '2026-01-01 00:01:00+00', 'test', 'canonical-csv', 'seed.csv', 'abc123', ${count}, 'succeeded')`);
  await store.run(`INSERT INTO units (serial_number, sku, batch_id, shipped_at)
    SELECT 'SN' || lpad(CAST(i AS VARCHAR), 6, '0'), 'SKU-' || (i % 2), 'B' || (i % 5), TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_days(CAST(i % 30 AS INTEGER))
    FROM range(${count}) AS t(i)`);
  await store.run(`INSERT INTO rma (rma_key, source, company, rma_number, line, opened_at, stage, serial_number, sku, batch_id, firmware_version,
      quantity, return_reason, failure_code_verified, description, cost_labor, currency, run_id, file_sha256, source_row)
    SELECT 'test::' || lpad(CAST(i AS VARCHAR), 6, '0') || ':1', 'test', '', lpad(CAST(i AS VARCHAR), 6, '0'), 1,
           TIMESTAMPTZ '2025-03-01 00:00:00+00' + to_days(CAST(i % 200 AS INTEGER)), 'closed', 'SN' || lpad(CAST(i AS VARCHAR), 6, '0'),
           'SKU-' || (i % 2), 'B' || (i % 5), CASE WHEN i % 3 = 0 THEN '2.4.1' ELSE '2.3.0' END, 1, 'defective',
           CASE WHEN i % 4 = 0 THEN 'PWR-01' ELSE 'REC-02' END,
           CASE WHEN i % 10 = 0 THEN '=HYPERLINK("http://evil.example","x")' ELSE 'unit ' || i END,
           12.5 + i, 'EUR', 'run-1', 'abc123', i + 1
    FROM range(${count}) AS t(i)`);
}
