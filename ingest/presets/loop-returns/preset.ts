import { mappingFormat, presetMapping } from '../mapping-format.js';
import { lit } from '../../mapping/sql-values.js';
import { presetDictionaries, withOverrides } from '../preset-kit.js';

const dicts = presetDictionaries('loop-returns');
const knownReasons = Object.keys(dicts.dictionaries.return_reason).map((k) => lit(k.toLowerCase())).join(', ');

/**
 * Loop Returns: return webhooks (topic `return`, triggers return.created / return.updated / return.closed)
 * and Returns API objects. One canonical row per line item. The specific reason wins over the parent reason
 * when the dictionary knows it ("Arrived broken / box crushed" is shipping damage even under the parent
 * "Damaged or defective"); otherwise the parent reason decides.
 */
export const mapping = presetMapping({
  name: 'loop-returns',
  reader: { kind: 'json', records: ['$.returns', '$.data', '$'], items: '$.line_items' },
  missing_columns: 'null',
  columns: {
    rma_number: { path: '$.id', transforms: [] },
    opened_at: { path: '$.created_at', format: 'iso', transforms: [] },
    closed_at: { path: '$.closed_at', format: 'iso', transforms: [] },
    status_raw: { path: '$.state', transforms: [] },
    stage: { path: '$.state', dictionary: 'stage', transforms: [] },
    resolution: { path: '$.outcome', dictionary: 'resolution', transforms: [] },
    order_number: { path: ['$.order_name', '$.order.name', '$.order_id'], transforms: [] },
    sku: { item_path: '$.sku', transforms: [] },
    serial_number: { item_path: ['$.serial_number', '$.serial'], transforms: [] },
    quantity: { item_path: '$.quantity', default: '1', transforms: [] },
    return_reason: {
      sql: `coalesce(
        CASE WHEN lower(trim(json_extract_string(s.__itm, '$.reason'))) IN (${knownReasons}) THEN json_extract_string(s.__itm, '$.reason') END,
        json_extract_string(s.__itm, '$.parent_reason'),
        json_extract_string(s.__itm, '$.reason'))`,
      dictionary: 'return_reason',
      transforms: [],
    },
    description: { item_path: ['$.comment', '$.note'], transforms: ['strip_html'] },
    customer_id: { path: ['$.customer', '$.customer_email'], transforms: [] },
    credit_amount: { item_path: ['$.refund', '$.price'], transforms: [] },
    currency: { path: '$.currency', transforms: [] },
    channel: { constant: 'direct', transforms: [] },
  },
  ...dicts,
}, 'loop-returns');

export const format = mappingFormat({
  name: 'loop-returns',
  description: 'Loop Returns (return webhooks and API objects, JSON)',
  mapping: withOverrides(mapping),
  detect: { signature: ['line_items', 'state', 'outcome', 'order_name', 'topic'], required: ['line_items', 'state'], extensions: ['json', 'ndjson'] },
  defaultSource: 'loop',
});
