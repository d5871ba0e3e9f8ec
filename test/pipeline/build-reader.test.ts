import { describe, expect, it } from 'vitest';
import { build } from '../../pipeline/build.js';
import { defaultConfig } from '../../pipeline/config.js';
import { insert, rmaLine, tempStore } from '../reports/helpers.js';

/** A server's reader can hold a transaction open while a build settles the lines and commits its models. */
describe('build beside an open reader', () => {
  it('builds while another connection holds a transaction open, and that reader keeps its snapshot', async () => {
    const { store, dispose } = await tempStore();
    try {
      await insert(store, 'rma', [rmaLine(1, { sku: 'A', serial_number: 'S1', opened_at: '2025-01-06T09:00:00Z', return_reason: 'defective' })]);
      const reader = await store.connect();
      const firstReturn = async (): Promise<unknown> =>
        (await reader.runAndReadAll("SELECT is_first_return FROM rma WHERE rma_key = 't::R1:1'")).getRowObjectsJS()[0]?.is_first_return;
      try {
        await reader.run('BEGIN TRANSACTION');
        expect(await firstReturn()).toBeNull();                      // not yet resolved
        const result = await build(store, { asOf: '2025-01-31', config: defaultConfig() });
        expect(result.models.find((m) => m.name === 'rpt_rma')?.rows).toBe(1);
        expect(await firstReturn()).toBeNull();                      // the build resolved it, after this snapshot
        await reader.run('COMMIT');
        expect(await firstReturn()).toBe(false);                     // resolved: S1 is not in the unit registry, so no unit's first return
      } finally {
        reader.closeSync();
      }
    } finally {
      await dispose();
    }
  });
});
