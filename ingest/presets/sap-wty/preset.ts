import { join } from 'node:path';
import type { Mapping } from '../../mapping/mapping.schema.js';
import { mappingFormat, presetMapping } from '../mapping-format.js';
import { overlayMapping, presetDictionaries } from '../preset-kit.js';
import { aggregateSapWty } from './aggregate.js';

/**
 * SAP warranty claims (LO-WTY) after aggregate.ts: one row per claim (CLMNO). The dealer (PARNR) is the
 * claimant; the warranty object's external number (RELOB_EXT) is the unit's serial. Costs are the amounts
 * approved to the claimant (VALOC). Decision codes (V_REJCD) are customer-configured: extend the dictionary.
 */
export const mapping = presetMapping({
  name: 'sap-wty',
  reader: { kind: 'csv', delimiter: ',' },
  locale: { date_order: 'DMY' },
  missing_columns: 'null',
  columns: {
    rma_number: 'CLMNO',
    opened_at: { column: ['REFDT', 'ERDAT'], transforms: [] },
    status_raw: 'V_REJCD',
    stage: { column: 'V_REJCD', dictionary: 'stage', default: 'OPEN', transforms: [] },
    resolution: { column: 'V_REJCD', dictionary: 'resolution', transforms: [] },
    serial_number: { sql: 'coalesce(nullif("SERNO", \'\'), "RELOB_EXT")', transforms: ['strip_leading_zeros'] },
    dealer_id: { column: 'PARNR', transforms: ['strip_leading_zeros'] },
    order_number: 'REFNO',
    failure_code_raw: 'DEFCT',
    failure_code_verified: { column: 'DEFCT', dictionary: 'failure_codes', transforms: [] },
    description: { column: 'PVTXT', transforms: ['strip_html'] },
    cost_parts: 'COST_PARTS',
    cost_labor: 'COST_LABOR',
    currency: 'V_CRNCY',
    channel: { constant: 'dealer', transforms: [] },
    return_reason: { constant: 'defective', transforms: [] },
  },
  ...presetDictionaries('sap-wty'),
  failure_codes: presetDictionaries('sap-wty').failure_codes ?? {},
}, 'sap-wty');

/** Settings of the raw extract (delimiter, encoding, decimal style) from a --mapping overlay. */
export function sapWtyMapping(override?: unknown): Mapping {
  return override ? overlayMapping(mapping, override) : mapping;
}

/** The per-claim CSV for an item-level extract, in dir. The aggregated file is always ',' and '.' decimals. */
export async function prepareSapWty(file: string, dir: string, source: Mapping): Promise<string> {
  const out = join(dir, 'sap-wty-claims.csv');
  const reader = source.reader.kind === 'csv' ? { delimiter: source.reader.delimiter === ',' ? undefined : source.reader.delimiter, encoding: source.reader.encoding } : {};
  await aggregateSapWty(file, out, reader, source.locale.decimal);
  return out;
}

export const claimsMapping = (m: Mapping): Mapping => ({ ...m, reader: { kind: 'csv', delimiter: ',', header: true, encoding: 'utf-8', line_ending: 'auto', skip_rows: 0 }, locale: { ...m.locale, decimal: '.' } });

export const format = mappingFormat({
  name: 'sap-wty',
  description: 'SAP warranty claims: PNWTYH / PNWTYV / PVWTY joined extract, one row per item',
  mapping: (_file, ctx) => claimsMapping(sapWtyMapping(ctx.mapping)),
  prepare: (file, ctx) => prepareSapWty(file, ctx.tempDir, sapWtyMapping(ctx.mapping)),
  detect: { signature: ['CLMNO', 'CLMTY', 'REFNO', 'POSNR', 'POSKT', 'VALOC', 'KATEG'], required: ['CLMNO'], extensions: ['csv', 'txt'] },
  defaultSource: 'sap-wty',
});
