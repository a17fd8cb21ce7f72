import { createApiToken, linkAuditChain, openPlatform, type Platform } from '@anchorage/authority';
import type { CaView, CertificateView, CommunityView, CrlView, EndedCaView, OrganizationView } from '@anchorage/contracts';
import { FakeClock, openssl, opensslCsr, tempDir, testPlatformOptions, writePem } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

describe('API over HTTP (real PostgreSQL, OpenSSL checks)', () => {
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-api-');
  const host = `api${Date.now().toString(36)}.example.org`;

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { res, status: res.status, type: res.headers.get('content-type') ?? '', json: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
  };

  beforeAll(async () => {
    p = await openPlatform(opts);
    token = (await createApiToken(p, 'api-test', { id: 'test', role: 'operator' })).token;
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('answers every error with an RFC 7807 problem document', async () => {
    const anon = await fetch(`${srv.url}/api/v1/communities`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await anon.json()).detail).toMatch(/API token/);
    const badJson = await call('POST', '/api/v1/communities', '{not json');
    expect(badJson.status).toBe(400);
    expect(badJson.type).toMatch(/problem\+json/);
    const huge = await call('POST', '/api/v1/certificates', { csr: 'x'.repeat(400_000) });
    expect(huge.status).toBe(413);
    expect(huge.type).toMatch(/problem\+json/);
    const nowhere = await call('GET', '/api/v1/nowhere');
    expect(nowhere.status).toBe(404);
    expect(nowhere.type).toMatch(/problem\+json/);
    const invalid = await call('POST', '/api/v1/communities', { name: '', uri: 'UDAP://Example.org/' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'uri']));
    expect(JSON.stringify(invalid.json)).toContain('udap://example.org/');
    const badId = await call('GET', '/api/v1/certificates/not-a-uuid');
    expect(badId.status).toBe(400);
  });

  it('runs the core flow: community, organization, issuance, public repository, revocation', async () => {
    const created = await call('POST', '/api/v1/communities', { name: 'API Test', uri: `udap://${host}/`, caKeyType: 'RSA-2048' });
    expect(created.status).toBe(201);
    const community = created.json as CommunityView & { cas: CaView[] };
    expect(JSON.stringify(community)).not.toMatch(/PRIVATE KEY|keyRef|soft:/);
    const issuingId = community.issuingCaId!;
    const rootId = community.rootCaId!;

    const list = await call('GET', '/api/v1/communities?range=[0,0]');
    expect(list.res.headers.get('content-range')).toMatch(/^communities 0-0\/\d+$/);

    const org = (await call('POST', '/api/v1/organizations', { communityId: community.id, name: 'API Clinic', sanUris: [`https://${host}/fhir`] })).json as OrganizationView;
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [`https://${host}/fhir`] });
    const issued = await call('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-server', csr: csr.csrPem, requestId: 'api-1' });
    expect(issued.status).toBe(201);
    const cert = issued.json as CertificateView;
    expect(cert.x5c).toHaveLength(2);
    expect(cert.chainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const again = await call('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-server', csr: csr.csrPem, requestId: 'api-1' });
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(cert.id);

    // public repository: anonymous, DER, cache headers, conditional GET
    const crlRes = await fetch(`${srv.url}/pki/crl/${issuingId}.crl`);
    expect(crlRes.status).toBe(200);
    expect(crlRes.headers.get('content-type')).toBe('application/pkix-crl');
    const etag = crlRes.headers.get('etag')!;
    const maxAge = Number(/max-age=(\d+)/.exec(crlRes.headers.get('cache-control')!)![1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(7 * 86400);
    const crl1 = Buffer.from(await crlRes.arrayBuffer());
    const issuingPem = writePem(dir, 'issuing.pem', [Buffer.from(cert.x5c[1], 'base64')]);
    const verified = openssl(['crl', '-in', writePem(dir, 'api.crl.pem', [crl1], 'X509 CRL'), '-CAfile', issuingPem, '-verify', '-noout']);
    expect(verified.stdout + verified.stderr).toMatch(/verify OK/);
    expect((await fetch(`${srv.url}/pki/crl/${issuingId}.crl`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const caRes = await fetch(`${srv.url}/pki/ca/${rootId}.cer`);
    expect(caRes.headers.get('content-type')).toBe('application/pkix-cert');
    const bundle = await (await fetch(`${srv.url}/pki/communities/${community.id}/trust-bundle.pem`)).text();
    expect(bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect((await fetch(`${srv.url}/pki/crl/00000000-0000-0000-0000-000000000000.crl`)).status).toBe(404);
    expect((await fetch(`${srv.url}/pki/crl/${issuingId}.crl`, { method: 'POST' })).status).toBe(405);
    // the publish directory is the worker's job: each new CRL queued its publication (outbox)
    const latest = (await p.db.crls.latest(issuingId, false))!;
    expect(await p.db.outboxRelay.find(`crl-publish.${issuingId}.${latest.crlNumber}`)).toMatchObject({ queue: 'anchorage-publish', payload: { caId: issuingId } });

    // revoke by serial: when the call returns, the served CRL lists the serial
    const revoked = await call('POST', `/api/v1/cas/${issuingId}/certificates/${cert.serial}/revoke`, { reason: 'keyCompromise' });
    expect(revoked.status).toBe(200);
    expect((revoked.json.crl as CrlView).entryCount).toBe(1);
    const crl2 = Buffer.from(await (await fetch(`${srv.url}/pki/crl/${issuingId}.crl`)).arrayBuffer());
    const text = openssl(['crl', '-inform', 'DER', '-noout', '-text'], crl2).stdout;
    expect(text.toUpperCase()).toContain(cert.serial.toUpperCase());
    expect(await p.db.outboxRelay.find(`crl-publish.${issuingId}.${(revoked.json.crl as CrlView).crlNumber}`)).not.toBeNull();
    const twice = await call('POST', `/api/v1/certificates/${cert.id}/revoke`, { reason: 'keyCompromise' });
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('already-revoked');
    const unknownReason = await call('POST', `/api/v1/certificates/${cert.id}/revoke`, { reason: 'becauseISaidSo' });
    expect(unknownReason.status).toBe(400);
    expect(unknownReason.json.detail).toMatch(/unknown revocation reason/);

    const badCsr = await call('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-server', csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n' });
    expect(badCsr.status).toBe(400);
    expect(badCsr.json.code).toBe('bad-csr');

    const byFilter = await call('GET', `/api/v1/certificates?filter=${encodeURIComponent(JSON.stringify({ serial: cert.serial }))}`);
    expect(byFilter.json.map((x: CertificateView) => x.id)).toEqual([cert.id]);
    await linkAuditChain(p); // as the worker's sequencer would
    const audit = await call('GET', '/api/v1/audit/verify');
    expect(audit.json.ok).toBe(true);
  });

  it('publishes its OpenAPI document', async () => {
    const res = await fetch(`${srv.url}/api/docs/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/communities', '/api/v1/certificates', '/api/v1/certificates/{id}/revoke']));
  });
});

// RFC 9110 §13.1.3 and §13.2.2: a 304 only ever stands for the bytes the client holds. The clock is
// frozen on a whole second and moved by hand, so "two versions within one second" is certain.
describe('public repository conditional GET (FakeClock, real PostgreSQL, OpenSSL checks)', () => {
  const clock = new FakeClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  const dir = tempDir('anchorage-conditional-');
  const host = `cond${Date.now().toString(36)}.example.org`;
  let p: Platform;
  let srv: RunningServer;
  let token: string;

  const post = async <T>(path: string, body: unknown = {}): Promise<T> => {
    const res = await fetch(`${srv.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${srv.url}${path}`, { headers });
    return { status: res.status, etag: res.headers.get('etag')!, lastModified: res.headers.get('last-modified')!, body: Buffer.from(await res.arrayBuffer()) };
  };
  /** `openssl crl -verify` of a served CRL against the served certificate of its CA. */
  const verifyCrl = async (caId: string, crl: Buffer, name: string): Promise<string> => {
    const caDer = (await get(`/pki/ca/${caId}.cer`)).body;
    const out = openssl(['crl', '-in', writePem(dir, `${name}.pem`, [crl], 'X509 CRL'), '-CAfile', writePem(dir, `${name}-ca.pem`, [caDer]), '-verify', '-noout', '-crlnumber']);
    expect(out.stdout + out.stderr).toMatch(/verify OK/);
    return /crlNumber=(?:0x)?([0-9A-F]+)/i.exec(out.stdout)![1];
  };

  beforeAll(async () => {
    p = await openPlatform({ ...testPlatformOptions(), clock });
    token = (await createApiToken(p, 'conditional-test', { id: 'test', role: 'operator' })).token;
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('answers 200 with the new CRL to a client holding an older CRL of the same second, and 304 only for unchanged bytes', async () => {
    clock.advance(1000 - (clock.now().getTime() % 1000)); // on a whole second: the first CRL's date is exactly its time
    const community = await post<CommunityView>('/api/v1/communities', { name: 'Conditional CRL', uri: `udap://crl.${host}/`, caKeyType: 'RSA-2048' });
    const caId = community.issuingCaId!;
    const path = `/pki/crl/${caId}.crl`;
    const first = await get(path);
    expect(first.status).toBe(200);
    const firstNumber = await verifyCrl(caId, first.body, 'first');
    // unchanged: both validators answer 304
    expect((await get(path, { 'if-none-match': first.etag })).status).toBe(304);
    expect((await get(path, { 'if-modified-since': first.lastModified })).status).toBe(304);
    // If-None-Match compares weakly (RFC 9110 §13.1.2): a W/ prefix or a list still matches
    expect((await get(path, { 'if-none-match': `"other", W/${first.etag}` })).status).toBe(304);

    // a second CRL 400 ms later: the same second, so the same thisUpdate and an HTTP date that cannot tell them apart
    clock.advance(400);
    await post<CrlView>(`/api/v1/cas/${caId}/crl`);
    const byDate = await get(path, { 'if-modified-since': first.lastModified });
    expect(byDate.status).toBe(200);
    expect(byDate.etag).not.toBe(first.etag);
    expect(BigInt(`0x${await verifyCrl(caId, byDate.body, 'second')}`)).toBe(BigInt(`0x${firstNumber}`) + 1n);
    const byTag = await get(path, { 'if-none-match': first.etag });
    expect(byTag.status).toBe(200);
    expect(byTag.body.equals(byDate.body)).toBe(true);
    await verifyCrl(caId, byTag.body, 'second-by-tag');
    // If-None-Match decides when both are sent (RFC 9110 §13.2.2), whatever the date says
    const both = await get(path, { 'if-none-match': first.etag, 'if-modified-since': new Date(clock.now().getTime() + 60_000).toUTCString() });
    expect(both.status).toBe(200);
    await verifyCrl(caId, both.body, 'second-both');
    expect((await get(path, { 'if-none-match': byDate.etag, 'if-modified-since': first.lastModified })).status).toBe(304);
    // within that second the date still names two CRLs, so it never earns a 304 ...
    expect(byDate.lastModified).toBe(first.lastModified);
    const sameSecond = await get(path, { 'if-modified-since': byDate.lastModified });
    expect(sameSecond.status).toBe(200);
    await verifyCrl(caId, sameSecond.body, 'second-same-second');
    // ... and from the next second on the CRL carries a date only it has, which does
    clock.advance(1000);
    const settled = await get(path);
    expect(settled.etag).toBe(byDate.etag);
    await verifyCrl(caId, settled.body, 'second-settled');
    expect(Date.parse(settled.lastModified)).toBeGreaterThan(Date.parse(first.lastModified));
    expect((await get(path, { 'if-modified-since': settled.lastModified })).status).toBe(304);
    expect((await get(path, { 'if-none-match': settled.etag })).status).toBe(304);
    expect((await get(path, { 'if-modified-since': first.lastModified })).status).toBe(200);
  });

  it('changes the trust bundle\'s validators when a CA leaves it, and keeps those of what did not change', async () => {
    const community = await post<CommunityView>('/api/v1/communities', { name: 'Conditional Bundle', uri: `udap://bundle.${host}/`, caKeyType: 'RSA-2048' });
    const bundlePath = `/pki/communities/${community.id}/trust-bundle.pem`;
    const caPath = `/pki/ca/${community.issuingCaId}.cer`;
    // the bundle changed twice while the community was made (root, then issuing CA); a second on, its date is its own
    clock.advance(1000);
    const before = await get(bundlePath);
    expect(before.body.toString().match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect((await get(bundlePath, { 'if-none-match': before.etag })).status).toBe(304);
    expect((await get(bundlePath, { 'if-modified-since': before.lastModified })).status).toBe(304);
    const caBefore = await get(caPath);

    clock.advance(300);
    const ended = await post<EndedCaView>(`/api/v1/cas/${community.issuingCaId}/retire`, { reason: 'conditional GET test' });
    expect(ended.ca.status).toBe('retired');
    const stale: Record<string, string>[] = [{ 'if-modified-since': before.lastModified }, { 'if-none-match': before.etag }];
    for (const validator of stale) {
      const after = await get(bundlePath, validator);
      expect(after.status).toBe(200);
      expect(after.etag).not.toBe(before.etag);
      expect(after.body.toString().match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    }
    // the root's CRL now lists the retired CA
    const rootCrl = await get(`/pki/crl/${community.rootCaId}.crl`);
    await verifyCrl(community.rootCaId!, rootCrl.body, 'root-after-retire');
    // the retired CA's own certificate did not change: still 304 by either validator
    expect((await get(caPath, { 'if-none-match': caBefore.etag })).status).toBe(304);
    expect((await get(caPath, { 'if-modified-since': caBefore.lastModified })).status).toBe(304);
  });
});
