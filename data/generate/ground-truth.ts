/**
 * ground-truth.json: what was planted in the world, what an analysis as of `as_of` must conclude, and
 * the figures observed in the generated records (so tests can check the files against the plan).
 */
import type { DirtyRow, DuplicateRow, EmitResult, EmittedFile } from './emitter.js';
import { batchIdOf, builds as buildSpecs, firmwareEffects, modes, planted, policy } from './scenario.js';
import { snapshotRma, type RmaRow } from './snapshot.js';
import { DAY, type Unit, type World } from './world.js';

export interface PlantedFault {
  id: string;
  kind: string;
  subject_type: 'batch' | 'firmware' | 'firmware_cell' | 'dealer' | 'gate';
  subject_id: string;
  sku?: string;
  failure_code?: string;
  description: string;
  expected: Record<string, unknown>;
  parameters: Record<string, unknown>;
  observed: Record<string, unknown>;
}

export interface GroundTruth {
  generator: string;
  seed: number;
  as_of: string;
  batch_threshold: number;
  files: EmittedFile[];
  planted: PlantedFault[];
  clean: {
    /** Mature clean batches: status must be `ok`. */
    batches: string[];
    /** The youngest batches: too young to judge; must not be `breach` or `confirmed_breach`. */
    young_batches: string[];
    /** Builds that must not be flagged for any failure code, except the listed codes. */
    builds: { firmware_version: string; sku: string; except_codes: string[] }[];
    /** Dealers that must not be flagged for no-trouble-found returns. */
    dealers: string[];
  };
  dirty_rows: DirtyRow[];
  duplicates: DuplicateRow[];
  counts: Record<string, number>;
  /** RMA records (not file rows) per source. */
  rma_sources: Record<string, number>;
}

const confirmed = (r: RmaRow): boolean => r.return_reason === 'defective' && (r.inspection_outcome === 'trouble_found_repair' || r.inspection_outcome === 'trouble_found_replace');
const round = (x: number, digits = 6): number => Number(x.toFixed(digits));

/** Unit-days on each `${sku}@${version}` up to the horizon (the exact step function behind the weekly snapshots). */
function unitDaysByBuild(units: Unit[], horizon: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const u of units) {
    const end = Math.min(u.removedAt, horizon);
    for (let i = 0; i < u.fwVersions.length; i++) {
      const from = u.fwStarts[i];
      const to = Math.min(end, i + 1 < u.fwStarts.length ? u.fwStarts[i + 1] : end);
      if (to <= from) continue;
      const key = `${u.sku}@${u.fwVersions[i]}`;
      out.set(key, (out.get(key) ?? 0) + (to - from) / DAY);
    }
  }
  return out;
}

/** Probability of a confirmed hardware failure within warranty for one batch, from the simulated hazards. */
function trueInWarrantyRate(world: World, sku: string, month: string): number {
  let h = 0;
  for (const m of modes) {
    const cls = world.taxonomy.get(m.code)?.disposition_class;
    if (cls === 'no_return') continue;
    let p = m.p730 * (m.sku?.[sku] ?? 1);
    if (sku === planted.badBatch.sku && month === planted.badBatch.month && m.code === planted.badBatch.code) p = planted.badBatch.p730;
    if (sku === planted.wearOut.sku && month === planted.wearOut.month && m.code === planted.wearOut.code) p = planted.wearOut.p730;
    h += -Math.log(1 - p);
  }
  return 1 - Math.exp(-h);
}

