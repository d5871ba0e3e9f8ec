import { rmaTable } from '../../pipeline/schema/tables.js';
import { defineFormat } from '../format.js';

const rmaColumns = rmaTable.columns.filter((c) => !c.internal).map((c) => c.name);

/** canonical-csv: a CSV whose header is the rma table's column names (or their aliases). */
export const canonicalCsv = defineFormat({
  name: 'canonical-csv',
  description: 'RMA lines with the canonical column names (CONTRACT §3.1), CSV',
  target: 'rma',
  reader: { kind: 'csv', encoding: 'auto' },
  columns: {},
  inheritCanonicalNames: true,
  detect: { signature: rmaColumns, required: ['rma_number'], extensions: ['csv', 'txt', 'tsv'] },
});

/** canonical-json: an array or NDJSON of canonical RMA records. */
export const canonicalJson = defineFormat({
  name: 'canonical-json',
  description: 'RMA lines as canonical JSON records (array or NDJSON)',
  target: 'rma',
  reader: { kind: 'json', shape: 'auto' },
  columns: {},
  inheritCanonicalNames: true,
  detect: { signature: rmaColumns, required: ['rma_number'], extensions: ['json', 'ndjson', 'jsonl'] },
});
