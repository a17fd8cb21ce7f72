// Fetches an endpoint-control token from a member's server through outboundRequest (HTTPS only, no
// redirects, 5-second timeout, at most 1 KiB, public addresses only, connection pinned to the
// checked address; see outbound-http.ts).
import { outboundRequest } from '../outbound-http';

export { isNonPublicAddress } from '../outbound-http';

/** Fetches a published token. */
export interface EndpointProber {
  /** The trimmed body at `url`; throws an Error whose message says what went wrong. */
  fetchToken(url: string): Promise<string>;
}

const MAX_BYTES = 1024;

/** The real prober (see the file comment). */
export class HttpEndpointProber implements EndpointProber {
  constructor(private readonly opts: { allowInsecure: boolean; timeoutMs?: number }) {}

  async fetchToken(url: string): Promise<string> {
    const res = await outboundRequest({
      method: 'GET', url, headers: { 'user-agent': 'Anchorage endpoint check', accept: 'text/plain' },
      allowInsecure: this.opts.allowInsecure, timeoutMs: this.opts.timeoutMs ?? 5000, maxBytes: MAX_BYTES,
    }).catch((err: Error) => {
      throw new Error(err.message.includes('answered more than') ? `${url} answered more than ${MAX_BYTES} bytes; publish only the token` : err.message);
    });
    if (res.status !== 200) {
      const redirect = res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : '';
      throw new Error(`${url} answered HTTP ${res.status}${redirect}`);
    }
    return res.body.trim();
  }
}
