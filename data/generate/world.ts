/**
 * The simulated world, in memory: batches, a per-serial unit registry, firmware rolling out over the
 * air, failure processes with Weibull ages, reporting lags, RMA lifecycles and costs. Writers
 * (write-*.ts) turn it into files; nothing here touches the file system except reading the taxonomy.
 *
 * Per-unit simulation is inherently a loop over units; it is the generator, not a bulk ingest path.
 */
import { Rng } from './prng.js';
import {
  asOf, batchIdOf, builds as buildSpecs, channelMix, countries, firmwareEffects, firstProductionMonth, modes, otherProcesses,
  planted, policy, productionMonths, rmaSources, skus as skuSpecs, type BuildSpec, type SkuSpec,
} from './scenario.js';
import { loadTaxonomy, type FailureCode } from './taxonomy.js';

export const DAY = 86_400_000;

export interface Dealer {
  dealer_id: string;
  country: string;
  weight: number;
  kind: 'dealer' | 'distributor';
}

export interface Batch {
  batch_id: string;
  sku: string;
  units_shipped: number;
  produced_at: number;
  shipped_from: number;
  shipped_to: number;
  supplier: string;
  factory_line: string;
  month: string;
}

export interface Unit {
  serial_number: string;
  sku: string;
  batch_id: string;
  shipped_at: number;
  customer_id: string | null;
  dealer_id: string | null;
  country: string;
  firmware_version: string;
  unit_price: number;
  currency: string;
  channel: string;
  /** Sales / web order the unit was bought on. */
  order_number: string;
  /** Firmware history: versions[i] runs from starts[i] until starts[i+1] (or removal). */
  fwVersions: string[];
  fwStarts: number[];
  /** When the unit left the field (replaced, refunded); Infinity while in service. */
  removedAt: number;
}

export type RmaKind = 'defect' | 'repeat' | 'no_trouble_found' | 'customer_damage' | 'commercial';

/** One RMA line with its whole lifecycle; snapshotRma() shows it as a source would at a date. */
export interface Rma {
  kind: RmaKind;
  /** True failure mode (defects and repeats); null otherwise. */
  trueCode: string | null;
  source: string;
  company: string;
  rma_number: string;
  line: number;
  opened_at: number;
  approved_at: number | null;
  received_at: number | null;
  inspected_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  cancelled: boolean;
  /** Resolved without the unit travelling (remote fix, education, firmware update over the air). */
  remote: boolean;
  serial_number: string;
  sku: string;
  batch_id: string;
  firmware_version: string;
  quantity: number;
  return_reason: string;
  failure_code_stated: string | null;
  failure_code_verified: string | null;
  failure_code_raw: string | null;
  description: string;
  order_number: string;
  customer_id: string | null;
  dealer_id: string | null;
  channel: string;
  country: string;
  inspection_outcome: string | null;
  resolution: string | null;
  warranty_status: string;
  replacement_serial: string | null;
  cost_labor: number | null;
  cost_parts: number | null;
  cost_shipping: number | null;
  cost_replacement: number | null;
  cost_duties: number | null;
  credit_amount: number | null;
  deductible_collected: number | null;
  supplier_recovery: number | null;
  currency: string;
  cross_border: boolean;
}

export interface FirmwareBuildRow {
  firmware_version: string;
  sku: string;
  released_at: number;
  channel: string;
  status: string;
}

export interface InstallRow {
  firmware_version: string;
  sku: string;
  as_of: number;
  active_units: number;
}

export interface World {
  seed: number;
  asOf: string;
  /** Start of the analysis date: every event in the world happened before it. */
  horizon: number;
  skus: readonly SkuSpec[];
  dealers: Dealer[];
  batches: Batch[];
  units: Unit[];
  builds: FirmwareBuildRow[];
  installs: InstallRow[];
  rmas: Rma[];
  policies: Record<string, string | number>[];
  reservePlan: Record<string, string | number>[];
  costRates: Record<string, string | number>[];
  taxonomy: Map<string, FailureCode>;
}

