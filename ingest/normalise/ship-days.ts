import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../pipeline/store.js';

/**
 * unit_ship_days: the unit registry counted per SKU, batch, firmware build at shipment, currency and UTC
 * ship day, with the revenue (unit prices, unknown as 0). The unit cohorts of every build are these counts
 * up to the analysis date (models/unit_cohorts.sql): about a million rows at 50 M units, kept up to date
 * as units land, so a build does not group the whole registry again (≈ 6 s at 50 M units).
 *
 * Ingest keeps it exact inside the units file's own transaction: the counts of the rows it replaces come
 * off, those of the rows it writes go on (counts and DECIMAL sums: no rounding drift). Rows written any
 * other way (the benchmark's bulk fill, test fixtures, a store from before this table) are caught by
 * `ensureShipDays`: the total no longer equals the registry's row count, and the table is counted afresh.
 */
export const shipDaysTable = 'unit_ship_days';

const columns = `(
  sku VARCHAR,
  batch_id VARCHAR,
  firmware_version VARCHAR,
  currency VARCHAR,
  shipped_on DATE NOT NULL,
  units BIGINT NOT NULL,
  revenue DECIMAL(38, 2) NOT NULL
)`;
const createSql = `CREATE TABLE IF NOT EXISTS ${shipDaysTable} ${columns}`;

/** Counts of the unit rows `unitsSql` selects (units' columns), each multiplied by sign. */
const countsSql = (unitsSql: string, sign: 1 | -1): string => `
  SELECT
    sku, batch_id, firmware_version, currency,
    -- the UTC day by arithmetic: a TIMESTAMPTZ → DATE cast goes through ICU and costs 4× as much
    DATE '1970-01-01' + CAST(floor(epoch_us(shipped_at) / 86400000000) AS INTEGER) AS shipped_on,
    (${sign} * count(*))::BIGINT AS units,
    (${sign} * sum(coalesce(unit_price, 0)))::DECIMAL(38, 2) AS revenue
  FROM (${unitsSql})
  GROUP BY ALL`;

/** Take the counts of rows about to be replaced or deleted (sign -1), or of rows just written (+1), into the pending change. */
export async function countShipDays(conn: DuckDBConnection, unitsSql: string, sign: 1 | -1): Promise<void> {
  await conn.run(`CREATE TEMP TABLE IF NOT EXISTS ship_days_change ${columns}`);
  await conn.run(`INSERT INTO ship_days_change ${countsSql(unitsSql, sign)}`);
}

/**
 * Fold the pending change into unit_ship_days: every day it touches is summed again with it (a whole day
 * replaced, so keys that may be NULL need no null-safe matching) and groups that reach 0 units go.
 */
export async function applyShipDays(conn: DuckDBConnection): Promise<void> {
  await conn.run(createSql);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ship_days_merged AS
    SELECT sku, batch_id, firmware_version, currency, shipped_on, sum(units)::BIGINT AS units, sum(revenue)::DECIMAL(38, 2) AS revenue
    FROM (
      SELECT * FROM ${shipDaysTable} WHERE shipped_on IN (SELECT shipped_on FROM ship_days_change)
      UNION ALL
      SELECT * FROM ship_days_change
    )
    GROUP BY ALL
    HAVING sum(units) <> 0`);
  await conn.run(`DELETE FROM ${shipDaysTable} WHERE shipped_on IN (SELECT shipped_on FROM ship_days_change)`);
  await conn.run(`INSERT INTO ${shipDaysTable} SELECT * FROM ship_days_merged`);
  await conn.run('DROP TABLE ship_days_merged; DROP TABLE ship_days_change');
}

/**
 * Make unit_ship_days match the registry before a build: when its total is not the number of units
 * (rows written other than by ingest), count the whole registry afresh. Returns the units counted then (0:
 * it was up to date).
 */
export async function ensureShipDays(conn: DuckDBConnection): Promise<number> {
  await conn.run(createSql);
  const [{ counted, registered }] = await queryRows<{ counted: number | bigint | null; registered: number | bigint }>(conn,
    `SELECT (SELECT sum(units) FROM ${shipDaysTable}) AS counted, (SELECT count(*) FROM units) AS registered`);
  if (Number(counted ?? 0) === Number(registered)) return 0;
  // no transaction needed: a crash in between leaves a total that does not match, and the next call counts again
  await conn.run(`DELETE FROM ${shipDaysTable}`);
  await conn.run(`INSERT INTO ${shipDaysTable} ${countsSql('SELECT * FROM units', 1)}`);
  return Number(registered);
}
