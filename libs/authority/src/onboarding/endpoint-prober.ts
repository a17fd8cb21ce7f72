// Fetches an endpoint-control token from a member's server: HTTPS only, no redirects, 5-second
// timeout, at most 1 KiB, and only from public addresses: the name is resolved once, every address
// checked, and the connection made to the checked address (no second lookup a DNS rebinding could
// answer differently). A deployment for tests and development may allow plain HTTP and private
// addresses (ANCHORAGE_ENDPOINT_CHECK_INSECURE); production refuses that setting.
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

/** Fetches a published token. */
export interface EndpointProber {
  /** The trimmed body at `url`; throws an Error whose message says what went wrong. */
  fetchToken(url: string): Promise<string>;
}

const MAX_BYTES = 1024;

function v4(a: string): number[] {
  return a.split('.').map(Number);
}

/** Whether an address is loopback, private, link-local, shared, multicast or otherwise not on the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isNonPublicAddress(mapped[1]);
  if (isIP(address) === 4) {
    const [a, b] = v4(address);
    return a === 0 || a === 10 || a === 127 || a >= 224 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31)
      || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 192 && b === 0) || (a === 198 && (b === 18 || b === 19));
  }
  const x = address.toLowerCase();
  return x === '::' || x === '::1' || /^f[cd]/.test(x) || /^fe[89ab]/.test(x) || /^ff/.test(x) || x.startsWith('2001:db8');
}

/** The real prober (see the file comment). */
export class HttpEndpointProber implements EndpointProber {
  constructor(private readonly opts: { allowInsecure: boolean; timeoutMs?: number }) {}

  async fetchToken(url: string): Promise<string> {
    const u = new URL(url);
    if (u.protocol !== 'https:' && !(this.opts.allowInsecure && u.protocol === 'http:')) throw new Error(`${url} is not https (plain HTTP is allowed only in test and development deployments)`);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    let addresses: { address: string; family: number }[];
    try {
      addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new Error(`the name ${host} does not resolve`);
    }
    if (addresses.length === 0) throw new Error(`the name ${host} does not resolve`);
    if (!this.opts.allowInsecure) {
      const bad = addresses.find((a) => isNonPublicAddress(a.address));
      if (bad) throw new Error(`${host} resolves to ${bad.address}, which is not a public address`);
    }
    const target = addresses[0];
    const timeoutMs = this.opts.timeoutMs ?? 5000;
    return new Promise<string>((resolve, reject) => {
      const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
        method: 'GET',
        headers: { 'user-agent': 'Anchorage endpoint check', accept: 'text/plain' },
        // connect to the address checked above, never to a second answer for the name
        lookup: ((_h: string, o: { all?: boolean }, cb: (...args: unknown[]) => void) =>
          (o?.all ? cb(null, [target]) : cb(null, target.address, target.family))) as never,
        timeout: timeoutMs,
      }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          const redirect = res.statusCode && res.statusCode >= 300 && res.statusCode < 400 ? ' (redirects are not followed)' : '';
          reject(new Error(`${url} answered HTTP ${res.statusCode}${redirect}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BYTES) {
            res.destroy();
            reject(new Error(`${url} answered more than ${MAX_BYTES} bytes; publish only the token`));
          } else chunks.push(c);
        });
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').trim()));
        res.on('error', (e) => reject(new Error(`${url}: ${e.message}`)));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
      req.on('error', (e) => reject(new Error(`${url}: ${e.message}`)));
      req.end();
    });
  }
}