export const dateMs = (iso: string): number => Date.parse(iso.length === 7 ? `${iso}-01T00:00:00Z` : iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const monthAdd = (month: string, n: number): string => {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
};
const round2 = (x: number): number => Math.round(x * 100) / 100;
/** Whole seconds: files show second precision, so the world does too. */
const sec = (ms: number): number => Math.floor(ms / 1000) * 1000;

const commercialReasons = ['wrong_item', 'shipping_damage', 'wrong_quantity_received', 'ordered_wrong_quantity', 'duplicate_order', 'changed_mind', 'not_as_described'];
const commercialWeights = [20, 25, 5, 10, 5, 25, 10];
/** What customers claim when the unit turns out to be fine. */
const ntfClaims = ['ZERO-LOST', 'IMG-BLURRY', 'WIFI-APP-CONNECT', 'PWR-NO-POWER', 'SEAL-FOG-INTERNAL', 'BOOT-FREEZE', 'ZERO-RETICLE-DRIFT', 'PWR-BATT-DRAIN'];
const damageClaims = ['MECH-HOUSING-DAMAGE', 'SEAL-WATER-INGRESS', 'IMG-SENSOR-FAIL', 'MECH-MOUNT-CRACK'];
const partsCost: Record<string, readonly [number, number]> = {
  power_battery: [30, 60], boot_ui: [20, 50], zeroing_profiles: [40, 90], recording_storage: [30, 70],
  wifi_app: [25, 45], image_nuc: [110, 180], mechanical_mount: [20, 70], sealing_fogging: [40, 80],
};

function makeDealers(rng: Rng): Dealer[] {
  const dealers: Dealer[] = [];
  const home = countries.map((c) => c.code);
  const weights = countries.map((c) => c.weight);
  for (let i = 1; i <= 40; i++) {
    const id = `D-${String(i).padStart(3, '0')}`;
    const weight = id === planted.ntfDealer.dealerId ? 0.25 : 1 / Math.pow(i, 0.8);
    dealers.push({ dealer_id: id, country: id === planted.ntfDealer.dealerId ? 'US' : rng.weighted(home, weights), weight, kind: 'dealer' });
  }
  for (let i = 1; i <= 4; i++) dealers.push({ dealer_id: `DIST-${String(i).padStart(2, '0')}`, country: ['CA', 'GB', 'AU', 'NO'][i - 1], weight: 1, kind: 'distributor' });
  return dealers;
}

interface Build extends BuildSpec {
  released: number;
}

/** Simulate the demo world for a seed. Deterministic: same seed → same world. */
export function simulateWorld(seed: number): World {
  const horizon = dateMs(asOf);
  const taxonomy = new Map(loadTaxonomy().map((c) => [c.code, c]));
  const rngUnits = new Rng(seed, 1);
  const rngFw = new Rng(seed, 2);
  const rngFail = new Rng(seed, 3);
  const rngRma = new Rng(seed, 4);

  const dealers = makeDealers(rngUnits);
  const retail = dealers.filter((d) => d.kind === 'dealer');
  const retailWeights = retail.map((d) => d.weight);
  const distributors = dealers.filter((d) => d.kind === 'distributor');
  const allBuilds: Build[] = buildSpecs.map((b) => ({ ...b, released: dateMs(b.releasedAt) }));
  const countryCodes = countries.map((c) => c.code);
  const countryWeights = countries.map((c) => c.weight);
  const crossBorder = new Set(countries.filter((c) => c.crossBorder).map((c) => c.code));

  const batches: Batch[] = [];
  const units: Unit[] = [];
  let customerSeq = 0;

  for (const spec of skuSpecs) {
    const skuBuilds = allBuilds.filter((b) => b.skus.includes(spec.sku));
    const otaStable = skuBuilds.filter((b) => b.ota && b.channel === 'stable');
    const betas = skuBuilds.filter((b) => b.channel === 'beta');
    for (let m = 0; m < productionMonths; m++) {
      const month = monthAdd(firstProductionMonth, m);
      const batchId = batchIdOf(spec.sku, month);
      const isBad = spec.sku === planted.badBatch.sku && month === planted.badBatch.month;
      const isWear = spec.sku === planted.wearOut.sku && month === planted.wearOut.month;
      const size = isBad ? planted.badBatch.units : isWear ? planted.wearOut.units : rngUnits.int(spec.batchUnits[0], spec.batchUnits[1]);
      const producedAt = dateMs(month) + rngUnits.int(0, 4) * DAY;
      const pinShare = spec.sku === planted.confounder.sku ? planted.confounder.shareByMonth[month] ?? 0 : 0;
      const line = isBad ? 'L3' : spec.factoryLines[m % spec.factoryLines.length];
      let first = Infinity;
      let last = -Infinity;
      for (let i = 1; i <= size; i++) {
        const shippedAt = sec(producedAt + rngUnits.uniform(7, 45) * DAY);
        first = Math.min(first, shippedAt);
        last = Math.max(last, shippedAt);
        const channel = rngUnits.weighted(channelMix.channels, channelMix.weights);
        let dealer: Dealer | null = null;
        if (channel === 'dealer') dealer = rngUnits.weighted(retail, retailWeights);
        else if (channel === 'distributor') dealer = rngUnits.pick(distributors);
        const country = dealer ? dealer.country : rngUnits.weighted(countryCodes, countryWeights);
        const registered = channel === 'direct' || channel === 'marketplace' || rngUnits.chance(0.6);
        const priceFactor = channel === 'dealer' ? 0.78 : channel === 'distributor' ? 0.68 : channel === 'marketplace' ? 0.96 : 1;
        const pinned = pinShare > 0 && rngUnits.chance(pinShare);
        const factoryBuild = pinned ? planted.confounder.version : latest(otaStable, shippedAt)?.version ?? otaStable[0].version;
        const unit: Unit = {
          serial_number: `${batchId}-${String(i).padStart(5, '0')}`,
          sku: spec.sku,
          batch_id: batchId,
          shipped_at: shippedAt,
          customer_id: registered ? `C-${String(++customerSeq).padStart(6, '0')}` : null,
          dealer_id: dealer?.dealer_id ?? null,
          country,
          firmware_version: factoryBuild,
          unit_price: round2(spec.listPrice * priceFactor),
          currency: 'USD',
          channel,
          order_number: `SO-${String(units.length + 1).padStart(7, '0')}`,
          fwVersions: [factoryBuild],
          fwStarts: [shippedAt],
          removedAt: Infinity,
        };
        if (!pinned) rollOutFirmware(unit, otaStable, betas, horizon, rngFw);
        units.push(unit);
      }
      batches.push({
        batch_id: batchId, sku: spec.sku, units_shipped: size, produced_at: producedAt, shipped_from: first, shipped_to: last,
        supplier: spec.supplier, factory_line: line, month,
      });
    }
  }

  const rmas = simulateReturns(units, batches, taxonomy, horizon, rngFail, rngRma, crossBorder);
  numberRmas(rmas, seed);
  const builds: FirmwareBuildRow[] = [];
  for (const b of allBuilds) for (const sku of b.skus) builds.push({ firmware_version: b.version, sku, released_at: b.released, channel: b.channel, status: b.status });

  return {
    seed, asOf, horizon, skus: skuSpecs, dealers, batches, units, builds,
    installs: weeklyInstalls(units, builds, horizon),
    rmas,
    policies: skuSpecs.map((s) => ({
      sku: s.sku, effective_from: '2024-01-01', warranty_months: policy.warrantyMonths, doa_days: policy.doaDays,
      deductible: policy.deductible, max_replacements: policy.maxReplacements, restart_on_replacement: policy.restart, currency: 'USD',
    })),
    reservePlan: skuSpecs.flatMap((s) => [
      { sku: s.sku, effective_from: '2024-01-01', reserve_per_unit: s.reservePerUnit, currency: 'USD' },
      { sku: s.sku, effective_from: '2025-07-01', reserve_per_unit: s.reservePerUnit + 10, currency: 'USD' },
    ]),
    costRates: costRates(),
    taxonomy,
  };
}

function latest(list: readonly Build[], at: number): Build | undefined {
  let best: Build | undefined;
  for (const b of list) if (b.released <= at && (!best || b.released > best.released)) best = b;
  return best;
}

/**
 * Owners check for updates now and then; 85 % take the newest build offered to them (beta builds
 * only to the units enrolled in that beta). Builds flashed at the factory only are never offered.
 */
function rollOutFirmware(unit: Unit, otaStable: readonly Build[], betas: readonly Build[], horizon: number, rng: Rng): void {
  const updater = rng.chance(0.85);
  const enrolled = betas.filter((b) => rng.chance(b.cohortShare ?? 0));
  if (!updater) return;
  const offered = [...otaStable, ...enrolled];
  let current = offered.find((b) => b.version === unit.firmware_version);
  let t = unit.shipped_at;
  for (;;) {
    t += rng.exponential(45) * DAY;
    if (t >= horizon) return;
    const newest = latest(offered, t);
    if (newest && newest !== current && (!current || newest.released > current.released)) {
      current = newest;
      unit.fwVersions.push(newest.version);
      unit.fwStarts.push(sec(t));
    }
  }
}

function firmwareAt(unit: Unit, at: number): string {
  let v = unit.fwVersions[0];
  for (let i = 1; i < unit.fwStarts.length && unit.fwStarts[i] <= at; i++) v = unit.fwVersions[i];
  return v;
}

interface Hazard {
  code: string;
  h730: number;
  shape: number;
  /** Multipliers by firmware version for this SKU, when the mode depends on firmware. */
  firmware?: Record<string, number>;
}

/** Per-SKU, per-batch hazards: the base processes with the planted batch overrides. */
function hazardsFor(sku: string, batchMonth: string): Hazard[] {
  return modes.flatMap((m) => {
    let p = m.p730 * (m.sku?.[sku] ?? 1);
    let shape = m.shape;
    if (sku === planted.badBatch.sku && batchMonth === planted.badBatch.month && m.code === planted.badBatch.code) ({ p730: p, shape } = planted.badBatch);
    if (sku === planted.wearOut.sku && batchMonth === planted.wearOut.month && m.code === planted.wearOut.code) ({ p730: p, shape } = planted.wearOut);
    if (p <= 0) return [];
    const firmware: Record<string, number> = {};
    for (const [key, effects] of Object.entries(firmwareEffects)) {
      const [effSku, version] = key.split('@');
      if (effSku === sku && effects[m.code] !== undefined) firmware[version] = effects[m.code];
    }
    return [{ code: m.code, h730: -Math.log(1 - p), shape, firmware: Object.keys(firmware).length ? firmware : undefined }];
  });
}

/** Age (days) of the first failure of one mode, or Infinity if none before `maxAge`. */
function failureAge(h: Hazard, unit: Unit, maxAge: number, rng: Rng): number {
  // Cumulative hazard H(t) = h730 · (t/730)^shape; invert it at an Exp(1) draw.
  let e = -Math.log(rng.positive());
  if (!h.firmware) return e <= h.h730 * Math.pow(maxAge / 730, h.shape) ? 730 * Math.pow(e / h.h730, 1 / h.shape) : Infinity;
  // Piecewise: the firmware multiplies the hazard while it runs.
  for (let i = 0; i < unit.fwVersions.length; i++) {
    const a = (unit.fwStarts[i] - unit.shipped_at) / DAY;
    const b = Math.min(maxAge, i + 1 < unit.fwStarts.length ? (unit.fwStarts[i + 1] - unit.shipped_at) / DAY : maxAge);
    if (b <= a) continue;
    const mult = h.firmware[unit.fwVersions[i]] ?? 1;
    const ha = h.h730 * Math.pow(a / 730, h.shape);
    const dH = mult * (h.h730 * Math.pow(b / 730, h.shape) - ha);
    if (e <= dH) return 730 * Math.pow((ha + e / mult) / h.h730, 1 / h.shape);
    e -= dH;
  }
  return Infinity;
}

interface Event {
  age: number;
  kind: RmaKind;
  code: string | null;
}

function simulateReturns(
  units: Unit[], batches: Batch[], taxonomy: Map<string, FailureCode>, horizon: number, rngFail: Rng, rng: Rng, crossBorder: Set<string>,
): Rma[] {
  const monthOf = new Map(batches.map((b) => [b.batch_id, b.month]));
  const hazardCache = new Map<string, Hazard[]>();
  const skuSpec = new Map(skuSpecs.map((s) => [s.sku, s]));
  const rmas: Rma[] = [];
  let replacementSeq = 0;
  const constantAge = (p730: number, maxAge: number): number => {
    const age = (-Math.log(rngFail.positive()) / -Math.log(1 - p730)) * 730;
    return age <= maxAge ? age : Infinity;
  };

  for (const unit of units) {
    const key = `${unit.sku}|${monthOf.get(unit.batch_id)}`;
    let hazards = hazardCache.get(key);
    if (!hazards) hazardCache.set(key, (hazards = hazardsFor(unit.sku, monthOf.get(unit.batch_id)!)));
    const maxAge = (horizon - unit.shipped_at) / DAY;
    const events: Event[] = [];
    for (const h of hazards) {
      const age = failureAge(h, unit, maxAge, rngFail);
      if (age < maxAge) events.push({ age, kind: 'defect', code: h.code });
    }
    const ntfP = unit.dealer_id === planted.ntfDealer.dealerId ? planted.ntfDealer.ntfP730 : otherProcesses.ntfP730;
    const ntfAge = constantAge(ntfP, maxAge);
    if (ntfAge < maxAge) events.push({ age: ntfAge, kind: 'no_trouble_found', code: null });
    const damageAge = constantAge(otherProcesses.customerDamageP730, maxAge);
    if (damageAge < maxAge) events.push({ age: damageAge, kind: 'customer_damage', code: null });
    if (rngFail.chance(otherProcesses.commercialByChannel[unit.channel] ?? 0)) {
      const age = rngFail.uniform(1, 28);
      if (age < maxAge) events.push({ age, kind: 'commercial', code: null });
    }
    if (!events.length) continue;
    events.sort((a, b) => a.age - b.age);

    for (let i = 0; i < events.length; i++) {
      const ev = events[i];
      const failedAt = unit.shipped_at + ev.age * DAY;
      if (failedAt >= unit.removedAt) break;
      const lagDays = ev.kind === 'commercial' ? rng.logNormal(2, 0.5) : ev.age < 30 ? rng.logNormal(2, 0.6) : rng.logNormal(5, 0.9);
      const opened = sec(failedAt + lagDays * DAY);
      if (opened >= horizon) continue;
      const rma = makeRma(unit, ev, opened, failedAt, taxonomy, skuSpec.get(unit.sku)!, rng, crossBorder, () => ++replacementSeq);
      rmas.push(rma);
      const removes = rma.resolution === 'replace' || rma.resolution === 'advance_replacement' || rma.resolution === 'refund';
      if (removes && rma.resolved_at !== null && rma.resolved_at < horizon) unit.removedAt = rma.resolved_at;
      // A repaired unit sometimes comes back with the same fault.
      if (ev.kind === 'defect' && rma.resolution === 'repair' && rma.closed_at !== null && rng.chance(otherProcesses.repeatAfterRepair)) {
        const age = (rma.closed_at - unit.shipped_at) / DAY + rng.exponential(90);
        if (age < maxAge) {
          const repeat: Event = { age, kind: 'repeat', code: ev.code };
          let j = i + 1;
          while (j < events.length && events[j].age <= age) j++;
          events.splice(j, 0, repeat);
        }
      }
    }
  }
  // Units that left the field stop counting in the installed base.
  for (const u of units) if (u.removedAt !== Infinity) {
    while (u.fwStarts.length > 1 && u.fwStarts[u.fwStarts.length - 1] >= u.removedAt) {
      u.fwStarts.pop();
      u.fwVersions.pop();
    }
  }
  rmas.sort((a, b) => a.opened_at - b.opened_at || (a.serial_number < b.serial_number ? -1 : a.serial_number > b.serial_number ? 1 : 0));
  return rmas;
}

function pickStated(code: string, taxonomy: Map<string, FailureCode>, rng: Rng): string | null {
  const r = rng.next();
  if (r < 0.7) return code;
  if (r < 0.85) {
    const category = taxonomy.get(code)?.category;
    const siblings = [...taxonomy.values()].filter((c) => c.category === category && c.code !== code);
    return siblings.length ? rng.pick(siblings).code : code;
  }
  return null;
}

function describe(code: string | null, taxonomy: Map<string, FailureCode>, rng: Rng, reason: string): string {
  if (!code) {
    const texts: Record<string, string> = {
      wrong_item: 'Received the wrong model', shipping_damage: 'Box crushed in transit, unit scratched',
      wrong_quantity_received: 'Ordered 2 received 1', ordered_wrong_quantity: 'Ordered too many, returning one',
      duplicate_order: 'Duplicate order placed by mistake', changed_mind: 'Customer changed mind, unused',
      not_as_described: 'Detection range not as advertised',
    };
    return texts[reason] ?? 'Returned';
  }
  const synonym = rng.pick(taxonomy.get(code)?.synonyms ?? [code]);
  const cap = synonym.charAt(0).toUpperCase() + synonym.slice(1);
  switch (rng.int(0, 4)) {
    case 0: return cap;
    case 1: return `Customer says: ${synonym}.`;
    case 2: return `${cap} after ${rng.int(1, 30)} weeks of use`;
    case 3: return `${cap}, tried a reset, still the same`;
    default: return `Dealer note: "${synonym}" - please check`;
  }
}

function makeRma(
  unit: Unit, ev: Event, opened: number, failedAt: number, taxonomy: Map<string, FailureCode>, spec: SkuSpec, rng: Rng,
  crossBorderCountries: Set<string>, nextReplacement: () => number,
): Rma {
  const ageAtOpen = (opened - unit.shipped_at) / DAY;
  const quality = ev.kind !== 'commercial';
  const warranty = quality && ageAtOpen <= policy.doaDays ? 'doa' : ageAtOpen <= 730 ? 'in_warranty' : 'out_of_warranty';
  const returnReason = ev.kind === 'commercial' ? rng.weighted(commercialReasons, commercialWeights) : 'defective';
  const tax = ev.code ? taxonomy.get(ev.code) : undefined;
  const category = tax?.category ?? 'mechanical_mount';

  let stated: string | null = null;
  let verified: string | null = null;
  let outcome: string | null = null;
  let resolution: string | null = null;
  let remote = false;
  let descCode: string | null = null;

  if (ev.kind === 'defect' || ev.kind === 'repeat') {
    const code = ev.code!;
    stated = pickStated(code, taxonomy, rng);
    descCode = code;
    if (tax!.disposition_class === 'no_return') {
      if (rng.chance(1 - otherProcesses.noReturnShippedShare)) {
        remote = true;
        verified = code;
        outcome = 'not_inspected';
        resolution = tax!.default_resolution;
      } else {
        outcome = 'no_trouble_found';
        resolution = tax!.default_resolution === 'firmware_update' ? 'firmware_update' : 'return_to_customer';
      }
    } else {
      verified = code;
      const replace = warranty === 'doa' || tax!.disposition_class === 'return_escalation';
      outcome = replace ? 'trouble_found_replace' : 'trouble_found_repair';
      resolution = warranty === 'doa' ? (rng.chance(0.5) ? 'advance_replacement' : 'replace') : replace ? 'replace' : 'repair';
    }
  } else if (ev.kind === 'no_trouble_found') {
    stated = rng.pick(ntfClaims);
    descCode = stated;
    outcome = 'no_trouble_found';
    resolution = rng.chance(0.7) ? 'return_to_customer' : 'education';
  } else if (ev.kind === 'customer_damage') {
    stated = rng.pick(damageClaims);
    descCode = stated;
    outcome = 'customer_damage';
    resolution = rng.chance(0.6) ? 'rejected' : 'repair';
  } else {
    outcome = 'not_inspected';
    resolution = ({ wrong_item: 'replace', shipping_damage: 'replace', wrong_quantity_received: 'credit' } as Record<string, string>)[returnReason] ?? 'refund';
  }

  // Lifecycle. Remote cases never travel; shipped-in cases go approve → receive → inspect → resolve → close.
  const xb = crossBorderCountries.has(unit.country);
  const approved = sec(opened + rng.logNormal(remote ? 0.3 : 0.9, 0.8) * DAY);
  let received: number | null = null;
  let inspected: number | null = null;
  let resolved: number | null;
  let closed: number | null;
  const cancelled = !remote && rng.chance(0.03);
  if (remote) {
    resolved = sec(approved + rng.logNormal(1.5, 0.8) * DAY);
    closed = sec(resolved + rng.uniform(0, 3) * DAY);
  } else if (cancelled) {
    resolved = null;
    closed = sec(approved + 30 * DAY);
    outcome = null;
    resolution = null;
    verified = null;
  } else {
    received = sec(approved + (xb ? rng.uniform(7, 21) : rng.uniform(3, 10)) * DAY);
    if (ev.kind !== 'commercial') inspected = sec(received + rng.logNormal(1.2, 0.6) * DAY);
    const after = inspected ?? received;
    const work = resolution === 'repair' ? rng.logNormal(12, 0.6) : resolution === 'replace' || resolution === 'advance_replacement' ? rng.uniform(1, 5) : rng.uniform(1, 3);
    resolved = sec(after + work * DAY);
    closed = sec(resolved + rng.uniform(0, 4) * DAY);
  }

  // Costs (USD), known once the RMA is resolved.
  const travels = !remote && !cancelled;
  const shipping = travels ? round2((xb ? rng.uniform(55, 110) : rng.uniform(18, 35)) * (resolution === 'refund' || resolution === 'rejected' ? 1 : 2)) : 0;
  const replacing = resolution === 'replace' || resolution === 'advance_replacement';
  const labor = cancelled ? 0 : remote ? round2(rng.uniform(10, 25)) : resolution === 'repair' ? round2(rng.uniform(60, 140)) : outcome === 'no_trouble_found' ? round2(rng.uniform(30, 45)) : round2(rng.uniform(15, 30));
  const parts = resolution === 'repair' ? round2(rng.uniform(...(partsCost[category] ?? [30, 60]))) : 0;
  const replacementCost = replacing ? spec.unitCost : 0;
  const duties = travels && xb ? round2(unit.unit_price * (replacing ? 0.1 : rng.uniform(0.04, 0.08))) : 0;
  const credit = resolution === 'refund' ? round2(unit.unit_price * 0.9) : resolution === 'credit' ? round2(rng.uniform(50, 150)) : 0;
  const deductible = warranty === 'in_warranty' && travels && (ev.kind === 'defect' || ev.kind === 'repeat') && (resolution === 'repair' || replacing) && rng.chance(0.9) ? policy.deductible : 0;
  let recovery = 0;
  const isBadBatchFog = unit.batch_id === batchIdOf(planted.badBatch.sku, planted.badBatch.month) && verified === planted.badBatch.code;
  const isWearCell = unit.batch_id === batchIdOf(planted.wearOut.sku, planted.wearOut.month) && verified === planted.wearOut.code;
  if (isBadBatchFog) recovery = round2((labor + parts) * planted.badBatch.supplierRecoveryShare);
  if (isWearCell) recovery = round2((labor + parts) * planted.wearOut.supplierRecoveryShare);

  return {
    kind: ev.kind,
    trueCode: ev.code,
    source: rmaSources.erp,
    company: '',
    rma_number: '',
    line: 1,
    opened_at: opened,
    approved_at: approved,
    received_at: received,
    inspected_at: inspected,
    resolved_at: resolved,
    closed_at: closed,
    cancelled,
    remote,
    serial_number: unit.serial_number,
    sku: unit.sku,
    batch_id: unit.batch_id,
    firmware_version: firmwareAt(unit, failedAt),
    quantity: 1,
    return_reason: returnReason,
    failure_code_stated: stated,
    failure_code_verified: verified,
    failure_code_raw: stated,
    description: describe(descCode, taxonomy, rng, returnReason),
    order_number: unit.order_number,
    customer_id: unit.customer_id,
    dealer_id: unit.dealer_id,
    channel: unit.channel,
    country: unit.country,
    inspection_outcome: outcome,
    resolution,
    warranty_status: warranty,
    replacement_serial: replacing ? `${spec.prefix}-R${String(nextReplacement()).padStart(6, '0')}` : null,
    cost_labor: labor,
    cost_parts: parts,
    cost_shipping: shipping,
    cost_replacement: replacementCost,
    cost_duties: duties,
    credit_amount: credit,
    deductible_collected: deductible,
    supplier_recovery: recovery,
    currency: 'USD',
    cross_border: travels && xb,
  };
}

/** Route RMAs to their source system and number them as that system would. */
function numberRmas(rmas: Rma[], seed: number): void {
  const rng = new Rng(seed, 9);
  let erp = 1000;
  let portal = 0;
  for (const r of rmas) {
    if (r.channel === 'dealer' && rng.chance(rmaSources.portalShareOfDealerRmas)) {
      r.source = rmaSources.portal;
      r.rma_number = `DP-${String(++portal).padStart(6, '0')}`;
    } else {
      r.rma_number = String(++erp).padStart(7, '0');
    }
  }
}

/** Weekly installed-base snapshots (the analysis date and every 7 days before it). */
function weeklyInstalls(units: Unit[], builds: FirmwareBuildRow[], horizon: number): InstallRow[] {
  const firstShip = Math.min(...units.map((u) => u.shipped_at));
  const weeks = Math.floor((horizon - firstShip) / (7 * DAY)) + 1;
  // snapshot k (0 = oldest) is at horizon - (weeks - 1 - k) weeks
  const dateOf = (k: number): number => horizon - (weeks - 1 - k) * 7 * DAY;
  const indexAtOrAfter = (t: number): number => Math.max(0, Math.min(weeks, Math.ceil((t - dateOf(0)) / (7 * DAY))));
  const diffs = new Map<string, Int32Array>();
  for (const u of units) {
    for (let i = 0; i < u.fwVersions.length; i++) {
      const from = u.fwStarts[i];
      const to = i + 1 < u.fwStarts.length ? u.fwStarts[i + 1] : Math.min(u.removedAt, horizon + 1);
      const key = `${u.sku}@${u.fwVersions[i]}`;
      let d = diffs.get(key);
      if (!d) diffs.set(key, (d = new Int32Array(weeks + 1)));
      d[indexAtOrAfter(from)]++;
      d[indexAtOrAfter(to)]--;
    }
  }
  const rows: InstallRow[] = [];
  for (const b of builds) {
    const d = diffs.get(`${b.sku}@${b.firmware_version}`) ?? new Int32Array(weeks + 1);
    let active = 0;
    for (let k = 0; k < weeks; k++) {
      active += d[k];
      const at = dateOf(k);
      if (at >= b.released_at) rows.push({ firmware_version: b.firmware_version, sku: b.sku, as_of: at, active_units: active });
    }
  }
  return rows;
}

function costRates(): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  const perSku: Record<string, Record<string, number>> = {
    'TS-35': { repair: 260, replace: 1150, advance_replacement: 1190, refund: 2100 },
    'TM-19': { repair: 210, replace: 620, advance_replacement: 660, refund: 1090 },
  };
  for (const [sku, costs] of Object.entries(perSku)) for (const [resolution, cost] of Object.entries(costs)) rows.push({ resolution, sku, standard_cost: cost, currency: 'USD' });
  const common: Record<string, number> = { remote_fix: 18, education: 12, firmware_update: 15, credit: 100, restock: 25, scrap: 40, return_to_customer: 70, rejected: 45 };
  for (const [resolution, cost] of Object.entries(common)) rows.push({ resolution, sku: '*', standard_cost: cost, currency: 'USD' });
  return rows;
}
