import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoWorld } from '../../data/generate/index.js';
import { ingest } from '../../ingest/index.js';
import { normaliseRma } from '../../ingest/normalise/index.js';
import { openStore, type Store } from '../../pipeline/store.js';
import { runModels } from './helpers.js';

type Row = Record<string, number | string>;

/**
 * The reserve on the demo world against sums computed straight from the generated files with DuckDB
 * (not through our tables): accrual from units.csv × reserve-plan.csv, warranty cost from the newest
 * version of every RMA in the exports, leaving out the rows the generator made bad on purpose and the
 * cross-source duplicates (both listed in ground-truth.json), priced by the reserve's rules.
 *
 * Compared apart: units whose return arrived from two sources (which copy ingest keeps, and with it
 * whose costs, is ingest's rule — normaliseRma — not the reserve's, and it does not yet agree with the
 * generator's ground truth), and claims from the ERP-native exports (SAP QM, NetSuite, Shopify), whose
 * parsing is ingest's business. The cost check covers every other claim, to the cent.
 */
const independentSql = (dir: string): string[] => [
    `CREATE OR REPLACE TEMP TABLE gt AS SELECT * FROM read_json('${dir}/ground-truth.json')`,
    `CREATE OR REPLACE TEMP TABLE as_of AS SELECT CAST(as_of AS DATE) AS d FROM gt`,
    `CREATE OR REPLACE TEMP TABLE dirty AS SELECT d.file, d.rma_number FROM (SELECT unnest(dirty_rows) AS d FROM gt)`,
    `CREATE OR REPLACE TEMP TABLE xdup AS SELECT d.file, d.rma_number, d.source FROM (SELECT unnest(duplicates) AS d FROM gt) WHERE d.kind = 'cross_source'`,
    `CREATE OR REPLACE TEMP TABLE raw_rma AS
  SELECT parse_filename(filename) AS file, * EXCLUDE (filename) FROM read_csv('${dir}/rma-erp-*.csv', all_varchar = true, filename = true)
  UNION ALL BY NAME
  SELECT 'rma-portal.ndjson' AS file, * FROM read_json('${dir}/rma-portal.ndjson', format = 'newline_delimited', columns = {source:'VARCHAR',company:'VARCHAR',rma_number:'VARCHAR',line:'VARCHAR',opened_at:'VARCHAR',resolved_at:'VARCHAR',closed_at:'VARCHAR',stage:'VARCHAR',serial_number:'VARCHAR',sku:'VARCHAR',return_reason:'VARCHAR',warranty_status:'VARCHAR',resolution:'VARCHAR',cost_labor:'VARCHAR',cost_parts:'VARCHAR',cost_shipping:'VARCHAR',cost_replacement:'VARCHAR',cost_duties:'VARCHAR',credit_amount:'VARCHAR',deductible_collected:'VARCHAR',supplier_recovery:'VARCHAR'})`,
    `CREATE OR REPLACE TEMP TABLE units_f AS SELECT serial_number, sku, CAST(shipped_at AS TIMESTAMPTZ) AS shipped_at FROM read_csv('${dir}/units.csv', all_varchar = true)`,
    `CREATE OR REPLACE TEMP TABLE plan_f AS SELECT sku, CAST(effective_from AS DATE) AS eff, CAST(reserve_per_unit AS DECIMAL(14,2)) AS per_unit FROM read_csv('${dir}/reserve-plan.csv', all_varchar = true)`,
    `CREATE OR REPLACE TEMP TABLE rates_f AS SELECT resolution, sku, CAST(standard_cost AS DECIMAL(14,2)) AS cost FROM read_csv('${dir}/cost-rates.csv', all_varchar = true)`,
    `CREATE OR REPLACE TEMP TABLE current_rma AS
  SELECT r.* FROM raw_rma AS r
  WHERE r.rma_number IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM dirty AS d WHERE d.file = r.file AND d.rma_number = r.rma_number)
    AND NOT EXISTS (SELECT 1 FROM xdup AS x WHERE x.file = r.file AND x.rma_number = r.rma_number AND x.source = r.source)
  QUALIFY row_number() OVER (PARTITION BY r.source, coalesce(r.company, ''), r.rma_number, coalesce(r.line, '1') ORDER BY r.file DESC) = 1`,
    `CREATE OR REPLACE TEMP TABLE expected_accrual AS
  SELECT u.sku, count(*) AS units, sum((SELECT arg_max(p.per_unit, p.eff) FROM plan_f AS p WHERE p.sku = u.sku AND p.eff <= u.shipped_at::DATE)) AS accrual
  FROM units_f AS u WHERE u.shipped_at::DATE <= (SELECT d FROM as_of) GROUP BY u.sku`,
    `CREATE OR REPLACE TEMP TABLE expected_cost AS
  WITH c AS (
    SELECT coalesce(r.sku, u.sku) AS sku, r.resolution,
      TRY_CAST(r.opened_at AS TIMESTAMPTZ) AS opened, TRY_CAST(r.resolved_at AS TIMESTAMPTZ) AS resolved, TRY_CAST(r.closed_at AS TIMESTAMPTZ) AS closed,
      [TRY_CAST(r.cost_labor AS DECIMAL(14,2)), TRY_CAST(r.cost_parts AS DECIMAL(14,2)), TRY_CAST(r.cost_shipping AS DECIMAL(14,2)), TRY_CAST(r.cost_replacement AS DECIMAL(14,2)), TRY_CAST(r.cost_duties AS DECIMAL(14,2)), TRY_CAST(r.credit_amount AS DECIMAL(14,2))] AS parts,
      coalesce(TRY_CAST(r.deductible_collected AS DECIMAL(14,2)), 0) + coalesce(TRY_CAST(r.supplier_recovery AS DECIMAL(14,2)), 0) AS offsets
    FROM current_rma AS r LEFT JOIN units_f AS u USING (serial_number)
    WHERE coalesce(r.return_reason, 'defective') NOT IN ('wrong_item', 'shipping_damage', 'wrong_quantity_received', 'ordered_wrong_quantity', 'duplicate_order', 'changed_mind')
      AND coalesce(r.warranty_status, '') <> 'out_of_warranty' AND coalesce(r.stage, '') <> 'cancelled'
  ), paid AS (
    SELECT *, coalesce(resolved, closed, CASE WHEN resolution IS NOT NULL OR list_count(list_filter(parts, lambda x: x IS NOT NULL)) > 0 THEN opened END) AS paid_at
    FROM c WHERE opened::DATE <= (SELECT d FROM as_of)
  )
  SELECT p.sku, count(*) AS claims,
    sum(CASE WHEN list_count(list_filter(parts, lambda x: x IS NOT NULL)) > 0 THEN list_sum(list_transform(parts, lambda x: coalesce(x, 0)))
             ELSE coalesce((SELECT cost FROM rates_f AS f WHERE f.resolution = p.resolution AND f.sku = p.sku), (SELECT cost FROM rates_f AS f WHERE f.resolution = p.resolution AND f.sku = '*'), 0) END - offsets) AS cost
  FROM paid AS p WHERE paid_at::DATE <= (SELECT d FROM as_of) GROUP BY p.sku`
];

