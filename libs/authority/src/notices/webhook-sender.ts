// Signed webhooks to members' servers. Each delivery carries an HMAC-SHA256 signature over the
// timestamp and the exact body (`X-Anchorage-Signature: t=<unix seconds>,v1=<hex>`), so a receiver
// checks it came from the platform and is fresh, and the notice id (`X-Anchorage-Delivery`), so a
// receiver that sees a retry of a delivery it already processed can drop it. Sent through the
// outbound guard (outbound-http.ts): HTTPS, public addresses only, no redirects, 10 s.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { OutboundGuard } from '../outbound-http';

/** Posts a webhook; resolves with the HTTP status, throws (an OutboundError) when nothing answered. */
export interface WebhookSender {
  post(url: string, body: string, headers: Record<string, string>): Promise<number>;
}

/** The real sender (see the file comment). */
export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly guard: OutboundGuard, private readonly opts: { timeoutMs?: number } = {}) {}

  async post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    const res = await this.guard.request({
      method: 'POST', url, body, headers: { 'content-type': 'application/json', 'user-agent': 'Anchorage webhooks', ...headers },
      timeoutMs: this.opts.timeoutMs ?? 10_000, maxBytes: 64 * 1024,
    });
    return res.status;
  }
}

/** The signature header of `body` sent at `t` (unix seconds) with `secret`. */
export function webhookSignature(secret: string, t: number, body: string): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (documented for members, and used by the tests): recompute the HMAC over
 * `<t>.<body>`, compare in constant time, and refuse timestamps older than `toleranceSeconds`.
 */
export function verifyWebhookSignature(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const want = Buffer.from(webhookSignature(secret, t, body).slice(-64), 'hex');
  return timingSafeEqual(want, Buffer.from(m[2], 'hex'));
}
