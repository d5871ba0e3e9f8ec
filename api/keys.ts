import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { RmaError } from '../pipeline/errors.js';
import { apiRoles } from '../pipeline/schema/enums.js';
import type { Store } from '../pipeline/store.js';

/**
 * API keys (CONTRACT §5): `rma_<key_id>_<secret>`. The key id is a non-secret lookup handle; the
 * secret is stored only as a scrypt hash and compared in constant time. The full key is shown once.
 */
export type Role = (typeof apiRoles)[number];
export const roles: readonly Role[] = apiRoles;

export interface Principal {
  name: string;
  role: Role;
}

export interface CreatedKey extends Principal {
  /** The only time the secret is visible. */
  key: string;
}

export interface KeyInfo extends Principal {
  key_id: string;
  created_at: string | null;
  revoked_at: string | null;
}

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const keyPattern = /^rma_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const hashLength = 32;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

async function hashSecret(secret: string, salt: Buffer): Promise<Buffer> {
  return scrypt(secret, salt, hashLength);
}

/** Create a key and store its hash; returns the key once. */
export async function createApiKey(store: Store, options: { role: string; name?: string }): Promise<CreatedKey> {
  if (!isRole(options.role)) throw new RmaError('RMA_ERR_USAGE', `unknown role '${options.role}'; one of ${roles.join(', ')}`);
  const keyId = randomBytes(6).toString('hex');
  const name = options.name ?? `${options.role}-${keyId.slice(0, 6)}`;
  if (!namePattern.test(name)) throw new RmaError('RMA_ERR_USAGE', `key name '${name}' must be 1-64 letters, digits, '.', '_' or '-'`);
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  const hash = await hashSecret(secret, salt);
  const existing = await store.one('SELECT name FROM api_keys WHERE name = $1', [name]);
  if (existing) throw new RmaError('RMA_ERR_CONFLICT', `an API key named '${name}' already exists; revoke it or choose another --name`, { name });
  await store.run(
    'INSERT INTO api_keys (name, key_id, role, salt, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, now(), NULL)',
    [name, keyId, options.role, salt.toString('hex'), hash.toString('hex')],
  );
  return { name, role: options.role, key: `rma_${keyId}_${secret}` };
}

/** Revoke a key by name; a revoked key stops working at once in this process (see KeyVerifier.forget). */
export async function revokeApiKey(store: Store, name: string): Promise<KeyInfo> {
  const row = await store.one<KeyInfo>('SELECT name, key_id, role, created_at, revoked_at FROM api_keys WHERE name = $1', [name]);
  if (!row) throw new RmaError('RMA_ERR_NOT_FOUND', `no API key named '${name}'`, { name });
  if (row.revoked_at) return row;
  await store.run('UPDATE api_keys SET revoked_at = now() WHERE name = $1', [name]);
  return (await store.one<KeyInfo>('SELECT name, key_id, role, created_at, revoked_at FROM api_keys WHERE name = $1', [name]))!;
}

export async function listApiKeys(store: Store): Promise<KeyInfo[]> {
  return store.all<KeyInfo>('SELECT name, key_id, role, created_at, revoked_at FROM api_keys ORDER BY name');
}

interface CacheEntry {
  principal: Principal | null;
  expires: number;
}

/**
 * Checks presented keys against the store. Verified results are cached briefly, keyed by a SHA-256
 * of the presented key (never the key itself), so scrypt does not dominate latency under load.
 */
export class KeyVerifier {
  private readonly cache = new Map<string, CacheEntry>();
  constructor(
    private readonly store: Store,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  async verify(presented: string): Promise<Principal | null> {
    const digest = createHash('sha256').update(presented).digest('hex');
    const now = Date.now();
    const hit = this.cache.get(digest);
    if (hit && hit.expires > now) return hit.principal;
    const principal = await this.check(presented);
    // Only well-formed keys are cached, so garbage cannot flood the cache.
    if (keyPattern.test(presented)) {
      if (this.cache.size >= this.maxEntries) this.cache.clear();
      this.cache.set(digest, { principal, expires: now + this.ttlMs });
    }
    return principal;
  }

  /** The cache key of a presented key, when it is cached as valid (no database, no scrypt). */
  knownDigest(presented: string): string | undefined {
    const digest = createHash('sha256').update(presented).digest('hex');
    const hit = this.cache.get(digest);
    return hit && hit.principal && hit.expires > Date.now() ? digest : undefined;
  }

  /** Drop every cached verdict (after a revocation). */
  forget(): void {
    this.cache.clear();
  }

  private async check(presented: string): Promise<Principal | null> {
    const m = keyPattern.exec(presented);
    if (!m) return null;
    const [, keyId, secret] = m;
    const row = await this.store.withConnection(async (conn) => {
      const reader = await conn.runAndReadAll('SELECT name, role, salt, hash FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL', [keyId]);
      return reader.getRowObjectsJS()[0] as { name: string; role: string; salt: string; hash: string } | undefined;
    });
    if (!row || !isRole(row.role)) return null;
    const expected = Buffer.from(row.hash, 'hex');
    const actual = await hashSecret(secret, Buffer.from(row.salt, 'hex'));
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    return { name: row.name, role: row.role };
  }
}
