import { createHmac, timingSafeEqual } from 'node:crypto';
import { RmaError } from '../pipeline/errors.js';

/**
 * Returns-portal webhooks are signed (CONTRACT §5): `x-rma-signature: t=<unix seconds>,v1=<hex>` where
 * v1 = HMAC-SHA256(secret, t + "." + raw body). Stale timestamps (beyond the tolerance either way) are
 * refused so a captured request cannot be replayed later; a payload id makes replays inside the window
 * harmless (intake_events).
 */
export const signatureHeader = 'x-rma-signature';
export const toleranceSeconds = 300;

export function sign(secret: string, body: string | Buffer, timestamp: number): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** Throws 401 RMA_ERR_BAD_SIGNATURE unless the header signs this body within the tolerance. */
export function verifySignature(secret: string, header: string | undefined, body: Buffer, now: Date, tolerance = toleranceSeconds): void {
  if (!header) throw new RmaError('RMA_ERR_BAD_SIGNATURE', `missing ${signatureHeader} header (t=<unix>,v1=<hex HMAC-SHA256 of t + "." + body>)`);
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const k = item.slice(0, eq).trim();
    parts.set(k, [...(parts.get(k) ?? []), item.slice(eq + 1).trim()]);
  }
  const t = parts.get('t')?.[0];
  const signatures = parts.get('v1') ?? [];
  if (!t || !/^\d{1,12}$/.test(t) || !signatures.length) throw new RmaError('RMA_ERR_BAD_SIGNATURE', `malformed ${signatureHeader} header; expected t=<unix>,v1=<hex>`);
  const age = Math.abs(now.getTime() / 1000 - Number(t));
  if (age > tolerance) throw new RmaError('RMA_ERR_BAD_SIGNATURE', `stale signature: timestamp is ${Math.round(age)} s from the server clock (tolerance ${tolerance} s)`, { tolerance_seconds: tolerance });
  const expected = createHmac('sha256', secret).update(`${t}.`).update(body).digest();
  // Several v1 values are allowed so a sender can sign with an old and a new secret during rotation.
  const ok = signatures.some((hex) => {
    if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
    return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
  });
  if (!ok) throw new RmaError('RMA_ERR_BAD_SIGNATURE', 'signature does not match the body');
}
