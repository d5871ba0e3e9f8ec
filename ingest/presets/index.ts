import type { FormatDefinition } from '../format.js';
import { format as aftershipReturns } from './aftership-returns/preset.js';
import { format as loopReturns } from './loop-returns/preset.js';
import { format as netsuiteRa } from './netsuite-ra/preset.js';
import { format as sapQm } from './sap-qm/preset.js';
import { format as shopifyReturns } from './shopify-returns/preset.js';

/** ERP and returns-portal presets (CONTRACT §4), loaded by ingest/registry.ts. Each is a mapping run as a custom reader. */
export const presets: FormatDefinition[] = [sapQm, netsuiteRa, shopifyReturns, loopReturns, aftershipReturns];
