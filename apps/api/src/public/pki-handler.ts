import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, PublicRepository, PublishedObject } from '@anchorage/authority';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ROUTES: { re: RegExp; get: (repo: PublicRepository, id: string) => PublishedObject | undefined }[] = [
  { re: new RegExp(`^/pki/crl/(${UUID})\\.crl$`), get: (r, id) => r.crl(id) },
  { re: new RegExp(`^/pki/ca/(${UUID})\\.cer$`), get: (r, id) => r.caCertificate(id) },
  { re: new RegExp(`^/pki/communities/(${UUID})/trust-bundle\\.pem$`), get: (r, id) => r.trustBundle(id) },
];
/** Longest a relying party or cache may keep an object that has no expiry (CA certificates). */
const STATIC_MAX_AGE = 86_400;
/** Longest a CRL may be cached, so a new CRL reaches caches well before nextUpdate. */
const CRL_MAX_AGE = 3_600;

/** Header values that never change for one published object, formatted once (hot path). */
interface Prepared {
  etag: string;
  lastModified: string;
  expires: string | null;
  expiresMs: number | null;
  contentType: string;
  contentLength: string;
}
const prepared = new WeakMap<PublishedObject, Prepared>();

function prepare(obj: PublishedObject): Prepared {
  let p = prepared.get(obj);
  if (!p) {
    p = {
      etag: obj.etag,
      lastModified: obj.lastModified.toUTCString(),
      expires: obj.expires ? obj.expires.toUTCString() : null,
      expiresMs: obj.expires ? obj.expires.getTime() : null,
      contentType: obj.contentType,
      contentLength: String(obj.body.length),
    };
    prepared.set(obj, p);
  }
  return p;
}

function problem(res: ServerResponse, status: number, title: string, detail: string): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  res.writeHead(status, { 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

function notModified(req: IncomingMessage, obj: PublishedObject): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm === obj.etag || inm.split(',').some((t) => t.trim() === obj.etag || t.trim() === '*'); // the usual single tag first
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const t = Date.parse(ims);
  return !Number.isNaN(t) && obj.lastModified.getTime() <= t;
}

/**
 * The public repository relying servers fetch anonymously (UDAP profile: DER over plain HTTP,
 * no redirects): served from memory with ETag, Last-Modified, conditional GET answered 304, and
 * Cache-Control whose max-age never reaches past a CRL's nextUpdate. A plain function on the raw
 * HTTP server, outside the framework, because relying servers fetch at high rates.
 * Returns false when the path is not under /pki/.
 */
export function createPkiHandler(repo: PublicRepository, clock: Clock): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith('/pki/')) return false;
    const path = url.split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      problem(res, 405, 'Method Not Allowed', 'the public repository is read-only');
      return true;
    }
    for (const route of ROUTES) {
      const m = route.re.exec(path);
      if (!m) continue;
      const obj = route.get(repo, m[1]);
      if (!obj) break;
      const p = prepare(obj);
      const maxAge = p.expiresMs === null
        ? STATIC_MAX_AGE
        : Math.max(0, Math.min(CRL_MAX_AGE, Math.floor((p.expiresMs - clock.now().getTime()) / 1000)));
      // a flat [name, value, ...] list: the cheapest form for writeHead
      const headers = ['ETag', p.etag, 'Last-Modified', p.lastModified, 'Cache-Control', `public, max-age=${maxAge}`];
      if (p.expires) headers.push('Expires', p.expires);
      if (notModified(req, obj)) {
        res.writeHead(304, headers);
        res.end();
        return true;
      }
      headers.push('Content-Type', p.contentType, 'Content-Length', p.contentLength);
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : obj.body);
      return true;
    }
    problem(res, 404, 'Not Found', `nothing is published at ${path}`);
    return true;
  };
}