describe('reserve on the demo world', () => {
  let dir: string;
  let store: Store;
  let asOf: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rma-demo-reserve-'));
    const demo = await generateDemoWorld({ outDir: join(dir, 'world'), seed: 42 });
    asOf = demo.asOf;
    store = await openStore(join(dir, 'demo.duckdb'));
    for (const f of demo.files) await ingest(store, [join(dir, 'world', f.path)], { format: f.format, source: f.source });
    await store.withConnection((conn) => normaliseRma(conn));
    await runModels(store, asOf, ['reserve']);
  }, 300_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accrues and pays exactly what the files say', async () => {
    for (const sql of independentSql(join(dir, 'world'))) await store.run(sql);
    const accrual = await store.all<Row>('SELECT sku, units, accrual::DOUBLE AS accrual FROM expected_accrual ORDER BY sku');
    const ledger = await store.all<Row>(`
      SELECT sku, sum(units_shipped) AS units, sum(accrual)::DOUBLE AS accrual, sum(claims_paid) AS claims, round(sum(cost_paid), 2)::DOUBLE AS cost
      FROM models.reserve_monthly GROUP BY sku ORDER BY sku`);
    expect(accrual.length).toBeGreaterThan(0);
    expect(ledger.map((r) => [r.sku, r.units, r.accrual])).toEqual(accrual.map((r) => [r.sku, r.units, r.accrual]));

    // Units returned through two sources, by the ground truth or by ingest's linking: compared apart.
    await store.run(`CREATE OR REPLACE TEMP TABLE involved AS
      SELECT r.serial_number FROM raw_rma AS r JOIN xdup AS x ON x.file = r.file AND x.rma_number = r.rma_number AND x.source = r.source
      UNION SELECT serial_number FROM rma WHERE duplicate_of IS NOT NULL`);
    const [{ n: involved }] = await store.all<{ n: number }>('SELECT count(*) AS n FROM involved');
    expect(involved).toBeLessThan(50);
    await store.run('DELETE FROM current_rma WHERE serial_number IN (SELECT serial_number FROM involved)');
    for (const sql of independentSql(join(dir, 'world')).filter((q) => q.includes('TEMP TABLE expected_cost'))) await store.run(sql);
    const cost = await store.all<Row>('SELECT sku, claims, round(cost, 2)::DOUBLE AS cost FROM expected_cost ORDER BY sku');
    const ledgerCost = await store.all<Row>(`
      SELECT l.sku, l.claims - coalesce(x.claims, 0) AS claims, round(l.cost - coalesce(x.cost, 0), 2)::DOUBLE AS cost
      FROM (SELECT sku, sum(claims_paid) AS claims, sum(cost_paid) AS cost FROM models.reserve_monthly GROUP BY sku) AS l
      LEFT JOIN (
        SELECT sku, count(*) AS claims, sum(coalesce(cost_gross, 0) - deductible_collected - supplier_recovery) AS cost
        FROM models.rpt_rma_costed
        WHERE warranty_claim AND paid_at IS NOT NULL
          AND (serial_number IN (SELECT serial_number FROM involved) OR rma_key IN (SELECT rma_key FROM rma WHERE source NOT IN (SELECT DISTINCT source FROM raw_rma)))
        GROUP BY sku
      ) AS x USING (sku)
      ORDER BY l.sku`);
    expect(ledgerCost).toEqual(cost);
    expect(cost.reduce((n, r) => n + Number(r.claims), 0)).toBeGreaterThan(1000);

    // The analysis month of the report carries the same totals as running sums.
    const last = await store.all<Row>(`SELECT sku, cumulative_accrual, cumulative_cost, balance, month FROM models.reserve
      QUALIFY month = max(month) OVER (PARTITION BY sku) ORDER BY sku`);
    expect(last.map((r) => [r.sku, r.month, r.cumulative_accrual, r.cumulative_cost])).toEqual(
      ledger.map((r) => [r.sku, `${asOf.slice(0, 7)}-01`, r.accrual, r.cost]),
    );
    for (const r of last) expect(r.balance).toBeCloseTo(Number(r.cumulative_accrual) - Number(r.cumulative_cost), 2);
  });

  it('forecasts a positive liability with a band for units still in warranty', async () => {
    const rows = await store.all<Row>(`SELECT * FROM models.reserve QUALIFY month = max(month) OVER (PARTITION BY sku)`);
    for (const r of rows) {
      expect(Number(r.units_in_warranty)).toBeGreaterThan(0);
      expect(Number(r.forecast_liability)).toBeGreaterThan(0);
      expect(Number(r.forecast_low)).toBeLessThanOrEqual(Number(r.forecast_liability));
      expect(Number(r.forecast_high)).toBeGreaterThanOrEqual(Number(r.forecast_liability));
      expect(r.forecast_basis).toBe('sku');
    }
  });
});
