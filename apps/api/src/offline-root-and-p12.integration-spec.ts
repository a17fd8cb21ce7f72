import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiToken, openPlatform, type Platform } from '@anchorage/authority';
import type { CaCertificateInstallation, CaView, CertificateView, CommunityView, OrganizationView } from '@anchorage/contracts';
import { openssl, opensslCsr, opensslRoot, opensslVerify, pkcs12Problems, tempDir, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

describe('API: offline root and platform-generated keys (real PostgreSQL, OpenSSL checks)', () => {
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  const dir = tempDir('anchorage-api-offline-');
  const host = `apioff${Date.now().toString(36)}.example.org`;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { res, status: res.status, type: res.headers.get('content-type') ?? '', json: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
  };
  const der = (pem: string) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));

  beforeAll(async () => {
    p = await openPlatform(testPlatformOptions());
    token = (await createApiToken(p, 'api-offline-test', { id: 'test', role: 'operator' })).token;
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('creates a community with an offline root, returns the CSR, and installs the certificate the root signed', async () => {
    const created = await call('POST', '/api/v1/communities', { name: 'API Offline', uri: `udap://${host}/`, caKeyType: 'RSA-2048', offlineRoot: true });
    expect(created.status).toBe(201);
    const community = created.json as CommunityView & { cas: CaView[] };
    expect(community.rootCaId).toBeNull();
    expect(community.issuingCaId).toBeNull(); // not active yet
    expect(community.cas).toHaveLength(1);
    const [ca] = community.cas;
    expect(ca).toMatchObject({ role: 'issuing', status: 'awaiting-certificate', certificatePem: null });
    expect(ca.csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
    expect(JSON.stringify(community)).not.toMatch(/PRIVATE KEY|keyRef|soft:/);
    const csrPath = join(dir, 'issuing.csr');
    writeFileSync(csrPath, ca.csrPem!);
    expect(openssl(['req', '-in', csrPath, '-verify', '-noout']).stderr).toMatch(/verify OK/i);

    const root = opensslRoot(dir);
    const missing = await call('POST', `/api/v1/cas/${ca.id}/certificate`, { certificatePem: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.json.errors).toEqual([{ field: 'body.rootCertificatePem', message: 'give the offline root certificate as PEM in "rootCertificatePem"' }]);
    const foreign = await call('POST', `/api/v1/cas/${ca.id}/certificate`, { certificatePem: root.sign(opensslCsr(dir, {}).csrPem), rootCertificatePem: root.certPem });
    expect(foreign.status).toBe(422);
    expect(foreign.type).toMatch(/application\/problem\+json/);
    expect(foreign.json).toMatchObject({ code: 'bad-certificate', detail: expect.stringMatching(/does not carry the CA key/) });

    const installed = await call('POST', `/api/v1/cas/${ca.id}/certificate`, { certificatePem: root.sign(ca.csrPem!), rootCertificatePem: root.certPem });
    expect(installed.status).toBe(200);
    const out = installed.json as CaCertificateInstallation;
    expect(out.ca).toMatchObject({ id: ca.id, status: 'active' });
    expect(out.root).toMatchObject({ role: 'root', status: 'active', csrPem: null });
    expect(out.warnings).toEqual([]);
    expect(JSON.stringify(out)).not.toMatch(/external:|keyRef/);
    const again = await call('POST', `/api/v1/cas/${ca.id}/certificate`, { certificatePem: root.sign(ca.csrPem!), rootCertificatePem: root.certPem });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('conflict');

    const shown = (await call('GET', `/api/v1/communities/${community.id}`)).json as CommunityView & { cas: CaView[] };
    expect(shown).toMatchObject({ rootCaId: out.root.id, issuingCaId: ca.id });
    const bundle = await (await fetch(`${srv.url}/pki/communities/${community.id}/trust-bundle.pem`)).text();
    expect(bundle.indexOf(root.certPem.trim())).toBe(0);
    expect(bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const crl = Buffer.from(await (await fetch(`${srv.url}/pki/crl/${ca.id}.crl`)).arrayBuffer());
    expect((await fetch(`${srv.url}/pki/ca/${out.root.id}.cer`)).status).toBe(200);
    const rootCrl = await call('POST', `/api/v1/cas/${out.root.id}/crl`);
    expect(rootCrl.status).toBe(409);
    expect(rootCrl.json.code).toBe('external-ca');

    const org = (await call('POST', '/api/v1/organizations', { communityId: community.id, name: 'Offline Clinic', sanUris: [`https://${host}/fhir`] })).json as OrganizationView;
    const leaf = (await call('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-server', csr: opensslCsr(dir, { sans: [`https://${host}/fhir`] }).csrPem })).json as CertificateView;
    const v = opensslVerify(dir, { anchors: [der(root.certPem)], intermediates: [der(out.ca.certificatePem!)], crls: [root.crl(), crl], leaf: Buffer.from(leaf.derBase64, 'base64') });
    expect(v.stdout).toMatch(/: OK/);
  });

  it('issues with a platform-generated key and returns the PKCS #12 once', async () => {
    const community = (await call('POST', '/api/v1/communities', { name: 'API P12', uri: `udap://p12.${host}/`, caKeyType: 'EC-P256', policy: { allowGeneratedKeys: true } })).json as CommunityView;
    const san = `https://p12.${host}/fhir`;
    const org = (await call('POST', '/api/v1/organizations', { communityId: community.id, name: 'P12 Clinic', sanUris: [san] })).json as OrganizationView;
    const password = 'api password 1234';
    const body = { organizationId: org.id, profile: 'udap-server', sanUris: [san], requestId: 'p12-1', generateKey: { pkcs12Password: password } };
    const first = await call('POST', '/api/v1/certificates', body);
    expect(first.status).toBe(201);
    expect(first.res.headers.get('cache-control')).toBe('no-store');
    const cert = first.json as CertificateView;
    expect(cert.pkcs12Base64).toBeDefined();
    const p12 = join(dir, 'api.p12');
    writeFileSync(p12, Buffer.from(cert.pkcs12Base64!, 'base64'));
    const r = openssl(['pkcs12', '-in', p12, '-passin', `pass:${password}`, '-nodes']);
    expect(r.status).toBe(0);
    expect(r.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(r.stdout).toContain('BEGIN PRIVATE KEY');
    // what relying parties parse it with: OpenSSL, Java's keytool and node-forge (the Node UDAP library's parser)
    const issuingDer = new Uint8Array(await (await fetch(`${srv.url}/pki/ca/${community.issuingCaId}.cer`)).arrayBuffer());
    expect(pkcs12Problems(Buffer.from(cert.pkcs12Base64!, 'base64'), { password, leafDer: Buffer.from(cert.derBase64, 'base64'), chainDers: [issuingDer], friendlyName: san })).toEqual([]);

    const repeat = await call('POST', '/api/v1/certificates', body);
    expect(repeat.status).toBe(200);
    expect(repeat.json.id).toBe(cert.id);
    expect(repeat.json.pkcs12Base64).toBeUndefined();
    expect(repeat.json.pkcs12Unavailable).toBe('the private key is only delivered once');

    const weak = await call('POST', '/api/v1/certificates', { ...body, requestId: 'p12-2', generateKey: { pkcs12Password: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.json.detail).toMatch(/at least 12 characters/);
    const both = await call('POST', '/api/v1/certificates', { ...body, requestId: 'p12-3', csr: 'x' });
    expect(both.status).toBe(400);
    expect(both.json.errors).toEqual([{ field: 'body.generateKey', message: 'give either a CSR or generateKey, not both' }]);

    const strict = (await call('POST', '/api/v1/communities', { name: 'API Strict', uri: `udap://strict.${host}/`, caKeyType: 'EC-P256' })).json as CommunityView;
    const strictOrg = (await call('POST', '/api/v1/organizations', { communityId: strict.id, name: 'Strict', sanUris: [`https://strict.${host}/fhir`] })).json as OrganizationView;
    const refused = await call('POST', '/api/v1/certificates', { organizationId: strictOrg.id, profile: 'udap-server', sanUris: [`https://strict.${host}/fhir`], generateKey: { pkcs12Password: password } });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ code: 'key-policy', detail: expect.stringMatching(/does not allow platform-generated keys/) });
  });
});
