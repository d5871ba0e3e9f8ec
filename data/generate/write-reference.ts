/** Reference data as canonical CSVs: unit registry, batches, firmware builds and installs, policies, reserve plan, cost rates. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  batchesTable, costRatesTable, firmwareBuildsTable, firmwareInstallsTable, reservePlanTable, unitsTable, warrantyPoliciesTable,
} from '../../pipeline/schema/tables.js';
import type { TableDef } from '../../pipeline/schema/define.js';
import type { EmittedFile, Emitter } from './emitter.js';
import { tableCsvLines } from './format.js';
import type { World } from './world.js';

function writeTable(outDir: string, name: string, format: string, def: TableDef, rows: readonly Record<string, unknown>[], modifiedAt: number): EmittedFile {
  writeFileSync(join(outDir, name), `${tableCsvLines(def, rows).join('\n')}\n`);
  return { path: name, format, source: 'demo', rows: rows.length, modifiedAt, expected: { rows_read: rows.length, inserted: rows.length, updated: 0, unchanged: 0, quarantined: 0 } };
}

export const referenceEmitter: Emitter = {
  name: 'reference-csv',
  write(world: World, outDir: string) {
    const at = world.horizon;
    return {
      files: [
        writeTable(outDir, 'units.csv', 'units-csv', unitsTable, world.units as unknown as Record<string, unknown>[], at),
        writeTable(outDir, 'batches.csv', 'batches-csv', batchesTable, world.batches as unknown as Record<string, unknown>[], at),
        writeTable(outDir, 'firmware-builds.csv', 'firmware-builds-csv', firmwareBuildsTable, world.builds as unknown as Record<string, unknown>[], at),
        writeTable(outDir, 'firmware-installs.csv', 'firmware-installs-csv', firmwareInstallsTable, world.installs as unknown as Record<string, unknown>[], at),
        writeTable(outDir, 'policies.csv', 'policies-csv', warrantyPoliciesTable, world.policies, at),
        writeTable(outDir, 'reserve-plan.csv', 'reserve-plan-csv', reservePlanTable, world.reservePlan, at),
        writeTable(outDir, 'cost-rates.csv', 'cost-rates-csv', costRatesTable, world.costRates, at),
      ],
    };
  },
};
