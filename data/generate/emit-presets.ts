/**
 * Part of the demo world's RMAs written the way other systems export them, so `npm start` exercises the
 * presets: SAP QM raw table extracts (QMEL + QMFE, tab-separated, YYYYMMDD/HHMMSS, zero-padded numbers),
 * a NetSuite Return Authorization line-level saved search (M/D/YYYY 12-hour dates, "Sales Order #…",
 * negative quantities and amounts), and Shopify `returns/request` webhook payloads (NDJSON).
 * Pair `presetRoutes` with `presetEmitters` in generateDemoWorld so each RMA is written once.
 * Only clean subjects are routed (no planted batch, dealer or firmware), so no planted verdict depends on them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { presetDictionaries } from '../../ingest/presets/preset-kit.js';
import type { EmitResult, Emitter } from './emitter.js';
import { csvLine } from './format.js';
import type { RmaRoute } from './routes.js';
import { batchIdOf, planted } from './scenario.js';
import { snapshotRma, type RmaRow } from './snapshot.js';
import type { Rma, World } from './world.js';

export const presetSources = { sap: 'sap-qm', netsuite: 'netsuite', shopify: 'shopify' } as const;

function clean(r: Rma): boolean {
  const plantedBatches = new Set([planted.badBatch, planted.wearOut].map((p) => batchIdOf(p.sku, p.month)));
  return r.source === 'erp' && !plantedBatches.has(r.batch_id) && r.dealer_id !== planted.ntfDealer.dealerId
    && r.firmware_version !== planted.regression.version && r.company === '' && r.quantity >= 1;
}

/** Which ERP RMAs each preset source takes over (applied in order by routeRmas). */
export const presetRoutes: readonly RmaRoute[] = [
  { source: presetSources.sap, share: 0.05, where: (r) => clean(r) && r.return_reason === 'defective', number: (n) => String(300000000 + n).padStart(12, '0') },
  { source: presetSources.netsuite, share: 0.05, where: (r) => clean(r) && r.return_reason !== 'defective', number: (n) => `RMA${String(n).padStart(5, '0')}` },
  { source: presetSources.shopify, share: 0.05, where: (r) => clean(r) && r.channel === 'direct', number: (n) => String(9007199254740000 + n) },
];

const pad2 = (n: number): string => String(n).padStart(2, '0');
const sapDate = (ms: number | null): string => (ms === null ? '00000000' : new Date(ms).toISOString().slice(0, 10).replaceAll('-', ''));
const sapTime = (ms: number | null): string => (ms === null ? '000000' : new Date(ms).toISOString().slice(11, 19).replaceAll(':', ''));
const tsv = (cells: readonly (string | number)[]): string => cells.map((c) => String(c).replace(/[\t\r\n]/g, ' ')).join('\t');

/** Taxonomy code → SAP catalog/group/code, the inverse of the sap-qm preset's code map. */
function sapCodes(): Map<string, { group: string; code: string }> {
  const out = new Map<string, { group: string; code: string }>();
  for (const [key, canonical] of Object.entries(presetDictionaries('sap-qm').failure_codes ?? {})) {
    const [catalog, group, code] = key.split('/');
    if (catalog === '9' && !out.has(canonical)) out.set(canonical, { group, code });
  }
  return out;
}

const sapStatus: Record<string, string> = { intake: 'OSNO', qualification: 'OSNO', triage: 'NOPR', decision: 'NOPT', execution: 'NOPR', closed: 'NOCO', cancelled: 'DLFL' };

export const sapQmEmitter: Emitter = {
  name: 'sap-qm-extract',
  write(world: World, outDir: string): EmitResult {
    const rmas = world.rmas.filter((r) => r.source === presetSources.sap);
    const codes = sapCodes();
    mkdirSync(join(outDir, 'sap'), { recursive: true });
    const qmel = [tsv(['MANDT', 'QMNUM', 'QMART', 'QMTXT', 'QMDAT', 'MZEIT', 'QMDAB', 'QMZAB', 'MATNR', 'SERIALNR', 'CHARG', 'KUNUM', 'RKMNG', 'QMKAT', 'QMGRP', 'QMCOD', 'STAT', 'LAND1'])];
    const qmfe = [tsv(['MANDT', 'QMNUM', 'FENUM', 'FEKAT', 'FEGRP', 'FECOD', 'FETXT'])];
    for (const r of rmas) {
      const row = snapshotRma(r, world.horizon);
      const stated = row.failure_code_stated ? codes.get(String(row.failure_code_stated)) : undefined;
      const closed = (row.closed_at as number | null) ?? null;
      qmel.push(tsv(['100', r.rma_number, 'Q1', String(row.description ?? '').slice(0, 40), sapDate(r.opened_at), sapTime(r.opened_at), sapDate(closed), sapTime(closed),
        r.sku, r.serial_number, r.batch_id, r.customer_id ?? '', '1.000', stated ? 'D' : '', stated?.group ?? '', stated?.code ?? '', sapStatus[String(row.stage)] ?? '', r.country]));
      const verified = row.failure_code_verified ? codes.get(String(row.failure_code_verified)) : undefined;
      if (verified) qmfe.push(tsv(['100', r.rma_number, '0001', '9', verified.group, verified.code, String(row.failure_code_verified)]));
    }
    writeFileSync(join(outDir, 'sap', 'qmel.txt'), `${qmel.join('\r\n')}\r\n`);
    // QMFE is read with its QMEL file (same folder), not ingested on its own.
    writeFileSync(join(outDir, 'sap', 'qmfe.txt'), `${qmfe.join('\r\n')}\r\n`);
    return { files: [{ path: 'sap/qmel.txt', format: 'sap-qm', source: presetSources.sap, rows: rmas.length }] };
  },
};

