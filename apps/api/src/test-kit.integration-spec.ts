import { createApiToken, openPlatform, type Platform } from '@anchorage/authority';
import { testKitViewSchema, type CommunityView, type TestKitView } from '@anchorage/contracts';
import { certificateDerFrom, describeCertificate } from '@anchorage/pki';
import { verifyUdapJwt } from '@anchorage/udap';
import { openssl, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

// A community's test kit over HTTP (docs/test-certificates.md): an operator makes it through the admin
// API, anyone fetches it anonymously under /pki, a relying party following its links (the CDPs, the
// dead one included) gets what the index says, and a software statement signed on demand for the
// caller's own registration endpoint verifies as the index promises.
describe('test kit over HTTP (real PostgreSQL)', () => {
  const opts = testPlatformOptions();
  const host = `kit${Date.now().toString(36)}.example.org`;
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  let community: CommunityView;

  const call = async <T>(method: string, path: string): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${srv.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, json: (await res.json()) as T };
  };
  /** A public URL of the platform, fetched from this server (the platform's base is not this server's address). */
  const fetchPublic = (url: string) => fetch(url.replace(opts.publicBaseUrl, srv.url));

  beforeAll(async () => {
    p = await openPlatform(opts);
    token = (await createApiToken(p, 'test-kit-test', { id: 'test', role: 'operator' })).token;
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
    const res = await fetch(`${srv.url}/api/v1/communities`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Kit Over HTTP', uri: `udap://${host}/`, caKeyType: 'RSA-2048' }),
    });
    community = (await res.json()) as CommunityView;
  });
  afterAll(async () => {
    await srv?.close();
    await p?.close();
  });

  it('is made by POST (201, then 200 on regeneration) and published anonymously under /pki, apart from the trust bundle', async () => {
    expect((await fetch(`${srv.url}/pki/communities/${community.id}/test-kit`)).status).toBe(404);
    expect((await call('GET', `/api/v1/communities/${community.id}/test-kit`)).status).toBe(404);
    const made = await call<TestKitView>('POST', `/api/v1/communities/${community.id}/test-kit`);
    expect(made.status).toBe(201);
    const res = await fetch(`${srv.url}/pki/communities/${community.id}/test-kit`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const index = testKitViewSchema.parse(await res.json());
    expect(index).toEqual(made.json);
    expect((await call<TestKitView>('GET', `/api/v1/communities/${community.id}/test-kit`)).json).toEqual(index);
    expect(index.cases).toHaveLength(12);

    // the TEST anchor, as DER and PEM, is what OpenSSL reads, and appears in no production trust bundle
    const anchor = new Uint8Array(await (await fetchPublic(index.anchor.certificateUrl)).arrayBuffer());
    const text = openssl(['x509', '-inform', 'DER', '-noout', '-subject'], anchor);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/TEST anchor/);
    expect(Buffer.from(certificateDerFrom(await (await fetchPublic(index.anchor.pemUrl)).text())).equals(Buffer.from(anchor))).toBe(true);
    const bundle = await (await fetch(`${srv.url}/pki/communities/${community.id}/trust-bundle.pem`)).text();
    expect(bundle.replace(/\s/g, '')).not.toContain(Buffer.from(anchor).toString('base64').slice(0, 300));
    const doc = await (await fetch(`${srv.url}/pki/communities/${community.id}/community.json`)).text();
    expect(doc).not.toContain(index.anchor.sha256);

    // each case's links answer; the revoked case's CRL lists it (OpenSSL reads the CRL); the dead CDP answers 404
    const revoked = index.cases.find((c) => c.id === 'revoked')!;
    const revokedCert = new Uint8Array(await (await fetchPublic(revoked.files.certificate)).arrayBuffer());
    const crlUrl = describeCertificate(revokedCert).crlUrls[0];
    const crl = await fetchPublic(crlUrl);
    expect(crl.headers.get('content-type')).toBe('application/pkix-crl');
    const crlText = openssl(['crl', '-inform', 'DER', '-noout', '-text'], new Uint8Array(await crl.arrayBuffer()));
    expect(crlText.stdout).toContain(`Serial Number: ${describeCertificate(revokedCert).serialHex.toUpperCase()}`);
    const dead = index.cases.find((c) => c.id === 'dead-cdp')!;
    const deadCert = new Uint8Array(await (await fetchPublic(dead.files.certificate)).arrayBuffer());
    expect((await fetchPublic(describeCertificate(deadCert).crlUrls[0])).status).toBe(404);
    const key = await (await fetchPublic(revoked.files.privateKey)).text();
    expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const chain = await (await fetchPublic(revoked.files.chain)).text();
    expect(chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);

    const again = await call<TestKitView>('POST', `/api/v1/communities/${community.id}/test-kit`);
    expect(again.status).toBe(200);
    expect(again.json.generation).toBe(2);
    expect(again.json.anchor.sha256).toBe(index.anchor.sha256);
  });

  it('signs a software statement on demand for the caller\'s registration endpoint, which verifies as the index says', async () => {
    const index = (await call<TestKitView>('GET', `/api/v1/communities/${community.id}/test-kit`)).json;
    const aud = 'https://relying.example.org/oauth/register';
    const anchor = new Uint8Array(await (await fetchPublic(index.anchor.certificateUrl)).arrayBuffer());
    const trust = {
      anchors: [anchor],
      crl: async (url: string) => {
        const r = await fetchPublic(url);
        return r.status === 200 ? new Uint8Array(await r.arrayBuffer()) : null;
      },
    };
    for (const id of ['valid', 'revoked', 'dead-cdp'] as const) {
      const kase = index.cases.find((c) => c.id === id)!;
      const res = await fetchPublic(`${kase.files.softwareStatement}?aud=${encodeURIComponent(aud)}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const jwt = await res.text();
      const r = await verifyUdapJwt(jwt, trust, { kind: 'software-statement', now: new Date(), expected: { aud } });
      expect(r.claims?.aud).toBe(aud);
      expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(kase.expected.findings);
    }
    expect((await fetchPublic(`${index.cases[0].files.softwareStatement}?aud=${encodeURIComponent('javascript:alert(1)')}`)).status).toBe(400);
  });
});
