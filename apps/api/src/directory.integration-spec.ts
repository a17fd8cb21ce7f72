import { createHash } from 'node:crypto';
import { z } from 'zod';
import { createApiToken, openPlatform, type Platform } from '@anchorage/authority';
import type { CertificateView, CommunityView, OrganizationView } from '@anchorage/contracts';
import { opensslCsr, tempDir, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

// The FHIR R4 shape the directory promises (elements it uses, their cardinalities and formats).
const fhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/);
const coding = z.object({ system: z.string().url(), code: z.string().min(1) });
const reference = (type: 'Organization' | 'Endpoint') => z.object({ reference: z.string().regex(new RegExp(`^${type}/[A-Za-z0-9\\-.]{1,64}$`)), display: z.string().optional() });
const identifier = z.object({ system: z.string().min(1).optional(), value: z.string().min(1), type: z.object({ text: z.string() }).optional() });
const organization = z.object({
  resourceType: z.literal('Organization'),
  id: fhirId,
  identifier: z.array(identifier).min(1),
  active: z.boolean(),
  name: z.string().min(1),
  alias: z.array(z.string()).min(1).optional(),
  endpoint: z.array(reference('Endpoint')).min(1).optional(),
}).strict();
const endpoint = z.object({
  resourceType: z.literal('Endpoint'),
  id: fhirId,
  status: z.enum(['active', 'suspended', 'error', 'off', 'entered-in-error', 'test']),
  connectionType: coding,
  managingOrganization: reference('Organization').optional(),
  payloadType: z.array(z.object({ coding: z.array(coding).min(1) })).min(1),
  address: z.string().url(),
}).strict();
const bundle = z.object({
  resourceType: z.literal('Bundle'),
  type: z.literal('searchset'),
  total: z.number().int().nonnegative(),
  entry: z.array(z.object({
    fullUrl: z.string().url(),
    resource: z.discriminatedUnion('resourceType', [organization, endpoint]),
    search: z.object({ mode: z.enum(['match', 'include']) }),
  }).strict()).min(1).optional(),
}).strict().superRefine((b, ctx) => {
  const entries = b.entry ?? [];
  if (entries.filter((e) => e.search.mode === 'match').length !== b.total) ctx.addIssue({ code: 'custom', message: 'total is not the number of matches' });
  for (const e of entries) {
    if (!e.fullUrl.endsWith(`/${e.resource.resourceType}/${e.resource.id}`)) ctx.addIssue({ code: 'custom', message: `fullUrl ${e.fullUrl} does not name its resource` });
    if ((e.resource.resourceType === 'Organization') !== (e.search.mode === 'match')) ctx.addIssue({ code: 'custom', message: 'organizations match, endpoints are included' });
  }
});
const operationOutcome = z.object({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(z.object({ severity: z.enum(['fatal', 'error', 'warning', 'information']), code: z.string().min(1), diagnostics: z.string().optional() })).min(1),
});
type Bundle = z.infer<typeof bundle>;
type Org = z.infer<typeof organization>;
type Ep = z.infer<typeof endpoint>;

const orgsOf = (b: Bundle) => (b.entry ?? []).map((e) => e.resource).filter((r): r is Org => r.resourceType === 'Organization');
const endpointsOf = (b: Bundle) => (b.entry ?? []).map((e) => e.resource).filter((r): r is Ep => r.resourceType === 'Endpoint');

