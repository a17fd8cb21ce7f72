// Fetches an endpoint-control token from a member's server through the outbound guard (HTTPS only,
// public addresses only, connection pinned to the checked address, no redirects; see outbound-http.ts),
// within 5 seconds and 1 KiB.
import type { OutboundGuard } from '../outbound-http';

export { isNonPublicAddress } from '../outbound-http';

/** Fetches a published token. */
export interface EndpointProber {
  /** The trimmed body at `url`; throws an OutboundError whose code says what went wrong. */
  fetchToken(url: string): Promise<string>;
}

const MAX_BYTES = 1024;

/** The real prober (see the file comment). */
export class HttpEndpointProber implements EndpointProber {
  constructor(private readonly guard: OutboundGuard, private readonly opts: { timeoutMs?: number } = {}) {}

  async fetchToken(url: string): Promise<string> {
    const res = await this.guard.request({
      method: 'GET', url, headers: { 'user-agent': 'Anchorage endpoint check', accept: 'text/plain' },
      timeoutMs: this.opts.timeoutMs ?? 5000, maxBytes: MAX_BYTES,
    });
    if (res.status >= 300 && res.status < 400) throw this.guard.fail('redirect', `GET ${url} answered HTTP ${res.status}`);
    if (res.status !== 200) throw this.guard.fail('http-status', `GET ${url} answered HTTP ${res.status}`);
    return res.body.trim();
  }
}
