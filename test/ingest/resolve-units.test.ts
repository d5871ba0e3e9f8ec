import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normaliseRma, resolveUnits, resolvedColumns } from '../../ingest/normalise/index.js';
import { discoverModels, runModels } from '../../models/runner.js';
import type { Store } from '../../pipeline/store.js';
import { testConfig } from '../reports/helpers.js';
import { ingestLines, tempStore } from './helpers.js';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
afterEach(async () => cleanup());

const rmaHeader = 'rma_number,opened_at,serial_number,sku,return_reason';
const ingestCsv = (lines: string[], source?: string): Promise<void> => ingestLines(store, dir, lines, source ? { source } : {});

type Resolved = { rma_key: string; unit_sku: string | null; unit_batch_id: string | null; unit_dealer_id: string | null; is_first_return: boolean | null };
const resolved = (): Promise<Resolved[]> =>
  store.all<Resolved>('SELECT rma_key, unit_sku, unit_batch_id, unit_dealer_id, is_first_return FROM rma ORDER BY rma_key');
const firstReturns = async (): Promise<string[]> => (await resolved()).filter((r) => r.is_first_return).map((r) => r.rma_key);

/** What resolving every line from scratch gives: incremental upkeep must never drift from it. */
async function expectSameAsFromScratch(): Promise<void> {
  const kept = await store.all(`SELECT rma_key, ${resolvedColumns.join(', ')} FROM rma ORDER BY rma_key`);
  await store.run('UPDATE rma SET is_first_return = NULL');
  await store.withConnection((conn) => resolveUnits(conn));
  expect(await store.all(`SELECT rma_key, ${resolvedColumns.join(', ')} FROM rma ORDER BY rma_key`)).toEqual(kept);
}

