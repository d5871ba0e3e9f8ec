import type { Store } from '../pipeline/store.js';
import type { KeyVerifier, Principal } from './keys.js';
import type { ReportCache } from './report-cache.js';
import type { Services } from './services.js';
import type { WriteQueue } from './write-queue.js';

/** What every route reaches through `request.server.rma` (decorated by buildApp). */
export interface AppContext {
  store: Store;
  keys: KeyVerifier;
  writes: WriteQueue;
  /** Report answers until the next write. */
  reports: ReportCache;
  services: Services;
  /** HMAC secret for POST /api/intake/:format; intake answers 503 without one. */
  webhookSecret?: string;
  /** Clock for signature tolerance; tests pass a fixed one. */
  now: () => Date;
  version: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    rma: AppContext;
  }
  interface FastifyRequest {
    /** The verified caller, set by requireRole. */
    principal?: Principal;
  }
}
