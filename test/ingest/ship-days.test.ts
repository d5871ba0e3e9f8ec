import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureShipDays, shipDaysTables } from '../../ingest/normalise/ship-days.js';
import type { Store } from '../../pipeline/store.js';
import { ingestLines, tempStore } from './helpers.js';

const [shipDaysTable, dealerDaysTable] = shipDaysTables;

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
afterEach(async () => cleanup());

const header = 'serial_number,sku,batch_id,firmware_version,shipped_at,unit_price,currency,dealer_id';
const ingestUnits = (lines: string[]): Promise<void> => ingestLines(store, dir, [header, ...lines]);

const shipDays = (): Promise<unknown[]> =>
  store.all(`SELECT sku, batch_id, firmware_version, currency, CAST(shipped_on AS VARCHAR) AS shipped_on, units, midnight_units, CAST(revenue AS VARCHAR) AS revenue
    FROM ${shipDaysTable} ORDER BY ALL`);

const dealerDays = (): Promise<unknown[]> =>
  store.all(`SELECT dealer_id, CAST(shipped_on AS VARCHAR) AS shipped_on, units FROM ${dealerDaysTable} ORDER BY ALL`);

/** What counting the whole registry from scratch gives: the upkeep at ingest must never drift from it. */
async function expectSameAsFromScratch(): Promise<void> {
  const kept = await shipDays();
  const keptDealers = await dealerDays();
  expect(await store.withConnection((conn) => ensureShipDays(conn))).toBe(0);   // the totals agree: nothing recounted
  await store.run(`DELETE FROM ${shipDaysTable}`);
  await store.run(`DELETE FROM ${dealerDaysTable} WHERE dealer_id = 'D1'`);
  expect(await store.withConnection((conn) => ensureShipDays(conn))).toBeGreaterThan(0);
  expect(await shipDays()).toEqual(kept);
  expect(await dealerDays()).toEqual(keptDealers);
}

