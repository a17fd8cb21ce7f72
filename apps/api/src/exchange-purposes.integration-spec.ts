import { createApiToken, openPlatform, type Platform } from '@anchorage/authority';
import {
  TEFCA_EXCHANGE_PURPOSES, type CertificateRequestView, type CertificateView, type CommunityDetailView, type OrganizationView, type RequestApprovalView,
} from '@anchorage/contracts';
import { openssl, opensslCsr, opensslVerify, tempDir, testPlatformOptions, writePem } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

// A community's catalog of exchange purposes over HTTP: set from the TEFCA preset or as a list, published
// in community.json; a member asks for one client URI per purpose in one request, and every client
// URI fragment issued in the community is an active purpose of the catalog.
describe('exchange purposes: the SAN catalog and one client URI per purpose (real PostgreSQL)', () => {
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-xp-');
  const host = `xp${Date.now().toString(36)}.example.org`;
  let p: Platform;
  let srv: RunningServer;
  let token: string;

  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${srv.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as T };
  };
  const fetchDer = async (path: string) => new Uint8Array(await (await fetch(`${srv.url}${path}`)).arrayBuffer());
  /** What a refused call must leave as it was: the organizations' SAN URIs and the requests. */
  const state = async (orgIds: string[]) => JSON.stringify({
    orgs: await Promise.all(orgIds.map(async (id) => (await call<OrganizationView>('GET', `/api/v1/organizations/${id}`)).json.sanUris)),
    requests: (await call<CertificateRequestView[]>('GET', '/api/v1/certificate-requests')).json.map((r) => r.id),
  });

  beforeAll(async () => {
    p = await openPlatform(opts);
    token = (await createApiToken(p, 'xp-test', { id: 'test', role: 'operator' })).token;
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false });
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('sets the catalog, expands a request into one URI per purpose, and refuses fragments outside the catalog', async () => {
    const community = (await call<CommunityDetailView>('POST', '/api/v1/communities', { name: 'XP Test', uri: `udap://${host}/`, caKeyType: 'RSA-2048' })).json;
    expect(community.exchangePurposes).toEqual([]);
    const app = `https://${host}/clinic/app`;
    const other = `https://${host}/lab/app`;
    const orgA = (await call<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'XP Clinic', sanUris: [app] })).json;
    const orgB = (await call<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'XP Lab', sanUris: [other, `${app}#T-PH`] })).json;
    const csr = opensslCsr(dir, { rsaBits: 2048 });
    const ask = (body: Record<string, unknown>) => call<CertificateRequestView & { type?: string; errors?: { field: string; message: string }[] }>(
      'POST', '/api/v1/certificate-requests', { organizationId: orgA.id, profile: 'udap-client', csr: csr.csrPem, ...body });

    // no catalog yet: asking for purposes is refused, and nothing changes
    let before = await state([orgA.id, orgB.id]);
    let r = await ask({ sanUris: [app], exchangePurposes: ['T-TREAT'] });
    expect(r.status).toBe(400);
    expect(r.json.errors?.[0].field).toBe('exchangePurposes');
    expect(await state([orgA.id, orgB.id])).toBe(before);

    // an invalid catalog is refused whole
    const bad = await call<{ errors: { field: string }[] }>('PUT', `/api/v1/communities/${community.id}/exchange-purposes`, { purposes: [{ code: 'T-TREAT', display: 'Treatment' }, { code: 't-treat', display: 'again' }] });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e) => e.field)).toEqual(['purposes[1].code']);
    const badShape = await call<{ errors: { field: string }[] }>('PUT', `/api/v1/communities/${community.id}/exchange-purposes`, { purposes: [{ code: 'has space', display: 'x' }] });
    expect(badShape.status).toBe(400);
    expect((await call<CommunityDetailView>('GET', `/api/v1/communities/${community.id}`)).json.exchangePurposes).toEqual([]);

    // the TEFCA preset
    const set = await call<CommunityDetailView>('PUT', `/api/v1/communities/${community.id}/exchange-purposes`, { preset: 'tefca' });
    expect(set.status).toBe(200);
    expect(set.json.exchangePurposes.map((x) => x.code)).toEqual(TEFCA_EXCHANGE_PURPOSES.map((x) => x.code));
    expect(set.json.exchangePurposes.every((x) => x.active)).toBe(true);
    // published in the community document (rebuilt in the background right after the change)
    let doc: { exchangePurposes?: { code: string }[] } = {};
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${srv.url}/pki/communities/${community.id}/community.json`);
      if (res.status === 200) doc = await res.json();
      if (doc.exchangePurposes?.length) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(doc.exchangePurposes?.map((x) => x.code)).toContain('T-TREAT');

    // refused requests change nothing: unknown purpose, a URI with a fragment, a URI not bound, a purpose URI bound to another organization
    before = await state([orgA.id, orgB.id]);
    r = await ask({ sanUris: [app], exchangePurposes: ['T-TREAT', 'T-NOPE'] });
    expect(r.status).toBe(422);
    expect(r.json.errors).toEqual([expect.objectContaining({ field: 'exchangePurposes[1]', message: expect.stringContaining('"T-NOPE" is not an exchange purpose') })]);
    r = await ask({ sanUris: [`${app}#T-TREAT`], exchangePurposes: ['T-TREAT'] });
    expect(r.status).toBe(422);
    expect(r.json.errors?.[0].message).toMatch(/without a fragment/);
    r = await ask({ sanUris: [`https://${host}/not-bound`], exchangePurposes: ['T-TREAT'] });
    expect(r.status).toBe(422);
    expect(r.json.errors?.[0].message).toMatch(/not registered to organization/);
    r = await ask({ sanUris: [app], exchangePurposes: ['T-TREAT', 'T-PH'] });
    expect(r.status).toBe(409);
    expect(r.json.type).toMatch(/san-taken$/);
    expect(await state([orgA.id, orgB.id])).toBe(before);

    // one step: one client URI per purpose, bound to the organization with the request
    r = await ask({ sanUris: [app], exchangePurposes: ['T-TREAT', 'T-PYMNT'] });
    expect(r.status).toBe(201);
    expect(r.json.sanUris).toEqual([`${app}#T-TREAT`, `${app}#T-PYMNT`]);
    expect((await call<OrganizationView>('GET', `/api/v1/organizations/${orgA.id}`)).json.sanUris).toEqual([app, `${app}#T-TREAT`, `${app}#T-PYMNT`]);
    const approved = await call<RequestApprovalView>('POST', `/api/v1/certificate-requests/${r.json.id}/approve`);
    expect(approved.status).toBe(200);
    const leaf = new Uint8Array(Buffer.from(approved.json.certificate.derBase64, 'base64'));
    const text = openssl(['x509', '-noout', '-ext', 'subjectAltName', '-in', writePem(dir, 'xp-leaf.pem', [leaf])]);
    expect(text.stdout).toContain(`URI:${app}#T-TREAT`);
    expect(text.stdout).toContain(`URI:${app}#T-PYMNT`);
    const [root, issuing] = [await fetchDer(`/pki/ca/${community.rootCaId}.cer`), await fetchDer(`/pki/ca/${community.issuingCaId}.cer`)];
    const crls = [await fetchDer(`/pki/crl/${community.rootCaId}.crl`), await fetchDer(`/pki/crl/${community.issuingCaId}.crl`)];
    expect(opensslVerify(dir, { anchors: [root], intermediates: [issuing], crls, leaf }).status).toBe(0);
    expect(opensslVerify(dir, { anchors: [issuing], crls, leaf }).status).not.toBe(0);

    // retire T-PYMNT and drop T-PH: a bound URI with a retired or unknown fragment is no longer issued, on any path
    const catalog = TEFCA_EXCHANGE_PURPOSES.filter((x) => x.code !== 'T-PH').map((x) => (x.code === 'T-PYMNT' ? { ...x, active: false } : x));
    expect((await call('PUT', `/api/v1/communities/${community.id}/exchange-purposes`, { purposes: catalog })).status).toBe(200);
    // (the SAN URIs go in the body: OpenSSL's config syntax would read "#" in a CSR's SAN as a comment)
    const direct = (sanUris: string[], organizationId = orgA.id) => call<CertificateView & { errors?: { message: string }[] }>(
      'POST', '/api/v1/certificates', { organizationId, profile: 'udap-client', sanUris, csr: opensslCsr(dir, { rsaBits: 2048 }).csrPem });
    const retired = await direct([`${app}#T-PYMNT`]);
    expect(retired.status).toBe(422);
    expect(retired.json.errors?.[0].message).toMatch(/"#T-PYMNT" is a retired exchange purpose/);
    const unknown = await direct([`${app}#T-PH`], orgB.id);
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors?.[0].message).toMatch(/"#T-PH" is not an exchange purpose/);
    expect((await direct([`${app}#T-TREAT`])).status).toBe(201);
    expect((await direct([other], orgB.id)).status).toBe(201); // no fragment: no catalog rule
    r = await ask({ sanUris: [app], exchangePurposes: ['T-PYMNT'] });
    expect(r.status).toBe(422);
    expect(r.json.errors?.[0].message).toMatch(/"T-PYMNT" is a retired exchange purpose/);
  });
});
