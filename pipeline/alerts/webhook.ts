import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Alerts out: a POST of JSON signed like the intake webhooks (CONTRACT §5):
 *   x-rma-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of `${t}.${body}` with the shared secret>
 * The receiver recomputes the HMAC over the raw body and rejects stale timestamps.
 */

export const signatureHeader = 'x-rma-signature';

export function signPayload(body: string, secret: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/** Check a signature header against a body (for receivers and tests); tolerance in seconds. */
export function verifySignature(header: string | undefined, body: string, secret: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(body, secret, t).split('v1=')[1], 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface WebhookResult {
  url: string;
  status?: number;
  error?: string;
}

/** POST the payload; a failure is reported, never thrown (a webhook must not fail the build). */
export async function sendWebhook(url: string, payload: unknown, secret: string, timeoutMs: number): Promise<WebhookResult> {
  const body = JSON.stringify(payload);
  // The send time is real (the receiver checks freshness); the alerts themselves carry as-of times.
  const signature = signPayload(body, secret, Math.floor(Date.now() / 1000));
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [signatureHeader]: signature, 'user-agent': 'rma-intel-alerts' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? { url, status: response.status } : { url, status: response.status, error: `receiver answered ${response.status}` };
  } catch (e) {
    return { url, error: (e as Error).message };
  }
}
