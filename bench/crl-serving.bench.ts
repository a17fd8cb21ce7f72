// Benchmark 5: CRL GETs per second from the real server (startServer: raw /pki handler in front of
// Nest) against a bare node:http server answering the same bytes and headers, plain (200) and
// conditional (If-None-Match -> 304). Load: a separate process, keep-alive, 32 connections.
// The community document and the FHIR directory (a searchset Bundle, whole and searched by name) are
// served the same way and measured the same way, and so is a certification's status
// (/certifications/status?jti=&exp=, {"valid":true}; no ETag, so 200 only). Target (issues): >= 0.8 x
// the bare server.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateCrl, issueCertificate, type Platform } from '@anchorage/authority';
import { startServer, type RunningServer } from '../apps/api/src/server';
import { makeCsrs } from './lib/csr';
import { createBenchDatabase, insertRevoked } from './lib/db';
import { QUICK } from './lib/env';
import { runLoad, type LoadResult } from './lib/load';
import { benchCommunity, benchPlatformOptions, OPERATOR, openPlatform, removeBenchDir } from './lib/platform';
import { Report } from './lib/report';
import { fmt, median } from './lib/stats';

const REQUESTS = QUICK ? 5_000 : 20_000;
const WARMUP = QUICK ? 500 : 2_000;
const ROUNDS = QUICK ? 3 : 5;
const CONCURRENCY = 32;
const ENTRIES = 1_000;
const TARGET = 0.8;

/** The headers the real server sent with a CRL, to be replayed by the bare server. */
function replayable(h: Headers): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name of ['etag', 'last-modified', 'cache-control', 'expires', 'content-type']) {
    const v = h.get(name);
    if (v !== null) out[name] = v;
  }
  return out;
}

