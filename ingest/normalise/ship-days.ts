import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../pipeline/store.js';

/**
 * The unit registry counted per UTC ship day, kept up to date as units land, so that a build does not group
 * the 50 M units again (≈ 6 s for the cohorts, 1–1.5 s for the dealers at 50 M units):
 * - unit_ship_days: per SKU, batch, firmware build at shipment and currency, with the revenue (unit prices,
 *   unknown as 0): the unit cohorts of every build are these counts up to the analysis date
 *   (models/unit_cohorts.sql), about a million rows at 50 M units;
 * - unit_dealer_days: per dealer (models/dealers.sql: units sold).
 * Each day also counts its units shipped at midnight UTC exactly (`midnight_units`): their warranty ends at a
 * midnight, a day earlier for the SPC chart's weeks (pipeline/alerts/rules/spc-outlier.ts). Ship dates
 * without a time are all midnight; finding them again in the registry grouped all 50 M units (≈ 1.5 s).
 *
 * Ingest keeps them exact inside the units file's own transaction: the counts of the rows it replaces come
 * off, those of the rows it writes go on (counts and DECIMAL sums: no rounding drift). Rows written any
 * other way (the benchmark's bulk fill, test fixtures, a store from before these tables) are caught by
 * `ensureShipDays`: a total no longer equals the registry's row count, and the tables are counted afresh.
 */
const countTables = [
  { name: 'unit_ship_days', keys: ['sku', 'batch_id', 'firmware_version', 'currency'] },
  { name: 'unit_dealer_days', keys: ['dealer_id'] },
] as const;
export const shipDaysTables = countTables.map((t) => t.name);

type CountTable = (typeof countTables)[number];

const columnsOf = (t: CountTable): string =>
  `(${t.keys.map((k) => `${k} VARCHAR`).join(', ')}, shipped_on DATE NOT NULL, units BIGINT NOT NULL, midnight_units BIGINT NOT NULL, revenue DECIMAL(38, 2) NOT NULL)`;
const change = (t: CountTable): string => `${t.name}__change`;

/** Counts of the unit rows `unitsSql` selects (units' columns), each multiplied by sign. */
const countsSql = (t: CountTable, unitsSql: string, sign: 1 | -1): string => `
  SELECT
    ${t.keys.join(', ')},
    -- the UTC day by arithmetic: a TIMESTAMPTZ → DATE cast goes through ICU and costs 4× as much
    DATE '1970-01-01' + CAST(floor(epoch_us(shipped_at) / 86400000000) AS INTEGER) AS shipped_on,
    (${sign} * count(*))::BIGINT AS units,
    (${sign} * count(*) FILTER (WHERE epoch_us(shipped_at) % 86400000000 = 0))::BIGINT AS midnight_units,
    (${sign} * sum(coalesce(unit_price, 0)))::DECIMAL(38, 2) AS revenue
  FROM (${unitsSql})
  GROUP BY ALL`;

async function create(conn: DuckDBConnection): Promise<void> {
  // A table from before midnight_units goes: created anew it is empty, so ensureShipDays counts it afresh.
  const stale = await queryRows<{ name: string }>(conn, `
    SELECT table_name AS name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name IN (${countTables.map((t) => `'${t.name}'`).join(', ')})
    GROUP BY ALL HAVING count(*) FILTER (WHERE column_name = 'midnight_units') = 0`);
  for (const { name } of stale) await conn.run(`DROP TABLE ${name}`);
  for (const t of countTables) await conn.run(`CREATE TABLE IF NOT EXISTS ${t.name} ${columnsOf(t)}`);
}

/** Take the counts of rows about to be replaced (sign -1), or of rows just written (+1), into the pending change. */
export async function countShipDays(conn: DuckDBConnection, unitsSql: string, sign: 1 | -1): Promise<void> {
  for (const t of countTables) {
    await conn.run(`CREATE TEMP TABLE IF NOT EXISTS ${change(t)} ${columnsOf(t)}`);
    await conn.run(`INSERT INTO ${change(t)} ${countsSql(t, unitsSql, sign)}`);
  }
}

/**
 * Fold the pending change into the count tables: every day it touches is summed again with it (a whole
 * day replaced, so keys that may be NULL need no null-safe matching) and groups that reach 0 units go.
 */
export async function applyShipDays(conn: DuckDBConnection): Promise<void> {
  await create(conn);
  for (const t of countTables) {
    const days = `SELECT shipped_on FROM ${change(t)}`;
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${t.name}__merged AS
      SELECT ${t.keys.join(', ')}, shipped_on, sum(units)::BIGINT AS units, sum(midnight_units)::BIGINT AS midnight_units, sum(revenue)::DECIMAL(38, 2) AS revenue
      FROM (SELECT * FROM ${t.name} WHERE shipped_on IN (${days}) UNION ALL SELECT * FROM ${change(t)})
      GROUP BY ALL
      HAVING sum(units) <> 0`);
    await conn.run(`DELETE FROM ${t.name} WHERE shipped_on IN (${days})`);
    await conn.run(`INSERT INTO ${t.name} SELECT * FROM ${t.name}__merged`);
    await conn.run(`DROP TABLE ${t.name}__merged; DROP TABLE ${change(t)}`);
  }
}

/**
 * Make the count tables match the registry before a build: one whose total is not the number of units
 * (rows written other than by ingest) is counted afresh from the whole registry. Returns the units
 * counted then (0: they were up to date).
 */
export async function ensureShipDays(conn: DuckDBConnection): Promise<number> {
  await create(conn);
  let counted = 0;
  for (const t of countTables) {
    const [{ total, registered }] = await queryRows<{ total: number | null; registered: number }>(conn,
      `SELECT (SELECT sum(units) FROM ${t.name})::BIGINT AS total, (SELECT count(*) FROM units) AS registered`);
    if (Number(total ?? 0) === Number(registered)) continue;
    // no transaction needed: a crash in between leaves a total that does not match, and the next call counts again
    await conn.run(`DELETE FROM ${t.name}`);
    await conn.run(`INSERT INTO ${t.name} ${countsSql(t, 'SELECT * FROM units', 1)}`);
    counted = Number(registered);
  }
  return counted;
}