describe('community document and FHIR directory under /pki (real PostgreSQL)', () => {
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-directory-');
  const host = `dir${Date.now().toString(36)}.example.org`;
  let p: Platform;
  let p2: Platform;
  let srv: RunningServer;
  let other: RunningServer;
  let token: string;

  const call = async <T>(method: string, path: string, body?: unknown, base = srv.url): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${base}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as T };
  };
  /** GETs a directory Bundle anonymously and checks its FHIR shape. */
  const directory = async (base: string, communityId: string, query = ''): Promise<{ res: Response; bundle: Bundle }> => {
    const res = await fetch(`${base}/pki/communities/${communityId}/directory${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/fhir+json');
    return { res, bundle: bundle.parse(await res.json()) };
  };
  /** Polls until `check` holds for the directory (the hooks answer at once; the interval within its bound). */
  const eventually = async (base: string, communityId: string, check: (b: Bundle) => boolean, withinMs: number): Promise<Bundle> => {
    const until = Date.now() + withinMs;
    for (;;) {
      const { bundle: b } = await directory(base, communityId);
      if (check(b) || Date.now() > until) return b;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    p = await openPlatform(opts);
    p2 = await openPlatform(opts);
    token = (await createApiToken(p, 'directory-test', { id: 'test', role: 'operator' })).token;
    // this instance must see local changes through the hooks: its interval is far longer than the test
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, directoryRefreshMs: 600_000 });
    // another instance, which only learns of them through its interval (and the CRL notification)
    other = await startServer(p2, { host: '127.0.0.1', port: 0, logger: false, directoryRefreshMs: 1_000 });
  });
  afterAll(async () => {
    await other.close();
    await srv.close();
    await p2.close();
    await p.close();
  });

  it('publishes the community, its active members and their live server endpoints, and keeps them current', async () => {
    const community = (await call<CommunityView & { cas: unknown[] }>('POST', '/api/v1/communities', { name: 'Directory Test', uri: `udap://${host}/`, caKeyType: 'RSA-2048' })).json;
    const fhirA = `https://${host}/clinic/fhir`;
    const fhirA2 = `https://${host}/clinic/r4`;
    const appA = `https://${host}/clinic/app`;
    const fhirB = `https://${host}/lab/fhir`;
    const orgA = (await call<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Directory Clinic', sanUris: [fhirA, fhirA2, appA] })).json;
    const orgB = (await call<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Harbor Lab', sanUris: [fhirB] })).json;
    const issue = async (organizationId: string, profile: string, sans: string[]) => {
      const csr = opensslCsr(dir, { rsaBits: 2048, sans });
      const r = await call<CertificateView>('POST', '/api/v1/certificates', { organizationId, profile, csr: csr.csrPem });
      expect(r.status).toBe(201);
      return r.json;
    };
    const serverA = await issue(orgA.id, 'udap-server', [fhirA, fhirA2]);
    await issue(orgA.id, 'udap-client', [appA]);
    await issue(orgB.id, 'udap-server', [fhirB]);

    // community.json: anonymous, JSON, conditional GET, fingerprints of the certificates served
    // (rebuilt right after each commit, in the background: poll briefly)
    let docRes = await fetch(`${srv.url}/pki/communities/${community.id}/community.json`);
    for (let i = 0; i < 20 && docRes.status === 404; i++) {
      await new Promise((r) => setTimeout(r, 100));
      docRes = await fetch(`${srv.url}/pki/communities/${community.id}/community.json`);
    }
    expect(docRes.status).toBe(200);
    expect(docRes.headers.get('content-type')).toBe('application/json');
    expect(docRes.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const doc = await docRes.json();
    expect(doc).toMatchObject({
      id: community.id, name: 'Directory Test', uri: `udap://${host}/`,
      policy: { allowedLeafKeyTypes: expect.any(Array), maxLeafValidityDays: expect.any(Number), crlLifetimeSeconds: expect.any(Number), requireRsaChain: expect.any(Boolean) },
      trustBundleUrl: `http://pki.test.invalid/pki/communities/${community.id}/trust-bundle.pem`,
      directoryUrl: `http://pki.test.invalid/pki/communities/${community.id}/directory`,
    });
    expect(doc.anchors).toHaveLength(1);
    expect(doc.intermediates).toHaveLength(1);
    expect(doc.anchors[0]).toMatchObject({ id: community.rootCaId, role: 'root', status: 'active' });
    expect(doc.intermediates[0]).toMatchObject({ id: community.issuingCaId, role: 'issuing', status: 'active' });
    for (const ca of [...doc.anchors, ...doc.intermediates]) {
      const der = Buffer.from(await (await fetch(ca.certificateUrl.replace('http://pki.test.invalid', srv.url))).arrayBuffer());
      expect(ca.sha256).toBe(createHash('sha256').update(der).digest('hex'));
      expect((await fetch(ca.crlUrl.replace('http://pki.test.invalid', srv.url))).status).toBe(200);
      expect(new Date(ca.notAfter).getTime()).toBeGreaterThan(new Date(ca.notBefore).getTime());
    }
    expect((await fetch(`${srv.url}/pki/communities/${community.id}/community.json`, { headers: { 'if-none-match': docRes.headers.get('etag')! } })).status).toBe(304);
    expect((await fetch(`${srv.url}/pki/communities/00000000-0000-0000-0000-000000000000/community.json`)).status).toBe(404);

    // the directory: both organizations, server endpoints only, exact addresses
    await eventually(srv.url, community.id, (d) => endpointsOf(d).length === 3, 2_000);
    const { res, bundle: all } = await directory(srv.url, community.id);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(all.total).toBe(2);
    const [a, b] = orgsOf(all);
    expect(a).toMatchObject({ id: orgA.id, name: 'Directory Clinic', active: true, identifier: [{ system: `udap://${host}/`, value: orgA.id }] });
    expect(b).toMatchObject({ id: orgB.id, name: 'Harbor Lab', identifier: [{ system: `udap://${host}/`, value: orgB.id }] });
    const eps = endpointsOf(all);
    expect(eps.map((e) => e.address).sort()).toEqual([fhirA, fhirA2, fhirB].sort()); // the client certificate adds none
    for (const e of eps) {
      expect(e).toMatchObject({
        status: 'active',
        connectionType: { system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type', code: 'hl7-fhir-rest' },
        payloadType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/endpoint-payload-type', code: 'any' }] }],
      });
    }
    const ofA = eps.filter((e) => e.managingOrganization?.reference === `Organization/${orgA.id}`);
    expect(ofA.map((e) => e.address).sort()).toEqual([fhirA, fhirA2].sort());
    expect(a.endpoint?.map((r) => r.reference).sort()).toEqual(ofA.map((e) => `Endpoint/${e.id}`).sort());
    expect((await fetch(`${srv.url}/pki/communities/${community.id}/directory`, { headers: { 'if-none-match': res.headers.get('etag')! } })).status).toBe(304);
    // the other instance, within its interval, builds the same bytes
    const converged = await eventually(other.url, community.id, (d) => d.total === 2 && endpointsOf(d).length === 3, 3_000);
    expect(Buffer.from(JSON.stringify(converged)).equals(Buffer.from(JSON.stringify(all)))).toBe(true);
    expect((await directory(other.url, community.id)).res.headers.get('etag')).toBe(res.headers.get('etag'));

    // every entry's fullUrl is the FHIR read of its resource: the same resource, cacheable, 304 on its ETag
    for (const e of all.entry ?? []) {
      const r = await fetch(e.fullUrl.replace('http://pki.test.invalid', srv.url));
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/fhir+json');
      expect(await r.json()).toEqual(e.resource);
      expect((await fetch(e.fullUrl.replace('http://pki.test.invalid', srv.url), { headers: { 'if-none-match': r.headers.get('etag')! } })).status).toBe(304);
    }
    for (const missing of [`Organization/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, `Endpoint/${orgA.id}.0000000000000000`, 'Endpoint/nodot']) {
      const r = await fetch(`${srv.url}/pki/communities/${community.id}/directory/${missing}`);
      expect(r.status).toBe(404);
      expect(r.headers.get('cache-control')).toBe('no-store');
      operationOutcome.parse(await r.json());
    }
    const orgBUrl = `${srv.url}/pki/communities/${community.id}/directory/Organization/${orgB.id}`;

    // search
    const byName = (await directory(srv.url, community.id, '?name=cLiNiC')).bundle;
    expect(orgsOf(byName).map((o) => o.id)).toEqual([orgA.id]);
    expect(endpointsOf(byName)).toHaveLength(2);
    const byAddress = (await directory(srv.url, community.id, `?address=${encodeURIComponent(fhirB)}`)).bundle;
    expect(byAddress.total).toBe(1);
    expect(orgsOf(byAddress).map((o) => o.id)).toEqual([orgB.id]);
    expect(endpointsOf(byAddress).map((e) => e.address)).toEqual([fhirB]);
    expect((await directory(srv.url, community.id, `?address=${encodeURIComponent(`${fhirB}/`)}`)).bundle).toEqual({ resourceType: 'Bundle', type: 'searchset', total: 0 });
    for (const bad of ['?identifier=x', '?name=a&name=b']) {
      const r = await fetch(`${srv.url}/pki/communities/${community.id}/directory${bad}`);
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toBe('application/fhir+json');
      operationOutcome.parse(await r.json());
    }
    const unknown = await fetch(`${srv.url}/pki/communities/00000000-0000-0000-0000-000000000000/directory`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/fhir+json');
    operationOutcome.parse(await unknown.json());

    // revoking A's only server certificate removes its endpoints (A stays listed)
    expect((await call('POST', `/api/v1/certificates/${serverA.id}/revoke`, { reason: 'superseded' })).status).toBe(200);
    const afterRevoke = await eventually(srv.url, community.id, (d) => endpointsOf(d).length === 1, 2_000);
    expect(endpointsOf(afterRevoke).map((e) => e.address)).toEqual([fhirB]);
    expect(orgsOf(afterRevoke).find((o) => o.id === orgA.id)?.endpoint).toBeUndefined();

    // suspending B removes it and its endpoint; reinstating brings them back
    expect((await call('POST', `/api/v1/organizations/${orgB.id}/suspend`, { reason: 'unpaid', revokeCertificates: false })).status).toBe(200);
    const afterSuspend = await eventually(srv.url, community.id, (d) => d.total === 1, 2_000);
    expect(orgsOf(afterSuspend).map((o) => o.id)).toEqual([orgA.id]);
    expect(endpointsOf(afterSuspend)).toEqual([]);
    expect((await fetch(orgBUrl)).status).toBe(404); // its resource left with it
    const elsewhere = await eventually(other.url, community.id, (d) => d.total === 1, 3_000);
    expect(orgsOf(elsewhere).map((o) => o.id)).toEqual([orgA.id]);
    expect((await call('POST', `/api/v1/organizations/${orgB.id}/reinstate`)).status).toBe(200);
    const back = await eventually(srv.url, community.id, (d) => d.total === 2, 2_000);
    expect(endpointsOf(back).map((e) => e.address)).toEqual([fhirB]);
    expect((await fetch(orgBUrl)).status).toBe(200);

    // a change committed on the other instance reaches this one (its interval is ten minutes) by notification
    expect((await call('POST', `/api/v1/organizations/${orgB.id}/suspend`, { reason: 'again', revokeCertificates: false }, other.url)).status).toBe(200);
    const announced = await eventually(srv.url, community.id, (d) => d.total === 1, 2_000);
    expect(orgsOf(announced).map((o) => o.id)).toEqual([orgA.id]);
  });
});
