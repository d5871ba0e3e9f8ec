import { mappingFormat, presetMapping } from '../mapping-format.js';
import { presetDictionaries, withOverrides } from '../preset-kit.js';

/**
 * AfterShip Returns: webhooks (`{ event, data: {...} }`) and Returns API objects (`{ data: { returns: [...] } }`).
 * One canonical row per returned item. Countries arrive as ISO alpha-3 (`country_iso3`) and become alpha-2.
 */
export const mapping = presetMapping({
  name: 'aftership-returns',
  reader: { kind: 'json', records: ['$.data.returns', '$.data.return', '$.data', '$'], items: ['$.items', '$.return_items'] },
  missing_columns: 'null',
  columns: {
    rma_number: { path: ['$.rma_number', '$.id'], transforms: [] },
    opened_at: { path: ['$.created_at', '$.submitted_at'], format: 'iso', transforms: [] },
    received_at: { path: ['$.received_at'], format: 'iso', transforms: [] },
    resolved_at: { path: ['$.resolved_at'], format: 'iso', transforms: [] },
    status_raw: { path: ['$.status', '$.approval_status'], transforms: [] },
    stage: { path: ['$.status', '$.approval_status'], dictionary: 'stage', transforms: ['lower'] },
    resolution: { path: ['$.resolution', '$.refund_destination', '$.return_method.resolution'], dictionary: 'resolution', transforms: ['lower'] },
    order_number: { path: ['$.order.order_number', '$.order.external_id'], transforms: [] },
    sku: { item_path: ['$.sku', '$.product.sku'], transforms: [] },
    quantity: { item_path: ['$.return_quantity', '$.quantity'], transforms: [] },
    return_reason: { item_path: ['$.reason', '$.return_reason'], dictionary: 'return_reason', transforms: [] },
    description: { item_path: ['$.notes', '$.subreason', '$.comment'], transforms: ['strip_html'] },
    customer_id: { path: ['$.order.customer.emails[0]', '$.customer.email'], transforms: [] },
    country: { path: ['$.order.shipping_address.country_iso3', '$.return_address.country_iso3', '$.order.country'], transforms: ['alpha3_to_alpha2'] },
    channel: { constant: 'direct', transforms: [] },
  },
  ...presetDictionaries('aftership-returns'),
}, 'aftership-returns');

export const format = mappingFormat({
  name: 'aftership-returns',
  description: 'AfterShip Returns (webhooks and API objects, JSON)',
  mapping: withOverrides(mapping),
  detect: { signature: ['rma_number', 'items', 'order', 'status', 'event'], required: ['rma_number'], extensions: ['json', 'ndjson'] },
  defaultSource: 'aftership',
});
