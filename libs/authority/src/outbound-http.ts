// The one guard of every request the platform makes to an address a member chose (endpoint-control
// tokens, expiry webhooks, anything later that fetches from members' servers). Server-side request
// forgery is refused at the root:
// - only https:// (plain http only where the deployment allows it), no credentials in the URL;
// - the name is resolved once and EVERY address is judged on its bytes (ip-address.ts), whatever its
//   notation; the connection then goes to a checked address only (the lookup the socket asks for is
//   answered from the checked list, so DNS rebinding gets no second answer), and the connected peer is
//   checked again; an address literal in the URL is judged before any socket exists;
// - no redirects, one overall deadline (DNS included), a size limit, no connection reuse;
// - failures are a fixed code (OutboundError.code, texts in @anchorage/contracts outbound.ts); the
//   detail (the error of the socket, the status) goes to the server log only, and the answer's body never
//   leaves the caller.
// A deployment for tests and development may allow plain HTTP and private networks
// (ANCHORAGE_ENDPOINT_CHECK_INSECURE; production refuses that setting); even then it refuses link-local
// addresses (the cloud metadata service at 169.254.169.254 hands out credentials), unspecified,
// multicast and reserved ones.
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { LookupAddress } from 'node:dns';
import type { Socket } from 'node:net';
import { OUTBOUND_FAILURES, type OutboundFailure } from '@anchorage/contracts';
import { classifyAddress, parseIp, type AddressKind } from './ip-address';

export { classifyAddress, isNonPublicAddress } from './ip-address';

/** A refused or failed outbound request: its code and fixed text only (the detail went to the log, see `fail`). */
export class OutboundError extends Error {
  constructor(public readonly code: OutboundFailure) {
    super(OUTBOUND_FAILURES[code]);
    this.name = 'OutboundError';
  }
}

/** Resolves a host name to every address it has (dns.lookup unless a test injects answers). */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

/** How a guard behaves. */
export interface OutboundGuardOptions {
  /** Plain HTTP and private networks allowed (tests and development; config refuses it in production). */
  allowInsecure: boolean;
  /** Name resolution; default dns.lookup with every address. */
  resolve?: Resolver;
  /** Where the detail of a refusal or failure goes (the server log); default nowhere. */
  log?: (line: string) => void;
  /**
   * PEM trust anchors of HTTPS servers instead of Node's bundled public CAs (tests: a loopback server's
   * own certificate). Host names are checked against the server's certificate either way.
   */
  tlsCa?: string[];
}

/** One outbound request. */
export interface OutboundRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole request, name resolution included, must be done within this. */
  timeoutMs: number;
  /** Larger answers are cut off with `too-large`. */
  maxBytes: number;
}

/** The answer: status and body (redirects are answers, never followed). */
export interface OutboundResponse {
  status: number;
  body: string;
  /** The Content-Type header, if any. */
  contentType?: string;
}

// what a test or development deployment may reach besides the internet: its own machine and private networks
const INSECURE_KINDS: ReadonlySet<AddressKind> = new Set(['public', 'loopback', 'private', 'shared', 'unique-local']);

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** Applies the rules of the file comment to every outbound request. */
export class OutboundGuard {
  private readonly resolver: Resolver;
  /** Built once: a context per request would parse the anchors every time. */
  private readonly secureContext: SecureContext | undefined;

  constructor(private readonly opts: OutboundGuardOptions) {
    this.resolver = opts.resolve ?? systemResolver;
    this.secureContext = opts.tlsCa?.length ? createSecureContext({ ca: opts.tlsCa }) : undefined;
  }

  /** Whether a connection may go to `address` (text in any notation; a non-address is refused). */
  allows(address: string): boolean {
    const kind = classifyAddress(address)?.kind;
    return kind === 'public' || (this.opts.allowInsecure && kind !== undefined && INSECURE_KINDS.has(kind));
  }

  /** A logged failure: the code for the member, the detail for the server log only. */
  fail(code: OutboundFailure, detail: string): OutboundError {
    this.opts.log?.(`outbound request refused or failed: ${code}: ${detail}`);
    return new OutboundError(code);
  }

