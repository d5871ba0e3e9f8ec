/**
 * The parameters of the demo world: products, firmware timeline, failure processes and the planted
 * faults. world.ts turns these into records; ground-truth.ts restates the planted ones for tests.
 * Rates are "probability of failing within 730 days of delivery" so they read like warranty rates.
 */

export interface SkuSpec {
  sku: string;
  /** Prefix of batch ids and serial numbers. */
  prefix: string;
  name: string;
  listPrice: number;
  /** What a replacement unit costs us. */
  unitCost: number;
  batchUnits: readonly [number, number];
  supplier: string;
  factoryLines: readonly string[];
  reservePerUnit: number;
}

export interface BuildSpec {
  version: string;
  skus: readonly string[];
  releasedAt: string;
  channel: 'beta' | 'stable';
  status: string;
  /** Offered over the air to the installed base; false = flashed at the factory only. */
  ota: boolean;
  /** Beta builds: share of the SKU's installed base enrolled in this beta. */
  cohortShare?: number;
}

export interface ModeSpec {
  code: string;
  /** Probability of this failure within 730 days of delivery (before firmware multipliers). */
  p730: number;
  /** Weibull shape: < 1 infant mortality, 1 random, > 1 wear-out. */
  shape: number;
  /** Rate multiplier per SKU (missing = 1). */
  sku?: Readonly<Record<string, number>>;
}

export const asOf = '2026-06-30';

/** Batch ids are `<sku prefix>-<yymm>` of the production month, e.g. TS35-2503. */
export function batchIdOf(sku: string, month: string): string {
  const spec = skus.find((s) => s.sku === sku);
  if (!spec) throw new Error(`unknown demo SKU ${sku}`);
  return `${spec.prefix}-${month.slice(2, 4)}${month.slice(5, 7)}`;
}
export const firstProductionMonth = '2024-06';
export const productionMonths = 24;

export const skus: readonly SkuSpec[] = [
  { sku: 'TS-35', prefix: 'TS35', name: 'thermal riflescope 35 mm', listPrice: 2499, unitCost: 1150, batchUnits: [1900, 2600], supplier: 'Optronix Assembly Ltd', factoryLines: ['L1', 'L3'], reservePerUnit: 60 },
  { sku: 'TM-19', prefix: 'TM19', name: 'thermal monocular 19 mm', listPrice: 1299, unitCost: 620, batchUnits: [1900, 2600], supplier: 'Optronix Assembly Ltd', factoryLines: ['L2'], reservePerUnit: 35 },
];

export const builds: readonly BuildSpec[] = [
  { version: '2.1.0', skus: ['TS-35', 'TM-19'], releasedAt: '2024-01-15', channel: 'stable', status: 'released', ota: true },
  { version: '2.2.0', skus: ['TS-35', 'TM-19'], releasedAt: '2024-09-10', channel: 'stable', status: 'released', ota: true },
  { version: '2.2.5', skus: ['TS-35'], releasedAt: '2025-01-20', channel: 'stable', status: 'line-only', ota: false },
  { version: '2.3.0', skus: ['TS-35', 'TM-19'], releasedAt: '2025-04-01', channel: 'stable', status: 'withdrawn', ota: true },
  { version: '2.3.1', skus: ['TS-35', 'TM-19'], releasedAt: '2025-08-15', channel: 'stable', status: 'released', ota: true },
  { version: '2.4.0', skus: ['TS-35', 'TM-19'], releasedAt: '2026-01-12', channel: 'stable', status: 'released', ota: true },
  { version: '2.4.1', skus: ['TS-35'], releasedAt: '2026-02-02', channel: 'beta', status: 'candidate', ota: true, cohortShare: 0.5 },
  { version: '2.4.2', skus: ['TM-19'], releasedAt: '2026-02-02', channel: 'beta', status: 'candidate', ota: true, cohortShare: 0.4 },
  { version: '2.5.0-beta1', skus: ['TS-35'], releasedAt: '2026-06-18', channel: 'beta', status: 'candidate', ota: true, cohortShare: 0.004 },
];