describe('the unit registry counted per ship day as units land', () => {
  it('follows new, replaced, moved and unchanged units exactly, and always equals a count from scratch', async () => {
    await ingestUnits([
      'SN1,A,B1,1.0,2024-01-01T09:00:00Z,100.10,EUR,D1',
      'SN2,A,B1,1.0,2024-01-01T23:59:59Z,100.10,EUR,D2',
      'SN3,A,B2,,2024-01-02T00:00:00Z,,EUR,',           // no build, no price (revenue 0), shipped at midnight
      'SN4,B,,2.0,2024-01-02T12:00:00Z,55.55,USD,D1',      // no batch
    ]);
    expect(await shipDays()).toEqual([
      { sku: 'A', batch_id: 'B1', firmware_version: '1.0', currency: 'EUR', shipped_on: '2024-01-01', units: 2, midnight_units: 0, revenue: '200.20' },
      { sku: 'A', batch_id: 'B2', firmware_version: null, currency: 'EUR', shipped_on: '2024-01-02', units: 1, midnight_units: 1, revenue: '0.00' },
      { sku: 'B', batch_id: null, firmware_version: '2.0', currency: 'USD', shipped_on: '2024-01-02', units: 1, midnight_units: 0, revenue: '55.55' },
    ]);
    expect(await dealerDays()).toEqual([
      { dealer_id: 'D1', shipped_on: '2024-01-01', units: 1 },
      { dealer_id: 'D1', shipped_on: '2024-01-02', units: 1 },
      { dealer_id: 'D2', shipped_on: '2024-01-01', units: 1 },
      { dealer_id: null, shipped_on: '2024-01-02', units: 1 },
    ]);
    await expectSameAsFromScratch();

    // SN2 corrected to another day and batch, SN1 re-sent unchanged, SN5 new on SN2's old day
    await ingestUnits([
      'SN1,A,B1,1.0,2024-01-01T09:00:00Z,100.10,EUR,D1',
      'SN2,A,B3,1.0,2024-01-03T08:00:00Z,90.00,EUR,D2',
      'SN5,A,B1,1.0,2024-01-01T10:00:00Z,99.99,EUR,D2',
    ]);
    expect(await shipDays()).toEqual([
      { sku: 'A', batch_id: 'B1', firmware_version: '1.0', currency: 'EUR', shipped_on: '2024-01-01', units: 2, midnight_units: 0, revenue: '200.09' },
      { sku: 'A', batch_id: 'B2', firmware_version: null, currency: 'EUR', shipped_on: '2024-01-02', units: 1, midnight_units: 1, revenue: '0.00' },
      { sku: 'A', batch_id: 'B3', firmware_version: '1.0', currency: 'EUR', shipped_on: '2024-01-03', units: 1, midnight_units: 0, revenue: '90.00' },
      { sku: 'B', batch_id: null, firmware_version: '2.0', currency: 'USD', shipped_on: '2024-01-02', units: 1, midnight_units: 0, revenue: '55.55' },
    ]);
    expect(await dealerDays()).toEqual([
      { dealer_id: 'D1', shipped_on: '2024-01-01', units: 1 },
      { dealer_id: 'D1', shipped_on: '2024-01-02', units: 1 },
      { dealer_id: 'D2', shipped_on: '2024-01-01', units: 1 },
      { dealer_id: 'D2', shipped_on: '2024-01-03', units: 1 },
      { dealer_id: null, shipped_on: '2024-01-02', units: 1 },
    ]);
    await expectSameAsFromScratch();

    // the only unit of a group moves away: the group goes, not a row of 0 units
    await ingestUnits(['SN4,B,,2.0,2024-01-05T12:00:00Z,55.55,USD,D1']);
    expect(await store.all(`SELECT CAST(shipped_on AS VARCHAR) AS day, units FROM ${shipDaysTable} WHERE sku = 'B'`)).toEqual([{ day: '2024-01-05', units: 1 }]);
    await expectSameAsFromScratch();
  });

  it('counts afresh when rows were written around ingest (a bulk load, a store from before the table)', async () => {
    await ingestUnits(['SN1,A,B1,1.0,2024-01-01T09:00:00Z,10.00,EUR,D1']);
    await store.run(`INSERT INTO units (serial_number, sku, batch_id, shipped_at) VALUES ('SN9', 'A', 'B1', TIMESTAMPTZ '2024-01-01 18:00:00+00')`);
    expect(await store.withConnection((conn) => ensureShipDays(conn))).toBe(2);
    expect(await shipDays()).toEqual([
      { sku: 'A', batch_id: 'B1', firmware_version: '1.0', currency: 'EUR', shipped_on: '2024-01-01', units: 1, midnight_units: 0, revenue: '10.00' },
      { sku: 'A', batch_id: 'B1', firmware_version: null, currency: null, shipped_on: '2024-01-01', units: 1, midnight_units: 0, revenue: '0.00' },
    ]);
    // a later ingest keeps on from the recount
    await ingestUnits(['SN1,A,B1,1.0,2024-01-02T09:00:00Z,10.00,EUR,D1']);
    await expectSameAsFromScratch();
    expect(await shipDays()).toEqual([
      { sku: 'A', batch_id: 'B1', firmware_version: '1.0', currency: 'EUR', shipped_on: '2024-01-02', units: 1, midnight_units: 0, revenue: '10.00' },
      { sku: 'A', batch_id: 'B1', firmware_version: null, currency: null, shipped_on: '2024-01-01', units: 1, midnight_units: 0, revenue: '0.00' },
    ]);
  });

  it('replaces a count table from before midnight_units, counting it afresh', async () => {
    await ingestUnits(['SN1,A,B1,1.0,2024-01-01T00:00:00Z,10.00,EUR,D1']);
    // the old shape with the right total: only the missing column tells it apart
    await store.run(`DROP TABLE ${shipDaysTable}`);
    await store.run(`CREATE TABLE ${shipDaysTable} (sku VARCHAR, batch_id VARCHAR, firmware_version VARCHAR, currency VARCHAR,
      shipped_on DATE NOT NULL, units BIGINT NOT NULL, revenue DECIMAL(38, 2) NOT NULL)`);
    await store.run(`INSERT INTO ${shipDaysTable} VALUES ('A', 'B1', '1.0', 'EUR', DATE '2024-01-01', 1, 10.00)`);
    expect(await store.withConnection((conn) => ensureShipDays(conn))).toBe(1);
    expect(await shipDays()).toEqual([
      { sku: 'A', batch_id: 'B1', firmware_version: '1.0', currency: 'EUR', shipped_on: '2024-01-01', units: 1, midnight_units: 1, revenue: '10.00' },
    ]);
  });
});
