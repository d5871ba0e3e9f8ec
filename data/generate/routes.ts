/**
 * Which source system records an RMA. The world starts with two (ERP and dealer portal); a format
 * emitter (SAP, NetSuite, Shopify…) claims its share with a route, so every RMA is written once.
 */
import { Rng } from './prng.js';
import type { Rma, World } from './world.js';

export interface RmaRoute {
  /** Source name the claimed RMAs get (e.g. 'sap-eu', 'shopify-store'). */
  source: string;
  /** Share of the matching RMAs to claim, 0..1. */
  share: number;
  /** Which RMAs may be claimed (default: those still with the ERP). */
  where?: (rma: Rma) => boolean;
  /** RMA number in that system from a 1-based sequence (default `<SOURCE>-000001`). */
  number?: (seq: number) => string;
}

/** Reassign RMAs to routed sources, deterministically for the world's seed; routes apply in order. */
export function routeRmas(world: World, routes: readonly RmaRoute[]): void {
  routes.forEach((route, k) => {
    const rng = new Rng(world.seed, 100 + k);
    const where = route.where ?? ((r: Rma) => r.source === 'erp');
    const number = route.number ?? ((n: number) => `${route.source.toUpperCase()}-${String(n).padStart(6, '0')}`);
    let seq = 0;
    for (const rma of world.rmas) {
      if (!where(rma) || !rng.chance(route.share)) continue;
      rma.source = route.source;
      rma.rma_number = number(++seq);
    }
  });
}
