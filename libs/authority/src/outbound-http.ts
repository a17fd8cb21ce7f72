// Requests the platform makes to members' servers (endpoint-control tokens, expiry webhooks): HTTPS
// only, no redirects, a timeout, a size limit, and only to public addresses: the name is resolved
// once, every address checked, and the connection made to the checked address (no second lookup a
// DNS rebinding could answer differently). A deployment for tests and development may allow plain
// HTTP and private addresses (ANCHORAGE_ENDPOINT_CHECK_INSECURE); production refuses that setting.
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

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

/** One outbound request. */
export interface OutboundRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  allowInsecure: boolean;
  timeoutMs: number;
  /** Larger answers are cut off with an error. */
  maxBytes: number;
}

/** The answer: status and body (redirects are answers, never followed). */
export interface OutboundResponse {
  status: number;
  body: string;
}

/** Sends `r` (see the file comment); throws an Error whose message says what went wrong. */
export async function outboundRequest(r: OutboundRequest): Promise<OutboundResponse> {
  const u = new URL(r.url);
  if (u.protocol !== 'https:' && !(r.allowInsecure && u.protocol === 'http:')) throw new Error(`${r.url} is not https (plain HTTP is allowed only in test and development deployments)`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new Error(`the name ${host} does not resolve`);
  }
  if (addresses.length === 0) throw new Error(`the name ${host} does not resolve`);
  if (!r.allowInsecure) {
    const bad = addresses.find((a) => isNonPublicAddress(a.address));
    if (bad) throw new Error(`${host} resolves to ${bad.address}, which is not a public address`);
  }
  const target = addresses[0];
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
      method: r.method,
      headers: { ...r.headers, ...(r.body !== undefined ? { 'content-length': String(Buffer.byteLength(r.body)) } : {}) },
      // connect to the address checked above, never to a second answer for the name
      lookup: ((_h: string, o: { all?: boolean }, cb: (...args: unknown[]) => void) =>
        (o?.all ? cb(null, [target]) : cb(null, target.address, target.family))) as never,
      timeout: r.timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > r.maxBytes) {
          res.destroy();
          reject(new Error(`${r.url} answered more than ${r.maxBytes} bytes`));
        } else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => reject(new Error(`${r.url}: ${e.message}`)));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${r.timeoutMs / 1000} s`)));
    req.on('error', (e) => reject(new Error(`${r.url}: ${e.message}`)));
    req.end(r.body);
  });
}
