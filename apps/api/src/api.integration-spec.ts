import { createApiToken, openPlatform, type Platform } from '@anchorage/authority';
import type { CaView, CertificateView, CommunityView, CrlView, OrganizationView } from '@anchorage/contracts';
import { openssl, opensslCsr, tempDir, testPlatformOptions, writePem } from '@anchorage/testing';
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
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false });
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
    const latest = (await p.db.latestCrl(issuingId, false))!;
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
