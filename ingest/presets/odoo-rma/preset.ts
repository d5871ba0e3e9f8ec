import type { Mapping } from '../../mapping/mapping.schema.js';
import { mappingFormat, presetMapping } from '../mapping-format.js';
import { looksLikeJson, overlayMapping, presetDictionaries } from '../preset-kit.js';

const dicts = presetDictionaries('odoo-rma');

/**
 * Odoo, OCA `rma` module (model `rma`), as JSON-RPC `search_read` output: many2one fields are `[id, "name"]`
 * pairs, empty fields are `false`, datetimes are UTC without an offset. Products show as
 * "[default_code] Name", so the SKU is the bracketed code.
 */
export const jsonMapping = presetMapping({
  name: 'odoo-rma',
  reader: { kind: 'json', records: ['$.result.records', '$.result', '$.records', '$'], false_is_null: true },
  locale: { time_zone: 'UTC' },
  missing_columns: 'null',
  columns: {
    rma_number: { path: '$.name', transforms: [] },
    opened_at: { path: '$.date', format: 'iso', transforms: [] },
    status_raw: { path: '$.state', transforms: [] },
    stage: { path: '$.state', dictionary: 'stage', transforms: [] },
    sku: { path: '$.product_id', transforms: ['m2o_name', 'sku_from_display'] },
    serial_number: { path: '$.lot_id', transforms: ['m2o_name'] },
    quantity: { path: '$.product_uom_qty', transforms: [] },
    resolution: { path: '$.operation_id', dictionary: 'resolution', transforms: ['m2o_name'] },
    description: { path: '$.description', transforms: ['strip_html'] },
    customer_id: { path: '$.partner_id', transforms: ['m2o_id'] },
    order_number: { path: ['$.order_id', '$.origin'], transforms: ['m2o_name'] },
    company: { path: '$.company_id', transforms: ['m2o_name'] },
  },
  ...dicts,
}, 'odoo-rma');

/** The list view's "Export" (not import-compatible): field labels as headers, display names as values. */
export const csvMapping = presetMapping({
  name: 'odoo-rma',
  reader: { kind: 'csv', delimiter: ',' },
  locale: { time_zone: 'UTC', date_order: 'YMD' },
  missing_columns: 'null',
  columns: {
    rma_number: ['Name', 'Reference', 'name'],
    opened_at: ['Date', 'date'],
    status_raw: ['Status', 'state'],
    stage: { column: ['Status', 'state'], dictionary: 'stage', transforms: [] },
    sku: { column: ['Product', 'product_id'], transforms: ['sku_from_display'] },
    serial_number: ['Lot/Serial Number', 'Lot', 'lot_id'],
    quantity: ['Quantity', 'product_uom_qty'],
    resolution: { column: ['Requested operation', 'Operation', 'operation_id'], dictionary: 'resolution', transforms: [] },
    description: { column: ['Description', 'description'], transforms: ['strip_html'] },
    customer_id: ['Customer', 'partner_id'],
    order_number: ['Sale Order', 'Origin', 'order_id'],
    company: ['Company', 'company_id'],
  },
  ...dicts,
}, 'odoo-rma');

/** JSON-RPC output or UI export, decided by the file's first byte. */
export function odooMapping(file: string, override?: unknown): Mapping {
  const base = looksLikeJson(file) ? jsonMapping : csvMapping;
  return override ? overlayMapping(base, override) : base;
}

export const format = mappingFormat({
  name: 'odoo-rma',
  description: 'Odoo OCA rma (JSON-RPC search_read output or list-view CSV export)',
  mapping: (file, ctx) => odooMapping(file, ctx.mapping),
  detect: { signature: ['Name', 'Product', 'Lot/Serial Number', 'Status', 'Requested operation', 'partner_id', 'lot_id', 'operation_id'], required: [], extensions: ['json', 'csv'] },
  defaultSource: 'odoo',
});