  /**
   * Checks what can be checked without the network: an absolute http(s) URL without credentials, https
   * unless insecure, and an address literal as host allowed. Throws OutboundError; returns the URL.
   */
  checkUrl(url: string): URL {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw this.fail('bad-url', `not an absolute URL: ${JSON.stringify(url.slice(0, 200))}`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw this.fail('not-https', `${u.protocol} URL ${u.origin}`);
    if (u.username || u.password) throw this.fail('bad-url', `credentials in the URL of ${u.host}`);
    if (u.protocol === 'http:' && !this.opts.allowInsecure) throw this.fail('not-https', `plain http to ${u.host}`);
    const literal = hostAddress(u);
    if (literal !== null && !this.allows(literal)) throw this.fail('non-public-address', `${u.host} is ${explain(literal)}`);
    return u;
  }

  /** Every address of the URL's host, each one checked; throws OutboundError (`dns-failure`, `non-public-address`). */
  async resolve(u: URL): Promise<LookupAddress[]> {
    const literal = hostAddress(u);
    if (literal !== null) {
      if (!this.allows(literal)) throw this.fail('non-public-address', `${u.host} is ${explain(literal)}`);
      return [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
    }
    let found: { address: string; family: number }[];
    try {
      found = await this.resolver(u.hostname);
    } catch (err) {
      throw this.fail('dns-failure', `${u.hostname}: ${(err as Error).message}`);
    }
    if (found.length === 0) throw this.fail('dns-failure', `${u.hostname}: no address`);
    const bad = found.find((a) => !this.allows(a.address));
    if (bad) throw this.fail('non-public-address', `${u.hostname} resolves to ${explain(bad.address)}`);
    return found.map((a) => ({ address: a.address, family: a.family }));
  }

  /** Sends `r` under the rules of the file comment; throws OutboundError. */
  async request(r: OutboundRequest): Promise<OutboundResponse> {
    const u = this.checkUrl(r.url);
    const what = `${r.method} ${u.origin}${u.pathname}`;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), r.timeoutMs);
    try {
      const addresses = await new Promise<LookupAddress[]>((resolve, reject) => {
        const late = () => reject(this.fail('timeout', `${u.hostname}: no address within ${r.timeoutMs} ms`));
        deadline.signal.addEventListener('abort', late, { once: true });
        this.resolve(u).then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', late));
      });
      return await this.send(r, u, what, addresses, deadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private send(r: OutboundRequest, u: URL, what: string, checked: LookupAddress[], deadline: AbortSignal): Promise<OutboundResponse> {
    const https = u.protocol === 'https:';
    const literal = hostAddress(u);
    return new Promise<OutboundResponse>((resolve, reject) => {
      let settled = false;
      let connected = false;
      let secured = false;
      const failed = (code: OutboundFailure, detail: string) => {
        if (settled) return;
        settled = true;
        req.destroy();
        reject(this.fail(code, `${what}: ${detail}`));
      };
      const req: ClientRequest = (https ? httpsRequest : httpRequest)({
        protocol: u.protocol,
        hostname: literal ?? u.hostname,
        port: u.port || (https ? 443 : 80),
        path: `${u.pathname}${u.search}`,
        method: r.method,
        headers: { ...r.headers, ...(r.body !== undefined ? { 'content-length': String(Buffer.byteLength(r.body)) } : {}) },
        // a connection of its own each time: a pooled socket would skip the lookup below
        agent: false,
        ...(https && this.secureContext ? { secureContext: this.secureContext } : {}),
        // the socket's name lookup is answered from the checked addresses, never by a second query
        lookup: ((_host: string, o: { all?: boolean; family?: number | string }, cb: (...args: unknown[]) => void) => {
          const family = o?.family === 'IPv4' ? 4 : o?.family === 'IPv6' ? 6 : Number(o?.family) || 0;
          const usable = checked.filter((a) => family === 0 || a.family === family);
          if (usable.length === 0) cb(Object.assign(new Error('no checked address of that family'), { code: 'ENOTFOUND' }));
          else if (o?.all) cb(null, usable);
          else cb(null, usable[0].address, usable[0].family);
        }) as never,
      }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > r.maxBytes) failed('too-large', `more than ${r.maxBytes} bytes`);
          else chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType: res.headers['content-type'] });
        });
        res.on('error', (e) => failed('connect-failed', errorDetail(e)));
        res.on('close', () => failed('connect-failed', 'closed before the answer ended'));
      });
      if (deadline.aborted) failed('timeout', `no answer within ${r.timeoutMs} ms`);
      deadline.addEventListener('abort', () => failed('timeout', `no complete answer within ${r.timeoutMs} ms`), { once: true });
      req.on('socket', (socket: Socket) => {
        socket.once('connect', () => {
          connected = true;
          // the peer must be an allowed address, whichever way the socket got there
          const peer = socket.remoteAddress ?? '';
          if (!this.allows(peer)) failed('non-public-address', `connected to ${explain(peer)}`);
        });
        socket.once('secureConnect', () => (secured = true));
      });
      req.on('error', (e: Error & { code?: string }) => {
        const code: OutboundFailure = !connected ? 'connect-failed'
          : https && !secured ? 'tls-failed'
            : String(e.code ?? '').startsWith('HPE_') ? 'bad-response' : 'connect-failed';
        failed(code, errorDetail(e));
      });
      req.end(r.body);
    });
  }
}

/** The host of `u` when it is an address literal (brackets removed), else null. */
function hostAddress(u: URL): string | null {
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  return parseIp(host) ? host : null;
}

function explain(address: string): string {
  const c = classifyAddress(address);
  if (!c) return `${address} (not an address)`;
  return `${address} (${c.kind}${c.embedded ? `, ${c.embedded.via} ${c.embedded.v4}` : ''})`;
}

function errorDetail(e: Error & { code?: string }): string {
  return e.code ? `${e.code} ${e.message}` : e.message;
}
