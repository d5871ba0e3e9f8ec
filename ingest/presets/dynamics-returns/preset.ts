import { mappingFormat, presetMapping } from '../mapping-format.js';
import { presetDictionaries, withOverrides } from '../preset-kit.js';

/**
 * Dynamics 365 Supply Chain / Finance return orders: the "Return order headers" and "Return order lines"
 * entities joined (SalesTable / SalesLine fields), exported as CSV or read through OData. ReturnStatus comes
 * as its enum name (Created, Open, Closed, Canceled) or its integer; ExpectedRetQty is negative on return lines;
 * DataAreaId is the legal entity; countries are ISO alpha-3.
 */
export const mapping = presetMapping({
  name: 'dynamics-returns',
  reader: { kind: 'csv', delimiter: ',' },
  locale: { date_order: 'MDY' },
  missing_columns: 'null',
  columns: {
    company: { column: ['DataAreaId', 'dataAreaId'], transforms: ['upper'] },
    rma_number: 'ReturnItemNum',
    line: { column: 'LineNum', transforms: [] },
    opened_at: { column: ['CreatedDateTime', 'CreatedDateTime1', 'ReturnCreatedDate'], transforms: [] },
    received_at: { column: ['ReturnArrivalDate'], transforms: [] },
    closed_at: { column: ['ReturnClosedDate'], transforms: [] },
    status_raw: 'ReturnStatus',
    stage: { column: 'ReturnStatus', dictionary: 'stage', transforms: [] },
    return_reason: { column: 'ReturnReasonCodeId', dictionary: 'return_reason', transforms: [] },
    resolution: { column: 'ReturnDispositionCodeId', dictionary: 'resolution', transforms: [] },
    order_number: ['SalesId', 'OrigSalesId', 'InventTransIdReturn'],
    sku: 'ItemId',
    serial_number: ['InventSerialId', 'SerialNumber'],
    batch_id: ['InventBatchId', 'BatchNumber'],
    quantity: { column: ['ExpectedRetQty', 'SalesQty'], transforms: ['abs'] },
    credit_amount: { column: 'LineAmount', transforms: ['abs'] },
    currency: 'CurrencyCode',
    customer_id: 'CustAccount',
    country: { column: ['DeliveryCountryRegionId', 'CountryRegionId'], transforms: ['alpha3_to_alpha2'] },
    description: { column: ['Name', 'LineDescription'], transforms: ['strip_html'] },
  },
  ...presetDictionaries('dynamics-returns'),
}, 'dynamics-returns');

export const format = mappingFormat({
  name: 'dynamics-returns',
  description: 'Dynamics 365 return orders (SalesTable / SalesLine fields; enums as names or integers)',
  mapping: withOverrides(mapping),
  detect: { signature: ['ReturnItemNum', 'ReturnStatus', 'ItemId', 'ExpectedRetQty', 'ReturnReasonCodeId', 'DataAreaId'], required: ['ReturnItemNum'], extensions: ['csv'] },
  defaultSource: 'dynamics',
});
