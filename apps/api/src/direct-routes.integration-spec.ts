import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { createApiToken, createCommunity, createOrganization, openPlatform, type Platform } from '@anchorage/authority';
import { opensslCsr, opensslVerify, tempDir, testPlatformOptions } from '@anchorage/testing';
import { AccessGuard } from './http/access';
import { startServer, type RunningServer } from './server';

interface Answer { status: number; headers: Record<string, string | undefined>; body: string }

/** One raw request (exact bytes and headers, which fetch would normalize). */
function send(url: string, o: { path?: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method: 'POST', path: o.path ?? '/api/v1/certificates', headers: o.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const pick = ['content-type', 'cache-control', 'content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy', 'etag', 'x-powered-by'];
        resolve({ status: res.statusCode!, headers: Object.fromEntries(pick.map((h) => [h, res.headers[h] as string | undefined])), body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

// POST /api/v1/certificates is served straight from node:http (http/direct-routes.ts). The same
// requests sent to a server that routes it through Express and Nest must get the same answers: status,
// headers, and problem documents byte for byte; issued certificates of the same shape, which OpenSSL
// verifies.
describe('the direct issuance route answers exactly as Express and Nest do', () => {
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-direct-');
  let p: Platform;
  let p2: Platform;
  let direct: RunningServer;
  let nest: RunningServer;
  let token = '';
  let orgId = '';
  let san = '';
  let chain: { root: Uint8Array; issuing: Uint8Array; rootId: string; issuingId: string };

  beforeAll(async () => {
    p = await openPlatform(opts);
    token = (await createApiToken(p, 'direct', { id: 'test', role: 'operator' })).token;
    const host = `direct-${randomUUID().slice(0, 8)}.example.org`;
    san = `https://${host}/fhir`;
    const c = await createCommunity(p, { name: 'Direct', uri: `udap://${host}/`, caKeyType: 'RSA-2048', policy: { allowedLeafKeyTypes: ['RSA-2048'] } }, { id: 'test', role: 'operator' });
    chain = { root: c.root.certificateDer!, issuing: c.issuing.certificateDer!, rootId: c.root.id, issuingId: c.issuing.id };
    orgId = (await createOrganization(p, { communityId: c.community.id, name: 'Direct Clinic', sanUris: [san] }, { id: 'test', role: 'operator' })).id;
    direct = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
    // a platform of its own, as another API process would have (each server keeps its listening connections)
    p2 = await openPlatform(opts);
    nest = await startServer(p2, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true, directRoutes: false });
  }, 120_000);
  afterAll(async () => {
    await direct?.close();
    await nest?.close();
    await p2?.close();
    await p?.close();
  });

  const json = { 'content-type': 'application/json' };
  const authed = (extra: Record<string, string> = json) => ({ authorization: `Bearer ${token}`, ...extra });
  const csr = () => opensslCsr(dir, { rsaBits: 2048, sans: [san] }).csrPem;

  it('refuses bad requests with the same problem documents and headers', async () => {
    const cases: [string, { path?: string; headers?: Record<string, string>; body?: Buffer | string }][] = [
      ['no credentials', { headers: json, body: JSON.stringify({ organizationId: orgId, profile: 'udap-server', csr: csr() }) }],
      ['an unknown token', { headers: { ...json, authorization: 'Bearer anc_unknown' }, body: '{}' }],
      ['malformed JSON', { headers: authed(), body: '{"organizationId": ' }],
      ['a JSON string, not an object', { headers: authed(), body: '"x"' }],
      ['a JSON array', { headers: authed(), body: '[1]' }],
      ['an empty body', { headers: authed(), body: '' }],
      ['bytes that are not UTF-8', { headers: authed(), body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) }],
      ['a NUL in a string', { headers: authed(), body: JSON.stringify({ organizationId: orgId, profile: 'udap-server', csr: 'a\u0000b' }) }],
      ['a __proto__ key', { headers: authed(), body: '{"__proto__": {"x": 1}, "organizationId": "x"}' }],
      ['missing fields', { headers: authed(), body: JSON.stringify({ profile: 'udap-server' }) }],
      ['both csr and csrDerBase64', { headers: authed(), body: JSON.stringify({ organizationId: orgId, profile: 'udap-server', csr: csr(), csrDerBase64: 'AAAA' }) }],
      ['an unknown profile', { headers: authed(), body: JSON.stringify({ organizationId: orgId, profile: 'udap-nonsense', csr: csr() }) }],
      ['an unknown organization', { headers: authed(), body: JSON.stringify({ organizationId: randomUUID(), profile: 'udap-server', csr: csr() }) }],
      ['a CSR that is not one', { headers: authed(), body: JSON.stringify({ organizationId: orgId, profile: 'udap-server', csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n' }) }],
      ['a SAN the organization does not hold', { headers: authed(), body: JSON.stringify({ organizationId: orgId, profile: 'udap-server', csr: csr(), sanUris: ['https://elsewhere.example.org/fhir'] }) }],
      ['a body over 256 KiB', { headers: authed(), body: JSON.stringify({ organizationId: orgId, profile: 'udap-server', csr: 'x'.repeat(300 * 1024) }) }],
      ['a query string', { path: '/api/v1/certificates?x=1', headers: authed(), body: '{}' }],
      ['a charset that is not UTF-8', { headers: authed({ 'content-type': 'application/json; charset=latin1' }), body: '{}' }],
      ['a content type that is not JSON', { headers: authed({ 'content-type': 'text/plain' }), body: '{}' }],
      ['a charset parameter in UTF-8', { headers: authed({ 'content-type': 'application/json; charset=UTF-8' }), body: JSON.stringify({ profile: 'udap-server' }) }],
    ];
    // the server with direct routes answers the plain ones itself: Nest's guard runs only for the two it
    // leaves to Express and Nest that get as far as the guard (a query string, a content type not JSON)
    const guard = jest.spyOn(AccessGuard.prototype, 'canActivate');
    const viaDirect: Answer[] = [];
    try {
      for (const [, req] of cases) viaDirect.push(await send(direct.url, req));
      expect(guard).toHaveBeenCalledTimes(2);
    } finally {
      guard.mockRestore();
    }
    for (const [i, [what, req]] of cases.entries()) {
      const [a, b] = [viaDirect[i], await send(nest.url, req)];
      expect(`${what}: ${a.status}`).toBe(`${what}: ${b.status}`);
      expect(a.status).toBeGreaterThanOrEqual(400);
      expect(a.status).toBeLessThan(500);
      expect({ what, ...a.headers }).toEqual({ what, ...b.headers });
      expect({ what, body: JSON.parse(a.body) }).toEqual({ what, body: JSON.parse(b.body) });
    }
  });

  it('issues the same certificates (201, then 200 for a repeated requestId), which OpenSSL verifies', async () => {
    const guard = jest.spyOn(AccessGuard.prototype, 'canActivate');
    try {
      const answers: Answer[] = [];
      for (const srv of [direct, nest]) {
        const body = JSON.stringify({ organizationId: orgId, profile: 'udap-server', csr: csr(), requestId: `direct-${randomUUID()}` });
        answers.push(await send(srv.url, { headers: authed(), body }), await send(srv.url, { headers: authed(), body }));
      }
      expect(guard).toHaveBeenCalledTimes(2); // only the two requests of the server without direct routes
      const [d1, d2, n1, n2] = answers;
      expect([d1.status, d2.status, n1.status, n2.status]).toEqual([201, 200, 201, 200]);
      expect(d1.headers).toEqual(n1.headers);
      expect(d2.body).toBe(d1.body);
      const [dv, nv] = [JSON.parse(d1.body), JSON.parse(n1.body)];
      expect(Object.keys(dv).sort()).toEqual(Object.keys(nv).sort());
      expect({ ...dv, id: 0, serial: 0, pem: 0, chainPem: 0, derBase64: 0, x5c: 0, notBefore: 0, notAfter: 0 }).toEqual({ ...nv, id: 0, serial: 0, pem: 0, chainPem: 0, derBase64: 0, x5c: 0, notBefore: 0, notAfter: 0 });
      const crlOf = async (caId: string) => new Uint8Array(await (await fetch(`${direct.url}/pki/crl/${caId}.crl`)).arrayBuffer());
      const crls = [await crlOf(chain.rootId), await crlOf(chain.issuingId)];
      for (const v of [dv, nv]) {
        const leaf = new Uint8Array(Buffer.from(v.derBase64, 'base64'));
        expect(opensslVerify(dir, { anchors: [chain.root], intermediates: [chain.issuing], crls, leaf }).status).toBe(0);
        expect(opensslVerify(dir, { anchors: [chain.issuing], crls, leaf }).status).not.toBe(0); // the issuing CA is no anchor
      }
    } finally {
      guard.mockRestore();
    }
  });
});
