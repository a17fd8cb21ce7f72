import { createApiToken, openPlatform, type Platform } from '@anchorage/authority';
import type { CaCertificateInstallation, CaView, CommunityView, ProblemDocument } from '@anchorage/contracts';
import { opensslRoot, tempDir, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

type Shown = CommunityView & { cas: CaView[] };

describe('API: EC CA keys, their warning and the requireRsaChain policy (real PostgreSQL)', () => {
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  const dir = tempDir('anchorage-api-ca-keys-');
  const host = `apikeys${Date.now().toString(36)}.example.org`;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json()) as unknown };
  };

  beforeAll(async () => {
    p = await openPlatform(testPlatformOptions());
    token = (await createApiToken(p, 'api-ca-keys-test', { id: 'test', role: 'operator' })).token;
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('answers an EC community with the warning in POST, GET and the list, and an RSA one without', async () => {
    const created = await call('POST', '/api/v1/communities', { name: 'API EC', uri: `udap://ec.${host}/`, caKeyType: 'EC-P256' });
    expect(created.status).toBe(201);
    const ec = created.json as Shown;
    const warning = { code: 'ec-ca-rsa-only-relying-parties', message: expect.stringMatching(/^EC CA key \(root CA EC-P256, issuing CA EC-P256\): .*node-forge/) };
    expect(ec.warnings).toEqual([warning]);
    expect(ec.policy.requireRsaChain).toBe(false);
    expect(((await call('GET', `/api/v1/communities/${ec.id}`)).json as Shown).warnings).toEqual([warning]);
    // newest first: the one just created is on the first page however many other test files add
    const list = (await call('GET', `/api/v1/communities?range=${encodeURIComponent('[0,499]')}`)).json as CommunityView[];
    expect(list.find((c) => c.id === ec.id)?.warnings).toEqual([warning]);

    const rsa = (await call('POST', '/api/v1/communities', { name: 'API RSA', uri: `udap://rsa.${host}/`, caKeyType: 'RSA-2048', policy: { requireRsaChain: true } })).json as Shown;
    expect(rsa.warnings).toEqual([]);
    expect(rsa.policy.requireRsaChain).toBe(true);
    expect(((await call('GET', `/api/v1/communities/${rsa.id}`)).json as Shown).policy.requireRsaChain).toBe(true);
  });

  it('refuses an EC CA key under requireRsaChain with a key-policy problem document, creating nothing', async () => {
    const uri = `udap://strict.${host}/`;
    const refused = await call('POST', '/api/v1/communities', { name: 'API Strict', uri, caKeyType: 'EC-P384', policy: { requireRsaChain: true } });
    expect(refused.status).toBe(422);
    expect(refused.type).toMatch(/application\/problem\+json/);
    expect(refused.json).toMatchObject({
      type: 'https://anchorage.dev/problems/key-policy', code: 'key-policy', status: 422,
      detail: expect.stringMatching(/the CA key is EC-P384; the community policy requireRsaChain allows only RSA CA keys/),
      errors: [{ field: 'caKeyType', message: expect.stringMatching(/^is EC-P384; /) }],
    } satisfies Partial<Record<keyof ProblemDocument, unknown>>);
    // the URI is still free: nothing was stored under it
    const again = await call('POST', '/api/v1/communities', { name: 'API Strict', uri, caKeyType: 'RSA-2048', policy: { requireRsaChain: true } });
    expect(again.status).toBe(201);
  });

  it('refuses an EC offline root for an RSA-chain community with a key-policy problem document', async () => {
    const c = (await call('POST', '/api/v1/communities', { name: 'API Strict Offline', uri: `udap://strict-offline.${host}/`, caKeyType: 'RSA-2048', offlineRoot: true, policy: { requireRsaChain: true } })).json as Shown;
    const csrPem = c.cas[0].csrPem!;
    const ecRoot = opensslRoot(dir, { ec: 'P-256' });
    const refused = await call('POST', `/api/v1/cas/${c.cas[0].id}/certificate`, { certificatePem: ecRoot.sign(csrPem), rootCertificatePem: ecRoot.certPem });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ code: 'key-policy', errors: [{ field: 'rootCertificatePem', message: expect.stringMatching(/^is EC-P256; /) }] });
    const shown = (await call('GET', `/api/v1/communities/${c.id}`)).json as Shown;
    expect(shown.cas.map((a) => [a.role, a.status])).toEqual([['issuing', 'awaiting-certificate']]);
    expect(shown.warnings).toEqual([]);

    const rsaRoot = opensslRoot(dir);
    const installed = await call('POST', `/api/v1/cas/${c.cas[0].id}/certificate`, { certificatePem: rsaRoot.sign(csrPem), rootCertificatePem: rsaRoot.certPem });
    expect(installed.status).toBe(200);
    expect((installed.json as CaCertificateInstallation).warnings).toEqual([]);
  });
});
