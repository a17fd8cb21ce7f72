import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CERTIFICATION_STATUS_BODIES, CERTIFICATION_STATUS_MAX_AGE, type CertificationStatusIndex, type Clock, type CommunityDirectory, type DirectoryAnswer,
  type DirectoryResourceType, type PublicRepository, type PublishedObject, type TestKitPublication,
} from '@anchorage/authority';
import { parseStatusQuery } from './status-query';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ROUTES: { re: RegExp; get: (repo: PublicRepository, id: string) => PublishedObject | undefined }[] = [
  { re: new RegExp(`^/pki/crl/(${UUID})\\.crl$`), get: (r, id) => r.crl(id) },
  { re: new RegExp(`^/pki/ca/(${UUID})\\.cer$`), get: (r, id) => r.caCertificate(id) },
  { re: new RegExp(`^/pki/communities/(${UUID})/trust-bundle\\.pem$`), get: (r, id) => r.trustBundle(id) },
  // the audit chain's external anchor (docs/audit.md): the newest signed checkpoint and its public key
  { re: /^\/pki\/audit\/checkpoint\.jws$/, get: (r) => r.auditCheckpoint() },
  { re: /^\/pki\/audit\/key\.pem$/, get: (r) => r.auditKey() },
];
const COMMUNITY_DOCUMENT = new RegExp(`^/pki/communities/(${UUID})/community\\.json$`);
const DIRECTORY = new RegExp(`^/pki/communities/(${UUID})/directory$`);
/** The FHIR read of one directory resource: an entry's fullUrl (FHIR ids: 1 to 64 of [A-Za-z0-9-.]). */
const DIRECTORY_READ = new RegExp(`^/pki/communities/(${UUID})/directory/(Organization|Endpoint)/([A-Za-z0-9\\-.]{1,64})$`);
const CERTIFICATION_STATUS = new RegExp(`^/pki/communities/(${UUID})/certifications/status$`);
/** A community's test kit (docs/test-certificates.md): its index, or a file under it. */
const TEST_KIT = new RegExp(`^/pki/communities/(${UUID})/test-kit(?:/([A-Za-z0-9._-]{1,64}(?:/[A-Za-z0-9._-]{1,64}){0,2}))?$`);
/** Longest a relying party or cache may keep an object that has no expiry (CA certificates). */
const STATIC_MAX_AGE = 86_400;
/** Longest a CRL may be cached, so a new CRL reaches caches well before nextUpdate. */
const CRL_MAX_AGE = 3_600;

/** Header values that never change for one published object, formatted once (hot path). */
interface Prepared {
  etag: string;
  modifiedMs: number;
  /** The first whole second at or after `modified`, and both candidate Last-Modified values. */
  settledMs: number;
  lastModifiedFloor: string;
  lastModifiedSettled: string;
  expires: string | null;
  expiresMs: number | null;
  contentType: string;
  contentLength: string;
  maxAge: number | null;
}
const prepared = new WeakMap<PublishedObject, Prepared>();

