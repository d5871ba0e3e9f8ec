import { sqlString } from '../pipeline/sql-text.js';

/**
 * SQL writing `rows` synthetic canonical RMA lines (realistic values in every column) to a CSV at `path`,
 * generated inside DuckDB from range(): for benchmarks and large-file tests, no rows built in JavaScript.
 */
export function syntheticCanonicalCsvSql(path: string, rows: number): string {
  return `COPY (
  SELECT
    'sap-eu' AS source, '' AS company,
    lpad((1000000 + i // 2)::VARCHAR, 10, '0') AS rma_number,
    (i % 2 + 1) AS line,
    strftime(TIMESTAMP '2023-01-01' + to_minutes((i * 7919) % 900000), '%Y-%m-%dT%H:%M:%SZ') AS opened_at,
    strftime(TIMESTAMP '2023-01-02' + to_minutes((i * 7919) % 900000), '%Y-%m-%dT%H:%M:%SZ') AS approved_at,
    CASE WHEN i % 5 > 0 THEN strftime(TIMESTAMP '2023-01-05' + to_minutes((i * 7919) % 900000), '%Y-%m-%dT%H:%M:%SZ') END AS received_at,
    CASE WHEN i % 5 > 1 THEN strftime(TIMESTAMP '2023-01-06' + to_minutes((i * 7919) % 900000), '%Y-%m-%dT%H:%M:%SZ') END AS inspected_at,
    CASE WHEN i % 5 > 2 THEN strftime(TIMESTAMP '2023-01-09' + to_minutes((i * 7919) % 900000), '%Y-%m-%dT%H:%M:%SZ') END AS resolved_at,
    CASE WHEN i % 5 > 3 THEN strftime(TIMESTAMP '2023-01-10' + to_minutes((i * 7919) % 900000), '%Y-%m-%dT%H:%M:%SZ') END AS closed_at,
    ['intake','qualification','triage','decision','execution','closed','cancelled'][i % 7 + 1] AS stage,
    ['Open','Approved','In Triage','Decided','In Repair','Closed','Cancelled'][i % 7 + 1] AS status_raw,
    'SN' || lpad((i * 37 % 9000000)::VARCHAR, 8, '0') AS serial_number,
    ['TX-35','TX-50','TX-60','HX-19'][i % 4 + 1] AS sku,
    'B' || (2300 + i % 120)::VARCHAR AS batch_id,
    ['2.3.0','2.3.1','2.3.2','2.4.0','2.4.1'][i % 5 + 1] AS firmware_version,
    1 AS quantity,
    ['defective','defective','defective','wrong_item','shipping_damage','changed_mind','other'][i % 7 + 1] AS return_reason,
    ['PWR-01','BOOT-02','ZERO-01','REC-03','WIFI-01','IMG-02','MECH-01','SEAL-01'][i % 8 + 1] AS failure_code_stated,
    CASE WHEN i % 3 = 0 THEN ['PWR-01','BOOT-02','ZERO-01','REC-03','WIFI-01','IMG-02','MECH-01','SEAL-01'][i % 8 + 1] END AS failure_code_verified,
    'Z' || (i % 97)::VARCHAR AS failure_code_raw,
    'Unit ' || ['does not power on','reboots while recording','loses zero after recoil','fogging inside eyepiece','wifi app cannot connect'][i % 5 + 1] || ' after ' || (i % 90)::VARCHAR || ' days' AS description,
    'C' || (i % 50000)::VARCHAR AS customer_id,
    'D' || (i % 400)::VARCHAR AS dealer_id,
    ['direct','dealer','distributor','marketplace'][i % 4 + 1] AS channel,
    ['DE','US','FR','GB','PL','SE'][i % 6 + 1] AS country,
    ['no_trouble_found','trouble_found_repair','trouble_found_replace','customer_damage','not_inspected'][i % 5 + 1] AS inspection_outcome,
    ['remote_fix','education','firmware_update','repair','replace','refund'][i % 6 + 1] AS resolution,
    ['doa','in_warranty','in_warranty','out_of_warranty'][i % 4 + 1] AS warranty_status,
    CASE WHEN i % 6 = 4 THEN 'SN' || lpad((i * 41 % 9000000)::VARCHAR, 8, '0') END AS replacement_serial,
    round((i % 9000) / 100.0, 2) AS cost_labor,
    round((i % 15000) / 100.0, 2) AS cost_parts,
    round((i % 4000) / 100.0, 2) AS cost_shipping,
    CASE WHEN i % 6 = 4 THEN 420.00 ELSE 0 END AS cost_replacement,
    CASE WHEN i % 10 = 0 THEN 12.50 ELSE 0 END AS cost_duties,
    0 AS credit_amount,
    CASE WHEN i % 4 = 2 THEN 45.00 ELSE 0 END AS deductible_collected,
    CASE WHEN i % 11 = 0 THEN 30.00 ELSE 0 END AS supplier_recovery,
    ['EUR','USD'][i % 2 + 1] AS currency,
    (i % 10 = 0) AS cross_border
  FROM range(${rows}) AS t(i)
) TO ${sqlString(path)} (HEADER, DELIMITER ',')`;
}