describe('RMA lines resolved against the unit registry as they land', () => {
  it('follows units that arrive later, a corrected serial and relinked duplicates, and always equals a resolution from scratch', async () => {
    // SN1 returned twice (R2 first), SN2 once, R4 names no serial; no registry yet
    await ingestCsv([rmaHeader, 'R1,2024-03-10,SN1,A,defective', 'R2,2024-03-01,SN1,A,defective', 'R3,2024-03-05,SN2,A,defective', 'R4,2024-03-06,,A,defective'], 'erp');
    expect(await resolved()).toEqual([
      { rma_key: 'erp::R1:1', unit_sku: null, unit_batch_id: null, unit_dealer_id: null, is_first_return: false },
      { rma_key: 'erp::R2:1', unit_sku: null, unit_batch_id: null, unit_dealer_id: null, is_first_return: false },
      { rma_key: 'erp::R3:1', unit_sku: null, unit_batch_id: null, unit_dealer_id: null, is_first_return: false },
      { rma_key: 'erp::R4:1', unit_sku: null, unit_batch_id: null, unit_dealer_id: null, is_first_return: false },
    ]);
    await expectSameAsFromScratch();

    // the registry lands: only registered units have a first return
    await ingestCsv(['serial_number,sku,batch_id,shipped_at,dealer_id', 'SN1,A,B1,2024-01-01,D1', 'SN2,A,B2,2024-01-02,D2', 'SN4,A,B1,2024-01-03,D1']);
    expect((await resolved()).find((r) => r.rma_key === 'erp::R1:1')).toEqual({ rma_key: 'erp::R1:1', unit_sku: 'A', unit_batch_id: 'B1', unit_dealer_id: 'D1', is_first_return: false });
    expect(await firstReturns()).toEqual(['erp::R2:1', 'erp::R3:1']);
    await expectSameAsFromScratch();

    // a registry correction reaches the lines of its serial
    await ingestCsv(['serial_number,sku,batch_id,shipped_at,dealer_id', 'SN2,A,B9,2024-01-02,D2']);
    expect((await resolved()).find((r) => r.rma_key === 'erp::R3:1')?.unit_batch_id).toBe('B9');
    await expectSameAsFromScratch();

    // R2's serial was a typo for an unregistered SN3: R1 becomes SN1's first return
    await ingestCsv([rmaHeader, 'R1,2024-03-10,SN1,A,defective', 'R2,2024-03-01,SN3,A,defective', 'R3,2024-03-05,SN2,A,defective', 'R4,2024-03-06,,A,defective'], 'erp');
    expect(await firstReturns()).toEqual(['erp::R1:1', 'erp::R3:1']);
    await expectSameAsFromScratch();

    // SN4 comes back through two sources on one day: by day then key the ERP line is first; once linked, the
    // portal's earlier record is the return and the ERP line its duplicate, so the portal line is first
    await ingestCsv([rmaHeader, 'R5,2024-04-02T15:00:00Z,SN4,A,defective'], 'erp');
    await ingestCsv([rmaHeader, 'P1,2024-04-02T09:00:00Z,SN4,A,defective'], 'portal');
    expect(await firstReturns()).toEqual(['erp::R1:1', 'erp::R3:1', 'erp::R5:1']);
    await store.withConnection((conn) => normaliseRma(conn));
    expect(await store.all("SELECT rma_key, duplicate_of FROM rma WHERE duplicate_of IS NOT NULL")).toEqual([{ rma_key: 'erp::R5:1', duplicate_of: 'portal::P1:1' }]);
    expect(await firstReturns()).toEqual(['erp::R1:1', 'erp::R3:1', 'portal::P1:1']);
    await expectSameAsFromScratch();
  });

  it("finds each unit's first warranty claim: a commercial return, a line out of warranty or a cancelled one is not one", async () => {
    await ingestCsv(['serial_number,sku,batch_id,shipped_at', 'SN1,A,B1,2024-01-01', 'SN2,A,B1,2024-01-01']);
    await ingestCsv(['rma_number,opened_at,serial_number,sku,return_reason,warranty_status,stage',
      'R1,2024-02-01,SN1,A,changed_mind,,',
      'R2,2024-02-05,SN1,A,defective,out_of_warranty,',
      'R3,2024-02-09,SN1,A,defective,,cancelled',
      'R4,2024-03-01,SN1,A,defective,,',
      'R5,2024-03-02,SN1,A,defective,,',
      'R6,2024-03-02,SN2,A,,,']);
    const flags = await store.all<{ rma_key: string; is_first_return: boolean; is_first_claim: boolean }>(
      'SELECT rma_key, is_first_return, is_first_claim FROM rma WHERE is_first_return OR is_first_claim ORDER BY rma_key');
    expect(flags.map((r) => [r.rma_key.replace(/^.*::/, ''), r.is_first_return, r.is_first_claim])).toEqual([
      ['R1:1', true, false],
      ['R4:1', false, true],
      ['R6:1', true, true],   // no reason given: a warranty claim, as rpt_rma counts it
    ]);
    // the same rule as rpt_rma's warranty_claim: its first claim per unit is the resolved one
    const rptRma = (await discoverModels()).filter((m) => m.name === 'rpt_rma');
    await runModels(store, { asOf: '2024-06-30', store, config: testConfig() }, { models: rptRma });
    expect(await store.all(`SELECT rma_key FROM models.rpt_rma WHERE warranty_claim
      QUALIFY row_number() OVER (PARTITION BY serial_number ORDER BY opened_at::DATE, rma_key) = 1 ORDER BY rma_key`))
      .toEqual(flags.filter((r) => r.is_first_claim).map((r) => ({ rma_key: r.rma_key })));
    await expectSameAsFromScratch();
  });

  it('a build refuses lines that were never resolved instead of counting them as no unit', async () => {
    await ingestCsv([rmaHeader, 'R1,2024-03-10,SN1,A,defective']);
    await store.run('UPDATE rma SET is_first_return = NULL');
    const rptRma = (await discoverModels()).filter((m) => m.name === 'rpt_rma');
    const ctx = { asOf: '2024-06-30', store, config: testConfig() };
    await expect(runModels(store, ctx, { models: rptRma })).rejects.toMatchObject({ code: 'RMA_ERR_AUDIT', details: { audit: 'not_null(is_first_return)' } });
  });
});