/** A bare node:http server answering every request with `body` (or 304 when If-None-Match matches). */
async function bareServer(objects: Map<string, { body: Buffer; headers: OutgoingHttpHeaders }>): Promise<Server> {
  const server = createServer((req, res) => {
    const obj = objects.get(req.url ?? '');
    if (!obj) {
      res.writeHead(404);
      res.end();
      return;
    }
    const inm = (req.headers as IncomingHttpHeaders)['if-none-match'];
    if (inm !== undefined && inm === obj.headers.etag) {
      const { 'content-type': _type, ...rest } = obj.headers;
      res.writeHead(304, rest);
      res.end();
      return;
    }
    res.writeHead(200, { ...obj.headers, 'content-length': obj.body.length });
    res.end(obj.body);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

async function main(): Promise<void> {
  const report = new Report('5 CRL serving');
  const db = await createBenchDatabase('serve');
  const opts = benchPlatformOptions(db.url);
  let p: Platform | null = null;
  let srv: RunningServer | null = null;
  let bare: Server | null = null;
  try {
    p = await openPlatform(opts);
    const c = await benchCommunity(p, 'serve', 'RSA-2048');
    await insertRevoked(db.url, c.issuing.id, c.organizationId, ENTRIES);
    await generateCrl(p, c.issuing.id, OPERATOR);
    // a certification of the community's app, as recorded (the serving path only reads the record): valid
    const client = await issueCertificate(p, { organizationId: c.organizationId, profile: 'udap-client', csr: (await makeCsrs(1, c.sanUri, 1))[0] }, OPERATOR);
    const audit = { at: new Date(), actor: OPERATOR.id, action: 'bench', subjectType: 'bench', subjectId: randomUUID(), data: {} };
    const template = await p.db.certifications.createTemplate({
      id: randomUUID(), communityId: c.community.id, name: 'Bench certification', uris: ['https://bench.example.org/cert'], logoUri: null, description: null,
      grantTypes: ['client_credentials'], scopes: [], responseTypes: [], exchangePurposes: [], isEndorsement: false, createdBy: OPERATOR.id,
    }, audit);
    const jti = randomUUID();
    const exp = Math.floor(Date.now() / 1000) + 86_400;
    await p.db.certifications.create({
      id: randomUUID(), communityId: c.community.id, templateId: template.id, jti, iss: c.sanUri, sub: c.sanUri, organizationId: c.organizationId,
      certifierCertificateId: client.certificate.id, certifierSerial: client.certificate.serial, certifierOrganizationId: c.organizationId,
      iat: new Date(), exp: new Date(exp * 1000), jwt: 'e30.e30.c2ln', createdBy: OPERATOR.id,
    }, audit);
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false });
    const realPort = Number(new URL(srv.url).port);

    const served = [
      { label: 'empty CRL (root CA)', path: `/pki/crl/${c.root.id}.crl` },
      { label: `${fmt(ENTRIES)}-entry CRL (issuing CA)`, path: `/pki/crl/${c.issuing.id}.crl` },
      { label: 'community.json', path: `/pki/communities/${c.community.id}/community.json` },
      { label: 'FHIR directory', path: `/pki/communities/${c.community.id}/directory` },
      { label: 'FHIR directory ?name=', path: `/pki/communities/${c.community.id}/directory?name=bench` },
      { label: 'certification status', path: `/pki/communities/${c.community.id}/certifications/status?jti=${jti}&exp=${exp}`, noEtag: true },
    ];
    const objects = new Map<string, { body: Buffer; headers: OutgoingHttpHeaders }>();
    for (const crl of served) {
      const res = await fetch(`${srv.url}${crl.path}`);
      if (res.status !== 200) throw new Error(`GET ${crl.path} answered ${res.status}`);
      objects.set(crl.path, { body: Buffer.from(await res.arrayBuffer()), headers: replayable(res.headers) });
      if (crl.noEtag && objects.get(crl.path)!.body.toString() !== '{"valid":true}') throw new Error(`GET ${crl.path} did not answer valid`);
    }
    bare = await bareServer(objects);
    const barePort = (bare.address() as AddressInfo).port;
    console.log(`bench 5: real server ${srv.url}, bare server http://127.0.0.1:${barePort}; ${REQUESTS} requests x ${ROUNDS} rounds, ${CONCURRENCY} connections`);

    const load = async (port: number, path: string, conditional: boolean): Promise<LoadResult> => {
      const obj = objects.get(path)!;
      const r = await runLoad({
        mode: 'get', host: '127.0.0.1', port, path, concurrency: CONCURRENCY, requests: REQUESTS, warmup: WARMUP, timeoutMs: 120_000,
        headers: conditional ? { 'If-None-Match': String(obj.headers.etag) } : {},
      });
      const want = conditional ? '304' : '200';
      if (r.statuses[want] !== REQUESTS) throw new Error(`expected ${REQUESTS} answers ${want} from port ${port}, got ${JSON.stringify(r.statuses)}`);
      if (!conditional && r.bytes !== REQUESTS * obj.body.length) throw new Error(`expected ${REQUESTS * obj.body.length} body bytes, got ${r.bytes}`);
      return r;
    };

    for (const crl of served) {
      for (const conditional of crl.noEtag ? [false] : [false, true]) {
        const real: number[] = [];
        const base: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          // alternate which server goes first, so drift on a shared machine does not favour one
          if (round % 2 === 0) {
            real.push((await load(realPort, crl.path, conditional)).rps);
            base.push((await load(barePort, crl.path, conditional)).rps);
          } else {
            base.push((await load(barePort, crl.path, conditional)).rps);
            real.push((await load(realPort, crl.path, conditional)).rps);
          }
        }
        // paired rounds: the ratio of each round, then the median, resists drift and bursts of other load
        const ratio = median(real.map((r, i) => r / base[i]));
        const rps = median(real);
        const bareRps = median(base);
        const size = objects.get(crl.path)!.body.length;
        console.log(`bench 5: ${crl.label} ${conditional ? '304' : '200'}: real ${real.map((x) => fmt(x)).join(', ')} /s; bare ${base.map((x) => fmt(x)).join(', ')} /s`);
        report.add({
          figure: `GET ${crl.label}, ${conditional ? 'If-None-Match -> 304' : `200 (${fmt(size / 1024)} KB)`}`,
          value: `${fmt(rps)} req/s`, baseline: `${fmt(bareRps)} req/s bare node:http`, ratio, target: { op: '>=', limit: TARGET },
          note: crl === served[0] && !conditional
            ? `${REQUESTS} requests after ${WARMUP} warm-up per run, ${CONCURRENCY} keep-alive connections from a separate process (raw HTTP/1.1 client); ${ROUNDS} rounds alternating which server goes first; figures are medians, the ratio is the median of the per-round ratios. Both servers run in the same process, one at a time.`
            : undefined,
        });
      }
    }
  } finally {
    if (bare) await new Promise<void>((r) => bare!.close(() => r()));
    bare?.closeAllConnections();
    await srv?.close();
    await p?.close();
    await db.drop();
    removeBenchDir(opts);
  }
  report.finish(5);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