const nsStatus: Record<string, string> = {
  intake: 'Pending Approval', qualification: 'Return Authorization : Pending Receipt', triage: 'Partially Received', decision: 'Partially Received',
  execution: 'RtnAuth:F', closed: 'Closed', cancelled: 'Cancelled',
};
const nsReason: Record<string, string> = {
  defective: 'Defective', shipping_damage: 'Damaged in Transit', wrong_item: 'Wrong Item Shipped', ordered_wrong_quantity: 'Ordered Too Many',
  wrong_quantity_received: 'Short Shipment', duplicate_order: 'Duplicate Order', not_as_described: 'Not as Described', changed_mind: 'No Longer Needed', other: 'Other',
};

function usDateTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad2(d.getUTCMinutes())} ${h < 12 ? 'am' : 'pm'}`;
}

export const netsuiteEmitter: Emitter = {
  name: 'netsuite-ra-search',
  write(world: World, outDir: string): EmitResult {
    const rmas = world.rmas.filter((r) => r.source === presetSources.netsuite);
    const lines = [csvLine(['Document Number', 'Line ID', 'Date', 'Status', 'Created From', 'Item', 'Serial/Lot Numbers', 'Quantity', 'Amount', 'Currency', 'Return Reason', 'Memo'])];
    for (const r of rmas) {
      const row: RmaRow = snapshotRma(r, world.horizon);
      const amount = row.credit_amount === null || row.credit_amount === undefined ? '' : `-${Number(row.credit_amount).toFixed(2)}`;
      lines.push(csvLine([r.rma_number, String(r.line), usDateTime(r.opened_at), nsStatus[String(row.stage)] ?? 'Closed', `Sales Order #${r.order_number}`,
        `Thermal Optics : ${r.sku}`, r.serial_number, `-${r.quantity}`, amount, r.currency, nsReason[r.return_reason] ?? 'Other', String(row.description ?? '')]));
    }
    writeFileSync(join(outDir, 'netsuite-ra.csv'), `${lines.join('\n')}\n`);
    return { files: [{ path: 'netsuite-ra.csv', format: 'netsuite-ra', source: presetSources.netsuite, rows: rmas.length }] };
  },
};

const shopifyStatus: Record<string, string> = { intake: 'requested', qualification: 'open', triage: 'open', decision: 'open', execution: 'open', closed: 'closed', cancelled: 'declined' };
const shopifyReason: Record<string, string> = { defective: 'defective', wrong_item: 'wrong_item', not_as_described: 'not_as_described', changed_mind: 'unwanted' };

export const shopifyEmitter: Emitter = {
  name: 'shopify-returns-webhooks',
  write(world: World, outDir: string): EmitResult {
    const rmas = world.rmas.filter((r) => r.source === presetSources.shopify);
    // Ids are written as JSON numbers beyond 2^53, exactly as Shopify sends them (no JS number round trip).
    const lines = rmas.map((r) => {
      const row = snapshotRma(r, world.horizon);
      const payload = {
        id: '__ID__', admin_graphql_api_id: `gid://shopify/Return/${r.rma_number}`, status: shopifyStatus[String(row.stage)] ?? 'open', name: `#${r.order_number}-R1`,
        created_at: new Date(r.opened_at).toISOString(), order: { name: r.order_number },
        return_line_items: [{ fulfillment_line_item: { line_item: { sku: r.sku } }, quantity: r.quantity, return_reason: shopifyReason[r.return_reason] ?? 'other', customer_note: row.description ?? null }],
      };
      return JSON.stringify(payload).replace('"__ID__"', r.rma_number);
    });
    writeFileSync(join(outDir, 'shopify-returns.ndjson'), lines.length ? `${lines.join('\n')}\n` : '');
    return { files: [{ path: 'shopify-returns.ndjson', format: 'shopify-returns', source: presetSources.shopify, rows: rmas.length }] };
  },
};

export const presetEmitters: readonly Emitter[] = [sapQmEmitter, netsuiteEmitter, shopifyEmitter];
