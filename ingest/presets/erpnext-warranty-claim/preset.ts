import type { Mapping } from '../../mapping/mapping.schema.js';
import { mappingFormat, presetMapping } from '../mapping-format.js';
import { looksLikeJson, overlayMapping, presetDictionaries } from '../preset-kit.js';

const dicts = presetDictionaries('erpnext-warranty-claim');

/**
 * ERPNext "Warranty Claim" doctype via the REST API (`/api/resource/Warranty Claim/<name>` → `{ data: {...} }`,
 * list → `{ data: [...] }`). complaint_date is a date, resolution_date a datetime, both site-local without an
 * offset (set locale.time_zone to the site's zone). "Under AMC" (maintenance contract) counts as covered.
 */
export const jsonMapping = presetMapping({
  name: 'erpnext-warranty-claim',
  reader: { kind: 'json', records: ['$.data', '$.message', '$'] },
  missing_columns: 'null',
  columns: {
    rma_number: { path: '$.name', transforms: [] },
    opened_at: { path: '$.complaint_date', format: 'iso', transforms: [] },
    resolved_at: { path: '$.resolution_date', format: 'iso', transforms: [] },
    status_raw: { path: '$.status', transforms: [] },
    stage: { path: '$.status', dictionary: 'stage', transforms: [] },
    serial_number: { path: '$.serial_no', transforms: [] },
    sku: { path: '$.item_code', transforms: [] },
    warranty_status: { path: '$.warranty_amc_status', dictionary: 'warranty_status', transforms: [] },
    description: { path: '$.complaint', transforms: ['strip_html'] },
    customer_id: { path: '$.customer', transforms: [] },
    company: { path: '$.company', transforms: [] },
  },
  ...dicts,
}, 'erpnext-warranty-claim');

/** Report view → Export (CSV): field labels as headers, dates in the system's date format (order inferred). */
export const csvMapping = presetMapping({
  name: 'erpnext-warranty-claim',
  reader: { kind: 'csv', delimiter: ',' },
  missing_columns: 'null',
  columns: {
    rma_number: ['ID', 'Name', 'name'],
    opened_at: ['Issue Date', 'Complaint Date', 'complaint_date'],
    resolved_at: ['Resolution Date', 'resolution_date'],
    status_raw: ['Status', 'status'],
    stage: { column: ['Status', 'status'], dictionary: 'stage', transforms: [] },
    serial_number: ['Serial No', 'serial_no'],
    sku: ['Item Code', 'item_code'],
    warranty_status: { column: ['Warranty / AMC Status', 'warranty_amc_status'], dictionary: 'warranty_status', transforms: [] },
    description: { column: ['Issue', 'Complaint', 'complaint'], transforms: ['strip_html'] },
    customer_id: ['Customer', 'customer'],
    company: ['Company', 'company'],
  },
  ...dicts,
}, 'erpnext-warranty-claim');

export function erpnextMapping(file: string, override?: unknown): Mapping {
  const base = looksLikeJson(file) ? jsonMapping : csvMapping;
  return override ? overlayMapping(base, override) : base;
}

export const format = mappingFormat({
  name: 'erpnext-warranty-claim',
  description: 'ERPNext Warranty Claim (REST JSON, single document or list; list-view CSV export)',
  mapping: (file, ctx) => erpnextMapping(file, ctx.mapping),
  detect: { signature: ['Warranty / AMC Status', 'Serial No', 'Item Code', 'Issue Date', 'Status', 'warranty_amc_status', 'serial_no'], required: [], extensions: ['json', 'csv'] },
  defaultSource: 'erpnext',
});