/** Base failure processes, one per taxonomy code that occurs in the world. */
export const modes: readonly ModeSpec[] = [
  // hardware (return_modular / return_escalation): about 1 % in warranty all told
  { code: 'PWR-NO-POWER', p730: 0.0010, shape: 0.6 },
  { code: 'PWR-BATT-CELL', p730: 0.0009, shape: 2.0 },
  { code: 'PWR-CHARGE-PORT', p730: 0.0007, shape: 1.2 },
  { code: 'BOOT-BUTTON-FAIL', p730: 0.0004, shape: 1.0 },
  { code: 'BOOT-FW-UPDATE-FAIL', p730: 0.0003, shape: 1.0 },
  { code: 'ZERO-RETICLE-DRIFT', p730: 0.0005, shape: 1.0, sku: { 'TM-19': 0.3 } },
  { code: 'REC-STORAGE-FAIL', p730: 0.0004, shape: 1.0 },
  { code: 'REC-AUDIO', p730: 0.0003, shape: 1.0 },
  { code: 'WIFI-MODULE-FAIL', p730: 0.0004, shape: 0.8 },
  { code: 'IMG-DEAD-PIXELS', p730: 0.0005, shape: 0.7 },
  { code: 'IMG-DISPLAY-FAIL', p730: 0.0006, shape: 0.6 },
  { code: 'IMG-SENSOR-FAIL', p730: 0.0003, shape: 1.0 },
  { code: 'MECH-MOUNT-CRACK', p730: 0.0004, shape: 1.5, sku: { 'TM-19': 0.3 } },
  { code: 'MECH-FOCUS-STIFF', p730: 0.0003, shape: 1.3 },
  { code: 'MECH-RECOIL-LOOSE', p730: 0.0003, shape: 1.8, sku: { 'TM-19': 0 } },
  { code: 'SEAL-FOG-INTERNAL', p730: 0.0020, shape: 1.2 },
  { code: 'SEAL-WATER-INGRESS', p730: 0.0003, shape: 1.0 },
  { code: 'SEAL-EYECUP-GASKET', p730: 0.0004, shape: 1.5 },
  // workflow / firmware (no_return): resolved remotely most of the time, constant hazard
  { code: 'PWR-BATT-DRAIN', p730: 0.004, shape: 1 },
  { code: 'PWR-SHUTDOWN', p730: 0.002, shape: 1 },
  { code: 'BOOT-FREEZE', p730: 0.012, shape: 1 },
  { code: 'BOOT-UI-LAG', p730: 0.002, shape: 1 },
  { code: 'ZERO-LOST', p730: 0.003, shape: 1 },
  { code: 'ZERO-CONFIG', p730: 0.004, shape: 1 },
  { code: 'ZERO-PROFILE-RESET', p730: 0.0015, shape: 1 },
  { code: 'REC-SD-CORRUPT', p730: 0.003, shape: 1 },
  { code: 'REC-NO-RECORD', p730: 0.0015, shape: 1 },
  { code: 'WIFI-APP-CONNECT', p730: 0.006, shape: 1 },
  { code: 'WIFI-STREAM-DROP', p730: 0.002, shape: 1 },
  { code: 'WIFI-PASSWORD', p730: 0.001, shape: 1 },
  { code: 'IMG-NUC-FREEZE', p730: 0.002, shape: 1 },
  { code: 'IMG-BLURRY', p730: 0.0025, shape: 1 },
  { code: 'SEAL-BATTERY-DOOR', p730: 0.001, shape: 1 },
];

/** Firmware hazard multipliers while a unit runs a build: `${sku}@${version}` → code → multiplier. */
export const firmwareEffects: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'TS-35@2.3.0': { 'REC-SD-CORRUPT': 6 },
  'TM-19@2.3.0': { 'REC-SD-CORRUPT': 6 },
  // The hold candidate: fixes the boot freeze, breaks power management; all-cause barely moves.
  'TS-35@2.4.1': { 'PWR-BATT-DRAIN': 5, 'BOOT-FREEZE': 0.1 },
};

/** Not a failure: units that come back working, customer damage, and commercial returns. */
export const otherProcesses = {
  /** Returned as defective, nothing found. */
  ntfP730: 0.006,
  customerDamageP730: 0.002,
  /** Share of no_return-class failures that still get shipped in (then usually NTF after an update). */
  noReturnShippedShare: 0.2,
  /** Commercial returns within the first 30 days, by channel. */
  commercialByChannel: { direct: 0.03, marketplace: 0.04, dealer: 0.01, distributor: 0.008 } as Record<string, number>,
  repeatAfterRepair: 0.04,
};

export const planted = {
  badBatch: { sku: 'TS-35', month: '2025-03', code: 'SEAL-FOG-INTERNAL', p730: 0.08, shape: 1.2, units: 2800, supplierRecoveryShare: 0.7 },
  confounder: { version: '2.2.5', sku: 'TS-35', code: 'SEAL-FOG-INTERNAL', shareByMonth: { '2025-02': 0.3, '2025-03': 0.6, '2025-04': 0.3 } as Record<string, number> },
  regression: { version: '2.3.0', code: 'REC-SD-CORRUPT', multiplier: 6 },
  ntfDealer: { dealerId: 'D-017', ntfP730: 0.12, minUnits: 1400 },
  wearOut: { sku: 'TM-19', month: '2025-10', code: 'PWR-BATT-CELL', p730: 0.16, shape: 2.2, units: 2400, supplierRecoveryShare: 0.8 },
  gates: {
    hold: { candidate: '2.4.1', baseline: '2.4.0', sku: 'TS-35', regressedCode: 'PWR-BATT-DRAIN' },
    go: { candidate: '2.4.2', baseline: '2.4.0', sku: 'TM-19' },
    insufficient: { candidate: '2.5.0-beta1', baseline: '2.4.0', sku: 'TS-35' },
  },
  threshold: 0.02,
} as const;

export const policy = { warrantyMonths: 24, doaDays: 30, deductible: 45, maxReplacements: 1, restart: 'doa_only' as const };

/** Where units go. Cross-border countries ship returns to a service centre in another customs area. */
export const countries: readonly { code: string; weight: number; crossBorder: boolean }[] = [
  { code: 'US', weight: 40, crossBorder: false },
  { code: 'CA', weight: 8, crossBorder: true },
  { code: 'DE', weight: 10, crossBorder: false },
  { code: 'FR', weight: 5, crossBorder: false },
  { code: 'SE', weight: 5, crossBorder: false },
  { code: 'FI', weight: 4, crossBorder: false },
  { code: 'PL', weight: 4, crossBorder: false },
  { code: 'GB', weight: 8, crossBorder: true },
  { code: 'NO', weight: 5, crossBorder: true },
  { code: 'CH', weight: 3, crossBorder: true },
  { code: 'AU', weight: 4, crossBorder: true },
];

export const channelMix = { channels: ['dealer', 'distributor', 'direct', 'marketplace'] as const, weights: [55, 10, 25, 10] };

/** Sources the RMAs are recorded in: the ERP (canonical CSV exports) and the dealer portal (NDJSON). */
export const rmaSources = { erp: 'erp', portal: 'dealer-portal', portalShareOfDealerRmas: 0.25 };
