import type { FormatDefinition } from '../format.js';
import { format as aftershipReturns } from './aftership-returns/preset.js';
import { format as dynamicsReturns } from './dynamics-returns/preset.js';
import { format as erpnextWarrantyClaim } from './erpnext-warranty-claim/preset.js';
import { format as loopReturns } from './loop-returns/preset.js';
import { format as mappedCsv } from './mapped-csv/preset.js';
import { format as netsuiteRa } from './netsuite-ra/preset.js';
import { format as odooRma } from './odoo-rma/preset.js';
import { format as sapQm } from './sap-qm/preset.js';
import { format as sapWty } from './sap-wty/preset.js';
import { format as shopifyReturns } from './shopify-returns/preset.js';
import { format as xlsx } from './xlsx/preset.js';

/** ERP and returns-portal presets (CONTRACT §4), loaded by ingest/registry.ts. Each is a mapping run as a custom reader. */
export const presets: FormatDefinition[] = [
  sapQm, sapWty, netsuiteRa, odooRma, erpnextWarrantyClaim, dynamicsReturns, shopifyReturns, loopReturns, aftershipReturns, mappedCsv, xlsx,
];
