import { mappingFormat, presetMapping } from '../mapping-format.js';
import { presetDictionaries, withOverrides } from '../preset-kit.js';

/**
 * Shopify returns: `returns/*` webhook payloads (snake_case, numeric ids, lower-case status) and Admin
 * GraphQL `Return` objects (camelCase, gid:// ids, upper-case status, returnLineItems as nodes or edges).
 * One canonical row per return line item. Ids are read as JSON text, so ids beyond 2^53 stay exact.
 */
export const mapping = presetMapping({
  name: 'shopify-returns',
  reader: {
    kind: 'json',
    records: ['$.data.return', '$.data.returns.nodes', '$.returns', '$.return', '$'],
    items: ['$.return_line_items', '$.returnLineItems.nodes', '$.returnLineItems.edges[*].node'],
  },
  missing_columns: 'null',
  columns: {
    rma_number: { path: ['$.admin_graphql_api_id', '$.id'], transforms: ['gid_tail'] },
    opened_at: { path: ['$.created_at', '$.createdAt', '$.requested_at', '$.requestedAt'], format: 'iso', transforms: [] },
    closed_at: { path: ['$.closed_at', '$.closedAt'], format: 'iso', transforms: [] },
    status_raw: { path: '$.status', transforms: [] },
    stage: { path: '$.status', dictionary: 'stage', transforms: ['lower'] },
    order_number: { path: ['$.order.name', '$.order.id'], transforms: ['gid_tail'] },
    sku: { item_path: ['$.fulfillment_line_item.line_item.sku', '$.fulfillmentLineItem.lineItem.sku', '$.sku'], transforms: [] },
    quantity: { item_path: '$.quantity', transforms: [] },
    return_reason: { item_path: ['$.return_reason', '$.returnReason'], dictionary: 'return_reason', transforms: ['lower'] },
    description: { item_path: ['$.customer_note', '$.customerNote', '$.return_reason_note', '$.returnReasonNote'], transforms: ['strip_html'] },
    customer_id: { path: ['$.order.customer.id', '$.customer.id'], transforms: ['gid_tail'] },
    channel: { constant: 'direct', transforms: [] },
  },
  ...presetDictionaries('shopify-returns'),
}, 'shopify-returns');

export const format = mappingFormat({
  name: 'shopify-returns',
  description: 'Shopify returns (returns/* webhook payloads and Admin GraphQL Return objects, JSON)',
  mapping: withOverrides(mapping),
  detect: { signature: ['return_line_items', 'admin_graphql_api_id', 'status', 'order'], required: ['return_line_items'], extensions: ['json', 'ndjson'] },
  defaultSource: 'shopify',
});
