import { mappingFormat, presetMapping } from '../mapping-format.js';
import { presetDictionaries, withOverrides } from '../preset-kit.js';

/**
 * NetSuite Return Authorization saved search, exported as CSV (Reports → Saved Searches → Export → CSV).
 * Header-level (main line only) and line-level searches share the columns; line-level adds Line ID, Item,
 * Quantity (negative on RA lines) and Serial/Lot Numbers. Dates follow the exporting user's preference, so
 * the day/month order is inferred from the whole file unless configured.
 */
export const mapping = presetMapping({
  name: 'netsuite-ra',
  reader: { kind: 'csv', delimiter: ',' },
  locale: { date_order: 'auto' },
  missing_columns: 'null',
  columns: {
    rma_number: ['Document Number', 'Number', 'Transaction Number'],
    line: { column: ['Line ID', 'Line Sequence Number', 'Line'], transforms: [] },
    opened_at: ['Date', 'Date Created'],
    closed_at: { column: ['Date Closed', 'Closed'], transforms: [] },
    stage: { column: 'Status', dictionary: 'stage', transforms: [] },
    status_raw: 'Status',
    order_number: { column: ['Created From', 'Sales Order'], transforms: ['after_hash'] },
    sku: { column: ['Item', 'Item Name'], split: { separator: ' : ', part: -1 }, transforms: ['sku_from_display'] },
    serial_number: ['Serial/Lot Numbers', 'Serial Numbers', 'Inventory Detail'],
    quantity: { column: 'Quantity', transforms: ['abs'] },
    return_reason: { column: ['Return Reason', 'Reason'], dictionary: 'return_reason', transforms: [] },
    description: { column: ['Memo', 'Description'], transforms: ['strip_html'] },
    customer_id: ['Customer Internal ID', 'Name', 'Customer'],
    credit_amount: { column: ['Amount', 'Amount (Foreign Currency)'], transforms: ['abs'] },
    currency: 'Currency',
    company: ['Subsidiary'],
  },
  ...presetDictionaries('netsuite-ra'),
  detect: [['Document Number', 'Status', 'Created From']],
}, 'netsuite-ra');

export const format = mappingFormat({
  name: 'netsuite-ra',
  description: 'NetSuite Return Authorization saved search (CSV, header- or line-level)',
  mapping: withOverrides(mapping),
  detect: { signature: ['Document Number', 'Status', 'Created From', 'Date', 'Memo', 'Item', 'Quantity'], required: ['Document Number', 'Created From'], extensions: ['csv'] },
  defaultSource: 'netsuite',
});