export function buildGroundTruth(world: World, emitted: EmitResult[]): GroundTruth {
  const rows = world.rmas.map((r) => snapshotRma(r, world.horizon));
  const unitsByBatch = new Map<string, number>();
  for (const u of world.units) unitsByBatch.set(u.batch_id, (unitsByBatch.get(u.batch_id) ?? 0) + 1);
  const confirmedByBatch = new Map<string, number>();
  for (const r of rows) if (confirmed(r)) confirmedByBatch.set(String(r.batch_id), (confirmedByBatch.get(String(r.batch_id)) ?? 0) + 1);
  const batchObserved = (id: string, code?: string) => {
    const n = unitsByBatch.get(id) ?? 0;
    const k = confirmedByBatch.get(id) ?? 0;
    const out: Record<string, unknown> = { units_shipped: n, confirmed_defects: k, defect_rate: round(k / n) };
    if (code) out[`confirmed_${code}`] = rows.filter((r) => r.batch_id === id && confirmed(r) && r.failure_code_verified === code).length;
    return out;
  };

  const badId = batchIdOf(planted.badBatch.sku, planted.badBatch.month);
  const wearId = batchIdOf(planted.wearOut.sku, planted.wearOut.month);
  const wearBatch = world.batches.find((b) => b.batch_id === wearId)!;

  // Confounder: crude vs within-batch rate ratio of the code on the line-only build (units as shipped).
  const cf = planted.confounder;
  const strata = new Map<string, { a: number; n1: number; c: number; n0: number }>();
  const unitBySerial = new Map(world.units.map((u) => [u.serial_number, u]));
  for (const u of world.units) {
    if (u.sku !== cf.sku) continue;
    const s = strata.get(u.batch_id) ?? { a: 0, n1: 0, c: 0, n0: 0 };
    if (u.firmware_version === cf.version) s.n1++;
    else s.n0++;
    strata.set(u.batch_id, s);
  }
  for (const r of rows) {
    if (r.sku !== cf.sku || !confirmed(r) || r.failure_code_verified !== cf.code) continue;
    const s = strata.get(String(r.batch_id))!;
    if (unitBySerial.get(String(r.serial_number))!.firmware_version === cf.version) s.a++;
    else s.c++;
  }
  let A = 0, N1 = 0, C = 0, N0 = 0, mhNum = 0, mhDen = 0;
  for (const s of strata.values()) {
    A += s.a; N1 += s.n1; C += s.c; N0 += s.n0;
    if (s.n1 && s.n0) {
      mhNum += (s.a * s.n0) / (s.n1 + s.n0);
      mhDen += (s.c * s.n1) / (s.n1 + s.n0);
    }
  }
  const pinnedUnits = world.units.filter((u) => u.firmware_version === cf.version);
  const pinnedOnBad = pinnedUnits.filter((u) => u.batch_id === badId).length;

  // Firmware regression: verified code per unit-day on the build vs every other build.
  const unitDays = unitDaysByBuild(world.units, world.horizon);
  const reg = planted.regression;
  let regK = 0, otherK = 0, regT = 0, otherT = 0;
  for (const r of rows) if (r.failure_code_verified === reg.code) (r.firmware_version === reg.version ? regK++ : otherK++);
  for (const [key, t] of unitDays) (key.endsWith(`@${reg.version}`) ? (regT += t) : (otherT += t));

  // Gates: defective returns on candidate and baseline for the SKU.
  const gateObserved = (g: { candidate: string; baseline: string; sku: string }, code?: string) => {
    const count = (v: string, c?: string) => rows.filter((r) => r.sku === g.sku && r.firmware_version === v && r.return_reason === 'defective' && (!c || r.failure_code_verified === c)).length;
    const out: Record<string, unknown> = {
      candidate_unit_days: round(unitDays.get(`${g.sku}@${g.candidate}`) ?? 0, 1),
      candidate_returns: count(g.candidate),
      baseline_unit_days: round(unitDays.get(`${g.sku}@${g.baseline}`) ?? 0, 1),
      baseline_returns: count(g.baseline),
    };
    if (code) {
      out[`candidate_${code}`] = count(g.candidate, code);
      out[`baseline_${code}`] = count(g.baseline, code);
    }
    return out;
  };

  // Dealers: share of a dealer's RMA lines that came back with no trouble found.
  const dealerStats = new Map<string, { returns: number; ntf: number }>();
  for (const r of rows) {
    if (!r.dealer_id) continue;
    const s = dealerStats.get(String(r.dealer_id)) ?? { returns: 0, ntf: 0 };
    s.returns++;
    if (r.inspection_outcome === 'no_trouble_found') s.ntf++;
    dealerStats.set(String(r.dealer_id), s);
  }
  const ntfDealer = dealerStats.get(planted.ntfDealer.dealerId)!;
  const cleanDealerShares = [...dealerStats.entries()].filter(([id, s]) => id !== planted.ntfDealer.dealerId && s.returns >= 30).map(([, s]) => s.ntf / s.returns);

  const g = planted.gates;
  const plantedFaults: PlantedFault[] = [
    {
      id: 'bad_batch', kind: 'batch_defect', subject_type: 'batch', subject_id: badId, sku: planted.badBatch.sku, failure_code: planted.badBatch.code,
      description: 'Sealing/assembly problem on one batch: internal fogging several times the base rate; confirmed defect rate clearly above the 2 % threshold.',
      expected: { status: 'confirmed_breach', alert: true, defect_rate_above: planted.threshold },
      parameters: { p730: planted.badBatch.p730, shape: planted.badBatch.shape, base_p730: modes.find((m) => m.code === planted.badBatch.code)!.p730, units: planted.badBatch.units, factory_line: 'L3' },
      observed: batchObserved(badId, planted.badBatch.code),
    },
    {
      id: 'firmware_regression', kind: 'firmware_effect', subject_type: 'firmware_cell', subject_id: reg.version, failure_code: reg.code,
      description: `Build ${reg.version} multiplies ${reg.code} while units run it, across every batch of both SKUs: a true firmware effect.`,
      expected: { flagged: true, skus: buildSpecs.find((b) => b.version === reg.version)!.skus },
      parameters: { multiplier: reg.multiplier, base_p730: modes.find((m) => m.code === reg.code)!.p730 },
      observed: { returns: regK, unit_days: round(regT, 1), other_returns: otherK, other_unit_days: round(otherT, 1), crude_rate_ratio: round((regK / regT) / (otherK / otherT), 4) },
    },
    {
      id: 'confounded_build', kind: 'firmware_confounder', subject_type: 'firmware_cell', subject_id: cf.version, sku: cf.sku, failure_code: cf.code,
      description: `Build ${cf.version} was flashed at the factory mostly on the bad batch, so ${cf.code} looks elevated on it; within batches it is not. A stratified analysis must not flag it.`,
      expected: { flagged: false, crude_rate_ratio_above: 3, stratified_rate_ratio_between: [0.5, 2] },
      parameters: { share_by_month: cf.shareByMonth, over_the_air: false },
      observed: {
        units_on_build: pinnedUnits.length, units_on_build_in_bad_batch: pinnedOnBad,
        returns_on_build: A, units_on_build_total: N1, returns_off_build: C, units_off_build: N0,
        crude_rate_ratio: round((A / N1) / (C / N0), 4), mantel_haenszel_rate_ratio: round(mhNum / mhDen, 4),
      },
    },
    {
      id: 'ntf_dealer', kind: 'dealer_ntf', subject_type: 'dealer', subject_id: planted.ntfDealer.dealerId,
      description: 'A dealer who sends working units back: most of its returns are no-trouble-found (a training gap, not hardware).',
      expected: { flagged: true, ntf_share_above: 0.5 },
      parameters: { ntf_p730: planted.ntfDealer.ntfP730 },
      observed: { returns: ntfDealer.returns, no_trouble_found: ntfDealer.ntf, ntf_share: round(ntfDealer.ntf / ntfDealer.returns, 4), max_clean_dealer_ntf_share: round(Math.max(...cleanDealerShares), 4) },
    },
    {
      id: 'wear_out_batch', kind: 'batch_wear_out', subject_type: 'batch', subject_id: wearId, sku: planted.wearOut.sku, failure_code: planted.wearOut.code,
      description: 'A young batch wearing out (battery cells, Weibull shape > 1): its raw defect rate is still under 2 % but its projected in-warranty rate is far above.',
      expected: { status: 'watch', defect_rate_below: planted.threshold, projected_rate_above: planted.threshold },
      parameters: { p730: planted.wearOut.p730, shape: planted.wearOut.shape, true_in_warranty_rate: round(trueInWarrantyRate(world, planted.wearOut.sku, planted.wearOut.month), 4) },
      observed: { ...batchObserved(wearId, planted.wearOut.code), age_days_at_as_of: Math.round((world.horizon - wearBatch.shipped_from) / DAY) },
    },
    {
      id: 'gate_hold', kind: 'release_gate', subject_type: 'gate', subject_id: g.hold.candidate, sku: g.hold.sku, failure_code: g.hold.regressedCode,
      description: `Candidate ${g.hold.candidate} fixes the boot freeze but regresses ${g.hold.regressedCode}; all-cause looks fine.`,
      expected: { verdict: 'hold', exit_code: 1, baseline: g.hold.baseline },
      parameters: { effects: firmwareEffects[`${g.hold.sku}@${g.hold.candidate}`] },
      observed: gateObserved(g.hold, g.hold.regressedCode),
    },
    {
      id: 'gate_go', kind: 'release_gate', subject_type: 'gate', subject_id: g.go.candidate, sku: g.go.sku,
      description: `Candidate ${g.go.candidate}: plenty of beta exposure, no regression.`,
      expected: { verdict: 'go', exit_code: 0, baseline: g.go.baseline },
      parameters: { effects: {} },
      observed: gateObserved(g.go),
    },
    {
      id: 'gate_insufficient', kind: 'release_gate', subject_type: 'gate', subject_id: g.insufficient.candidate, sku: g.insufficient.sku,
      description: `Candidate ${g.insufficient.candidate}: a handful of beta units for a few days.`,
      expected: { verdict: 'insufficient_evidence', exit_code: 3, baseline: g.insufficient.baseline },
      parameters: { effects: {} },
      observed: gateObserved(g.insufficient),
    },
  ];

  // The last three production months are too young to judge.
  const youngMonths = new Set([...new Set(world.batches.map((b) => b.month))].sort().slice(-3));
  const young = new Set(world.batches.filter((b) => youngMonths.has(b.month)).map((b) => b.batch_id));
  const cleanBuilds = world.builds
    .filter((b) => b.firmware_version !== g.insufficient.candidate)
    .map((b) => ({
      firmware_version: b.firmware_version,
      sku: b.sku,
      except_codes: b.firmware_version === reg.version ? [reg.code] : b.firmware_version === g.hold.candidate ? [g.hold.regressedCode] : [],
    }));

  return {
    generator: 'rma-intel demo world 1',
    seed: world.seed,
    as_of: world.asOf,
    batch_threshold: planted.threshold,
    files: emitted.flatMap((e) => e.files),
    planted: plantedFaults,
    clean: {
      batches: world.batches.map((b) => b.batch_id).filter((id) => id !== badId && id !== wearId && !young.has(id)),
      young_batches: [...young].filter((id) => id !== badId && id !== wearId).sort(),
      builds: cleanBuilds,
      dealers: world.dealers.map((d) => d.dealer_id).filter((id) => id !== planted.ntfDealer.dealerId),
    },
    dirty_rows: emitted.flatMap((e) => e.dirtyRows ?? []),
    duplicates: emitted.flatMap((e) => e.duplicates ?? []),
    counts: {
      units: world.units.length,
      batches: world.batches.length,
      firmware_builds: world.builds.length,
      firmware_install_rows: world.installs.length,
      rma_records: world.rmas.length,
      warranty_months: policy.warrantyMonths,
    },
    rma_sources: Object.fromEntries([...new Set(world.rmas.map((r) => r.source))].sort().map((s) => [s, world.rmas.filter((r) => r.source === s).length])),
  };
}
