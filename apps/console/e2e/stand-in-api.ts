// A tiny stand-in for the API process: serves the built console at / and answers the admin routes
// the console calls with fixed fixtures, in the API's dialect (Content-Range lists, problem+json errors).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import * as fx from './fixtures';

/** The only operator API token the stand-in accepts. */
export const TEST_TOKEN = 'anc_test';

/** One admin request the stand-in received (for assertions on what the console sent). */
export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** A running stand-in. */
export interface StandIn {
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

const problem = (status: number, title: string, detail: string, code?: string): Reply => ({
  status, body: { type: code ? `https://anchorage.dev/problems/${code}` : 'about:blank', title, status, detail, ...(code ? { code } : {}) },
});

function list<T>(resource: string, all: T[], query: URLSearchParams, keep: (item: T, f: Record<string, string>) => boolean): Reply {
  const [first, last] = JSON.parse(query.get('range') ?? '[0,24]') as [number, number];
  const items = all.filter((i) => keep(i, JSON.parse(query.get('filter') ?? '{}')));
  const page = items.slice(first, last + 1);
  return { status: 200, body: page, headers: { 'Content-Range': `${resource} ${first}-${first + Math.max(page.length - 1, 0)}/${items.length}` } };
}

const one = <T extends { id: string }>(what: string, all: T[], id: string, extra: (t: T) => object = () => ({})): Reply => {
  const hit = all.find((x) => x.id === id);
  return hit ? { status: 200, body: { ...hit, ...extra(hit) } } : problem(404, 'Not Found', `${what} ${id} not found`, 'not-found');
};

function route(method: string, path: string, query: URLSearchParams): Reply {
  const p = path.replace(/^\/api\/v1/, '').split('/').filter(Boolean);
  const [res, id, verb] = p;
  if (method === 'GET' && res === 'communities') {
    return id ? one('community', fx.communities, id, () => ({ cas: fx.cas })) : list('communities', fx.communities, query, () => true);
  }
  if (method === 'GET' && res === 'organizations') {
    return id ? one('organization', fx.organizations, id) : list('organizations', fx.organizations, query, (o, f) => !f.communityId || o.communityId === f.communityId);
  }
  if (method === 'GET' && res === 'certificates' && !verb) {
    if (id) return one('certificate', fx.certificates, id);
    return list('certificates', fx.certificates, query, (c, f) =>
      (!f.status || c.status === f.status) && (!f.serial || c.serial === f.serial.toLowerCase()) && (!f.organizationId || c.organizationId === f.organizationId)
      && (!f.issuerId || c.issuerId === f.issuerId) && (!f.san || c.sanUris.includes(f.san)));
  }
  if (method === 'POST' && res === 'certificates' && verb === 'revoke') {
    const c = fx.certificates.find((x) => x.id === id);
    if (!c) return problem(404, 'Not Found', `certificate ${id} not found`, 'not-found');
    if (c.serial === '0a1b') return problem(409, 'Conflict', 'certificate 0a1b is already revoked', 'already-revoked');
    return { status: 200, body: { certificate: { ...c, status: 'revoked' }, crl: fx.crl } };
  }
  if (method === 'POST' && res === 'certificates' && verb === 'release-hold') {
    const c = fx.certificates.find((x) => x.id === id);
    if (!c || c.status !== 'on-hold') return problem(409, 'Conflict', `certificate ${id} is not on hold`, 'not-revoked');
    return { status: 200, body: { certificate: { ...c, status: 'issued', revokedAt: null, revocationReason: null }, crl: fx.crl } };
  }
  if (method === 'GET' && res === 'cas' && id && !verb) return one('CA', fx.cas, id);
  if (method === 'GET' && res === 'cas' && verb === 'crls') return list('crls', [fx.crl].filter((c) => c.caId === id), query, () => true);
  return problem(404, 'Not Found', `no route for ${method} ${path}`);
}

function serveStatic(dist: string, path: string, res: ServerResponse): void {
  const file = normalize(join(dist, decodeURIComponent(path)));
  const target = file.startsWith(dist + sep) && existsSync(file) && statSync(file).isFile() ? file : join(dist, 'index.html');
  res.writeHead(200, { 'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream' });
  createReadStream(target).pipe(res);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** Starts the stand-in on 127.0.0.1 with an ephemeral port, serving the console build in `dist`. */
export async function startStandIn(dist: string): Promise<StandIn> {
  const calls: RecordedCall[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (!url.pathname.startsWith('/api/')) return serveStatic(dist, url.pathname, res);
    void readBody(req).then((body) => {
      const auth = req.headers.authorization === `Bearer ${TEST_TOKEN}`;
      if (auth) calls.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body });
      const reply = auth
        ? route(req.method ?? 'GET', url.pathname, url.searchParams)
        : problem(401, 'Unauthorized', 'a valid operator API token is required (Authorization: Bearer <token>)');
      const type = reply.status >= 400 ? 'application/problem+json' : 'application/json';
      res.writeHead(reply.status, { 'Content-Type': type, ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