function prepare(obj: PublishedObject): Prepared {
  let p = prepared.get(obj);
  if (!p) {
    const modifiedMs = obj.modified.getTime();
    const floorMs = Math.floor(modifiedMs / 1000) * 1000;
    const settledMs = Math.ceil(modifiedMs / 1000) * 1000;
    p = {
      etag: obj.etag,
      modifiedMs,
      settledMs,
      lastModifiedFloor: new Date(floorMs).toUTCString(),
      lastModifiedSettled: new Date(settledMs).toUTCString(),
      expires: obj.expires ? obj.expires.toUTCString() : null,
      expiresMs: obj.expires ? obj.expires.getTime() : null,
      contentType: obj.contentType,
      contentLength: String(obj.body.length),
      maxAge: obj.maxAge ?? null,
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

/*
 * Why 304 means "the bytes you hold" (RFC 9110 §13.1.2, §13.1.3, §13.2.2):
 * - If-None-Match, when sent, decides alone. Our ETags are digests of the bytes (strong), so a
 *   match is proof; a W/ prefix is ignored, as the weak comparison If-None-Match uses requires.
 * - If-Modified-Since carries a whole second. Any date a client got with older bytes (their
 *   Last-Modified, or the Date of that response) was formatted while the older bytes were served, so
 *   it is earlier than the moment the current bytes were taken (`modified`, to the millisecond).
 *   The rule "304 only when modified <= date" therefore never answers 304 to older bytes, even when
 *   both versions fall in one second; a date that is not after `modified` proves nothing.
 * - For that rule to ever say 304 to a client sending back our own Last-Modified, Last-Modified
 *   must not be before `modified`: it is `modified` rounded UP to the second once that second is
 *   over (RFC 9110 §8.8.2.1: never a date later than the response's). Within that second it is
 *   `modified` rounded down, a date older bytes may carry too, so sending it back earns no 304.
 */
function notModified(req: IncomingMessage, p: Prepared): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    if (inm === p.etag) return true; // the usual single tag first
    return inm.split(',').some((raw) => {
      const t = raw.trim();
      return t === '*' || (t.startsWith('W/') ? t.slice(2) : t) === p.etag;
    });
  }
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const t = Date.parse(ims);
  return !Number.isNaN(t) && p.modifiedMs <= t;
}

/** Answers GET/HEAD of a published object from memory, 304 to a conditional request that holds it. */
function serve(req: IncomingMessage, res: ServerResponse, obj: PublishedObject, clock: Clock): void {
  const p = prepare(obj);
  const now = clock.now().getTime();
  const maxAge = p.maxAge ?? (p.expiresMs === null
    ? STATIC_MAX_AGE
    : Math.max(0, Math.min(CRL_MAX_AGE, Math.floor((p.expiresMs - now) / 1000))));
  const lastModified = now >= p.settledMs ? p.lastModifiedSettled : p.lastModifiedFloor;
  // a flat [name, value, ...] list: the cheapest form for writeHead
  const headers = ['ETag', p.etag, 'Last-Modified', lastModified, 'Cache-Control', `public, max-age=${maxAge}`, 'X-Content-Type-Options', 'nosniff'];
  if (p.expires) headers.push('Expires', p.expires);
  if (notModified(req, p)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers.push('Content-Type', p.contentType, 'Content-Length', p.contentLength);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : obj.body);
}

/** A FHIR error (OperationOutcome) of the directory: not cached. */
function fhirError(req: IncomingMessage, res: ServerResponse, status: number, obj: PublishedObject): void {
  res.writeHead(status, { 'Content-Type': obj.contentType, 'Content-Length': obj.body.length, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(req.method === 'HEAD' ? undefined : obj.body);
}

/** The status answer's headers, formatted once (hot path): JSON, cacheable for a short while. */
const STATUS_HEADERS = (body: Buffer) => [
  'Content-Type', 'application/json', 'Content-Length', String(body.length), 'Cache-Control', `public, max-age=${CERTIFICATION_STATUS_MAX_AGE}`, 'X-Content-Type-Options', 'nosniff',
];
const VALID_HEADERS = STATUS_HEADERS(CERTIFICATION_STATUS_BODIES.valid);
const INVALID_HEADERS = STATUS_HEADERS(CERTIFICATION_STATUS_BODIES.invalid);

/** Answers a certification status query from memory (docs/certifications.md); false when the community is unknown. */
function serveCertificationStatus(req: IncomingMessage, res: ServerResponse, status: CertificationStatusIndex, communityId: string, query: string): boolean {
  const q = parseStatusQuery(query);
  if (typeof q === 'string') {
    problem(res, 400, 'Bad Request', q);
    return true;
  }
  const valid = status.valid(communityId, q.jti, q.exp);
  if (valid === undefined) return false;
  res.writeHead(200, valid ? VALID_HEADERS : INVALID_HEADERS);
  res.end(req.method === 'HEAD' ? undefined : valid ? CERTIFICATION_STATUS_BODIES.valid : CERTIFICATION_STATUS_BODIES.invalid);
  return true;
}

/** A directory answer: the Bundle or resource as a published object, or its OperationOutcome uncached. */
function serveDirectoryAnswer(req: IncomingMessage, res: ServerResponse, answer: DirectoryAnswer, clock: Clock): void {
  if (answer.status === 200) serve(req, res, answer.object, clock);
  else fhirError(req, res, answer.status, answer.object);
}

/**
 * Answers GET of a test kit's index or file (read through TestKitPublication, held briefly); a software
 * statement asked for with ?aud= is signed now with the case's known key and never cached.
 */
function serveTestKit(req: IncomingMessage, res: ServerResponse, kits: TestKitPublication, communityId: string, path: string, query: string, clock: Clock): void {
  kits.answer(communityId, path, query).then((a) => {
    if (a.status !== 200) return problem(res, a.status, a.status === 404 ? 'Not Found' : 'Bad Request', a.detail);
    if ('object' in a) return serve(req, res, a.object, clock);
    const body = Buffer.from(a.jwt);
    res.writeHead(200, { 'Content-Type': 'application/jwt', 'Content-Length': body.length, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }, (err: Error) => {
    console.error(`test kit of ${communityId} not served: ${err.message}`);
    if (!res.headersSent) problem(res, 503, 'Service Unavailable', 'the test kit cannot be read now');
    else res.destroy();
  });
}

/** Answers the routes under /pki/communities/{id}/ held in memory apart from the repository; false when `path` is none of them. */
function serveCommunityRoute(
  req: IncomingMessage, res: ServerResponse, path: string, query: string, clock: Clock,
  directory: CommunityDirectory | null, certifications: CertificationStatusIndex | null, testKits: TestKitPublication | null,
): boolean {
  const kit = testKits && TEST_KIT.exec(path);
  if (kit) {
    serveTestKit(req, res, testKits, kit[1], kit[2] ?? '', query, clock);
    return true;
  }
  const st = certifications && CERTIFICATION_STATUS.exec(path);
  if (st) {
    if (!serveCertificationStatus(req, res, certifications, st[1], query)) problem(res, 404, 'Not Found', `no community ${st[1]}`);
    return true;
  }
  if (!directory) return false;
  const dir = DIRECTORY.exec(path);
  if (dir) {
    serveDirectoryAnswer(req, res, directory.search(dir[1], new URLSearchParams(query)), clock);
    return true;
  }
  const read = DIRECTORY_READ.exec(path);
  if (read) {
    serveDirectoryAnswer(req, res, directory.read(read[1], read[2] as DirectoryResourceType, read[3]), clock);
    return true;
  }
  const doc = COMMUNITY_DOCUMENT.exec(path);
  const obj = doc && directory.communityDocument(doc[1]);
  if (!obj) return false;
  serve(req, res, obj, clock);
  return true;
}

/**
 * The public repository relying servers fetch anonymously (UDAP profile: DER over plain HTTP,
 * no redirects): served from memory with ETag, Last-Modified, conditional GET answered 304, and
 * Cache-Control whose max-age never reaches past a CRL's nextUpdate. A plain function on the raw
 * HTTP server, outside the framework, because relying servers fetch at high rates. With a
 * `directory`, also each community's community.json and FHIR directory (docs/directory.md); with
 * `certifications`, each community's certification status endpoint (docs/certifications.md); with
 * `testKits`, each community's test kit (docs/test-certificates.md).
 * Returns false when the path is not under /pki/.
 */
export function createPkiHandler(
  repo: PublicRepository, clock: Clock, directory: CommunityDirectory | null = null, certifications: CertificationStatusIndex | null = null,
  testKits: TestKitPublication | null = null,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith('/pki/')) return false;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      problem(res, 405, 'Method Not Allowed', 'the public repository is read-only');
      return true;
    }
    // only paths under /pki/communities/ are tested against the community routes: CRL fetches skip them
    if (path.startsWith('/pki/communities/') && serveCommunityRoute(req, res, path, q < 0 ? '' : url.slice(q + 1), clock, directory, certifications, testKits)) return true;
    for (const route of ROUTES) {
      const m = route.re.exec(path);
      if (!m) continue;
      const obj = route.get(repo, m[1]);
      if (!obj) break;
      serve(req, res, obj, clock);
      return true;
    }
    problem(res, 404, 'Not Found', `nothing is published at ${path}`);
    return true;
  };
}
