import { join } from 'node:path';
import type { ReaderContext } from '../../format.js';
import type { Mapping } from '../../mapping/mapping.schema.js';
import { mappingFormat, presetMapping } from '../mapping-format.js';
import { overlayMapping, presetDictionaries } from '../preset-kit.js';
import { combineSapQm, companionCandidates } from './combine.js';
import { sapConfigSchema } from './config.schema.js';

const { dictionaries, failure_codes } = presetDictionaries('sap-qm');

/**
 * SAP QM quality notifications (QMEL) with their defect items (QMFE) and causes (QMUR), after combine.ts has
 * joined them into one row per notification with technical column names.
 * - rma_number: QMNUM exactly as exported (leading zeros kept).
 * - failure_code_stated: the notification's coding (QMKAT/QMGRP/QMCOD); failure_code_verified: the first
 *   defect item (FEKAT/FEGRP/FECOD). SAP codes are unique only as catalog/group/code, so maps key on all three.
 * - MATNR and SERIALNR are shown without SAP's zero padding (ALPHA conversion), as users see them.
 */
export const mapping = presetMapping({
  name: 'sap-qm',
  reader: { kind: 'csv' },
  locale: { date_order: 'DMY', decimal: '.' },
  missing_columns: 'null',
  columns: {
    rma_number: { column: 'QMNUM', transforms: [] },
    opened_at: { column: ['QMDAT', 'ERDAT'], time: 'MZEIT', transforms: [] },
    closed_at: { column: 'QMDAB', time: 'QMZAB', transforms: [] },
    status_raw: 'STAT',
    stage: { column: 'STAT', regex: { pattern: '^(\\S+)', group: 1 }, dictionary: 'stage', transforms: [] },
    return_reason: { column: 'QMART', dictionary: 'return_reason', transforms: [] },
    sku: { column: 'MATNR', transforms: ['strip_leading_zeros'] },
    serial_number: { column: 'SERIALNR', transforms: ['strip_leading_zeros'] },
    batch_id: 'CHARG',
    quantity: 'RKMNG',
    description: { column: 'QMTXT', transforms: ['strip_html'] },
    customer_id: { column: 'KUNUM', transforms: ['strip_leading_zeros'] },
    country: { column: 'LAND1', transforms: ['alpha3_to_alpha2'] },
    failure_code_raw: { sql: `coalesce("DEFECT_CODES", nullif(concat_ws('/', "QMKAT", "QMGRP", "QMCOD"), ''))`, transforms: [] },
    failure_code_stated: { join: { parts: ['QMKAT', 'QMGRP', 'QMCOD'], separator: '/' }, dictionary: 'failure_codes', transforms: [] },
    failure_code_verified: { join: { parts: ['FEKAT', 'FEGRP', 'FECOD'], separator: '/' }, dictionary: 'failure_codes', transforms: [] },
  },
  dictionaries,
  failure_codes: failure_codes ?? {},
}, 'sap-qm');

/** The preset with a user's SAP settings (validated against config.schema.ts) laid over it. */
export function sapQmMapping(config?: unknown): Mapping {
  if (!config) return mapping;
  const parsed = sapConfigSchema.safeParse(config);
  if (!parsed.success) return overlayMapping(mapping, config); // reports every problem with its path
  return overlayMapping(mapping, parsed.data);
}

/** The combined QMEL(+QMFE+QMUR) CSV for one QMEL file, in dir. */
export async function prepareSapQm(file: string, dir: string, m: Mapping, files?: readonly string[]): Promise<string> {
  const out = join(dir, 'sap-qm-combined.csv');
  const reader = m.reader.kind === 'csv' ? { delimiter: m.reader.delimiter, encoding: m.reader.encoding, quote: m.reader.quote, skip_rows: m.reader.skip_rows } : {};
  await combineSapQm(file, companionCandidates(file, files), out, reader);
  return out;
}

/** The combined file is UTF-8 CSV with technical names, whatever the export's own delimiter or encoding was. */
export const combinedMapping = (m: Mapping): Mapping => ({ ...m, reader: { kind: 'csv', delimiter: ',', header: true, encoding: 'utf-8', line_ending: 'auto', skip_rows: 0 } });

export const format = mappingFormat({
  name: 'sap-qm',
  description: 'SAP QM notifications: QMEL headers with optional QMFE defect items and QMUR causes (table extracts or GUI exports)',
  mapping: (_file, ctx: ReaderContext) => combinedMapping(sapQmMapping(ctx.mapping)),
  prepare: (file, ctx) => prepareSapQm(file, ctx.tempDir, sapQmMapping(ctx.mapping), (ctx as ReaderContext & { files?: string[] }).files),
  detect: { signature: ['QMNUM', 'QMART', 'QMTXT', 'ERDAT', 'MATNR', 'SERIALNR', 'FECOD', 'URCOD'], required: ['QMNUM'], extensions: ['csv', 'txt', 'tsv'] },
  defaultSource: 'sap-qm',
});
