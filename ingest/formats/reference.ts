import { tableDef } from '../../pipeline/schema/tables.js';
import { defineFormat, type FormatDefinition, type TargetTable } from '../format.js';

/** A reference-data CSV: header = the table's column names (plus built-in aliases). */
function referenceCsv(name: string, target: TargetTable, description: string, required: string[]): FormatDefinition {
  const def = tableDef(target);
  return defineFormat({
    name,
    description,
    target,
    reader: { kind: 'csv', encoding: 'auto' },
    columns: {},
    inheritCanonicalNames: true,
    detect: { signature: def.columns.filter((c) => !c.internal).map((c) => c.name), required, extensions: ['csv', 'txt', 'tsv'] },
  });
}

export const referenceFormats: FormatDefinition[] = [
  referenceCsv('units-csv', 'units', 'Unit registry: one row per shipped serial number', ['serial_number', 'shipped_at']),
  referenceCsv('batches-csv', 'batches', 'Production batches', ['batch_id', 'sku']),
  referenceCsv('firmware-builds-csv', 'firmware_builds', 'Firmware builds per SKU', ['firmware_version', 'released_at']),
  referenceCsv('firmware-installs-csv', 'firmware_installs', 'Installed-base snapshots per build', ['firmware_version', 'active_units']),
  referenceCsv('failure-codes-csv', 'failure_codes', 'Failure-code taxonomy (lists | separated)', ['code', 'category']),
  referenceCsv('policies-csv', 'warranty_policies', 'Warranty policies per SKU', ['warranty_months', 'effective_from']),
  referenceCsv('reserve-plan-csv', 'reserve_plan', 'Service-reserve accrual terms', ['effective_from']),
  referenceCsv('cost-rates-csv', 'cost_rates', 'Standard costs per resolution', ['resolution', 'standard_cost']),
];
