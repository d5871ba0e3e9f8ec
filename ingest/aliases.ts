/**
 * Built-in alternative header names for canonical columns, used by formats with inheritCanonicalNames
 * (canonical-csv/json and the reference-data CSVs). Names are compared normalised (see normaliseName).
 */
export const columnAliases: Readonly<Record<string, readonly string[]>> = {
  rma_number: ['rma', 'rma_no', 'rma_id', 'return_number', 'return_no', 'claim_number', 'ra_number'],
  line: ['line_number', 'line_no', 'position'],
  opened_at: ['opened', 'created_at', 'created', 'date_opened', 'open_date', 'claim_date'],
  approved_at: ['approved', 'approval_date'],
  received_at: ['received', 'receipt_date', 'date_received'],
  inspected_at: ['inspected', 'inspection_date'],
  resolved_at: ['resolved', 'resolution_date'],
  closed_at: ['closed', 'close_date', 'date_closed'],
  status_raw: ['status'],
  serial_number: ['serial', 'serial_no', 'sn', 'serialnumber'],
  sku: ['product_sku', 'part_number', 'material', 'product'],
  batch_id: ['batch', 'lot', 'lot_number', 'batch_number'],
  firmware_version: ['firmware', 'fw_version', 'fw'],
  quantity: ['qty'],
  return_reason: ['reason'],
  failure_code_stated: ['failure_code', 'stated_failure_code'],
  failure_code_verified: ['verified_failure_code'],
  description: ['problem_description', 'notes', 'comment'],
  customer_id: ['customer'],
  dealer_id: ['dealer'],
  country: ['country_code'],
  inspection_outcome: ['inspection_result', 'outcome'],
  warranty_status: ['warranty'],
  shipped_at: ['shipped', 'ship_date', 'delivered_at', 'delivery_date'],
  unit_price: ['price'],
  effective_from: ['valid_from', 'effective_date'],
  as_of: ['snapshot_date', 'date'],
};

/** Header names compared ignoring case, spaces, dashes, dots, slashes and underscores. */
export const normaliseName = (name: string): string => name.toLowerCase().replace(/[\s_\-./\\]+/g, '');
