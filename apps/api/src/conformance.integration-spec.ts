import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createApiToken, createCommunity, createOrganization, createUser, issueWithGeneratedKey, openPlatform, syncConformanceEndpoints, type Platform,
} from '@anchorage/authority';
import type { ConformanceAlertView, ConformanceCheckResultView, ConformanceEndpointView, OrganizationConformanceView } from '@anchorage/contracts';
import {
  loopbackTls, openssl, signedMetadataJwt, startLoopbackHttps, tempDir, testPlatformOptions, udapMetadata, type LoopbackHttps,
} from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

// A member admin runs the conformance check of its server on demand and reads its organization's page;
// the answers follow their contracts (validateResponses), and bad input is an RFC 7807 problem. The
// member's server is a real HTTPS server on loopback the platform trusts (the outbound guard's tlsCa).
describe('conformance over HTTP: on-demand checks, the organization page, alerts, problems', () => {
  const root = { id: 'conformance-api-test', role: 'operator' as const };
  const tag = randomUUID().slice(0, 8);
  const PASSWORD = 'conformance api password';
  const dir = tempDir('anchorage-conformance-api-');
  let p: Platform;
  let srv: RunningServer;
  let https: LoopbackHttps;
  let metadata = '';
  let member = '';
  let token = '';
  let orgId = '';
  let endpointId = '';

  const call = async <T>(method: string, path: string, bearer: string) => {
    const res = await fetch(`${srv.url}${path}`, { method, headers: { authorization: `Bearer ${bearer}` } });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', json: (text ? JSON.parse(text) : null) as T };
  };

  beforeAll(async () => {
    const tls = loopbackTls(dir);
    https = await startLoopbackHttps(tls, (_req, res) => (metadata ? res.writeHead(200, { 'content-type': 'application/json' }).end(metadata) : res.writeHead(503).end()));
    p = await openPlatform({ ...testPlatformOptions(), endpointCheckInsecure: true, outboundTlsCa: [tls.certPem], conformanceFetch: { timeoutMs: 2000, maxBytes: 64 * 1024 } });
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
    token = (await createApiToken(p, `conformance-${tag}`, root)).token;
    const c = await createCommunity(p, {
      name: `Conformance API ${tag}`, uri: `udap://conformance-api-${tag}.example.org/`, caKeyType: 'RSA-2048', policy: { allowGeneratedKeys: true, allowedLeafKeyTypes: ['RSA-2048'] },
    }, root);
    const baseUrl = https.url(`/api-${tag}/r4`);
    orgId = (await createOrganization(p, { communityId: c.community.id, name: `API Clinic ${tag}`, sanUris: [baseUrl] }, root)).id;
    await createUser(p, { email: `member-${tag}@example.org`, displayName: 'Member', role: 'member-admin', password: PASSWORD, organizationId: orgId }, root);
    const issued = await issueWithGeneratedKey(p, { organizationId: orgId, profile: 'udap-server', sanUris: [baseUrl], pkcs12Password: PASSWORD }, root);
    const p12 = join(dir, 'server.p12');
    writeFileSync(p12, issued.pkcs12!);
    const keyPem = openssl(['pkcs12', '-in', p12, '-passin', `pass:${PASSWORD}`, '-nodes', '-nocerts']).stdout;
    metadata = JSON.stringify(udapMetadata(baseUrl, await signedMetadataJwt(baseUrl, { keyPem: keyPem.slice(keyPem.indexOf('-----BEGIN')), x5c: [issued.certificate.der!, c.issuing.certificateDer!] })));
    await syncConformanceEndpoints(p);
    endpointId = (await p.db.conformance.findByUrl(c.community.id, baseUrl))!.id;
    const login = await fetch(`${srv.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `member-${tag}@example.org`, password: PASSWORD }) });
    member = ((await login.json()) as { accessToken: string }).accessToken;
  });
  afterAll(async () => {
    await srv?.close();
    await p?.close();
    await https?.close();
  });

  it('runs a check now for the member, shows it on the organization page, and alerts when the server then fails', async () => {
    const before = await call<ConformanceEndpointView>('GET', `/api/v1/conformance/endpoints/${endpointId}`, member);
    expect(before.json).toMatchObject({ status: 'unknown', lastCheckedAt: null });
    expect(before.json.metadataUrl).toBe(`${https.url(`/api-${tag}/r4`)}/.well-known/udap?community=${encodeURIComponent(`udap://conformance-api-${tag}.example.org/`)}`);

    const passed = await call<ConformanceCheckResultView>('POST', `/api/v1/conformance/endpoints/${endpointId}/check`, member);
    expect(passed.status).toBe(200);
    expect(passed.json.endpoint).toMatchObject({ status: 'passing', errorCodes: [] });
    expect(passed.json.check).toMatchObject({ status: 'passing', trigger: 'on-demand', httpStatus: 200 });
    expect(passed.json.check.requestedBy).toMatch(/^user:member-/);
    expect(passed.json.alertId).toBeNull();

    const page = await call<OrganizationConformanceView>('GET', `/api/v1/organizations/${orgId}/conformance`, member);
    expect(page.json.summary).toEqual({ passing: 1, failing: 0, unknown: 0 });
    expect(page.json.endpoints.map((e) => [e.endpoint.id, e.history.map((h) => h.id)])).toEqual([[endpointId, [passed.json.check.id]]]);

    metadata = '';
    const failed = await call<ConformanceCheckResultView>('POST', `/api/v1/conformance/endpoints/${endpointId}/check`, member);
    expect(failed.json.endpoint).toMatchObject({ status: 'failing', errorCodes: ['http-status'], consecutiveFailures: 1 });
    expect(failed.json.check.httpStatus).toBe(503);
    expect(failed.json.alertId).not.toBeNull();
    const alerts = await call<ConformanceAlertView[]>('GET', `/api/v1/conformance/alerts?filter=${encodeURIComponent(JSON.stringify({ organizationId: orgId }))}`, member);
    expect(alerts.json.map((a) => [a.id, a.codes])).toEqual([[failed.json.alertId, ['http-status']]]);
    // operators see it in the community-wide table, failing first
    const table = await call<ConformanceEndpointView[]>('GET', `/api/v1/conformance/endpoints?filter=${encodeURIComponent(JSON.stringify({ organizationId: orgId }))}`, token);
    expect(table.json.map((e) => [e.id, e.status])).toEqual([[endpointId, 'failing']]);
    const history = await call<unknown[]>('GET', `/api/v1/conformance/endpoints/${endpointId}/checks`, member);
    expect(history.json).toHaveLength(2);
  });

  it('refuses more than a few checks of one server a minute with 429 and Retry-After, recording nothing', async () => {
    const statuses: number[] = [];
    let refused: Response | null = null;
    for (let i = 0; i < 8 && !refused; i++) {
      const res = await fetch(`${srv.url}/api/v1/conformance/endpoints/${endpointId}/check`, { method: 'POST', headers: { authorization: `Bearer ${member}` } });
      statuses.push(res.status);
      if (res.status === 429) refused = res;
      else await res.arrayBuffer();
    }
    // the earlier test's checks count in the same minute: some 200s, then the refusal
    expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused!.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await refused!.json()).detail).toMatch(/checked 6 times in the last minute/);
    const history = await call<unknown[]>('GET', `/api/v1/conformance/endpoints/${endpointId}/checks?range=[0,99]`, member);
    expect(history.json).toHaveLength(6);
  });

  it('answers bad input with RFC 7807 problem documents', async () => {
    const badId = await call<{ status: number; title: string }>('POST', '/api/v1/conformance/endpoints/not-a-uuid/check', member);
    expect(badId.status).toBe(400);
    expect(badId.type).toMatch(/application\/problem\+json/);
    const unknown = await call<{ status: number; code: string }>('POST', `/api/v1/conformance/endpoints/${randomUUID()}/check`, member);
    expect(unknown.status).toBe(404);
    expect(unknown.type).toMatch(/application\/problem\+json/);
    const badFilter = await call<{ errors: { field: string }[] }>('GET', `/api/v1/conformance/endpoints?filter=${encodeURIComponent(JSON.stringify({ status: 'sideways' }))}`, token);
    expect(badFilter.status).toBe(400);
    expect(badFilter.type).toMatch(/application\/problem\+json/);
    expect(badFilter.json.errors.map((e) => e.field)).toEqual(['query.filter.status']);
    const badSort = await call('GET', '/api/v1/conformance/endpoints?sort=["secret","ASC"]', token);
    expect(badSort.status).toBe(400);
    // a member may not read the community-wide table
    expect((await call('GET', '/api/v1/conformance/endpoints', member)).status).toBe(403);
  });
});
