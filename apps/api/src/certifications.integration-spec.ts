import { createPrivateKey, randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import { createApiToken, openPlatform, type Platform } from '@anchorage/authority';
import type { CertificateView, CertificationTemplateView, CertificationView, CommunityView, OrganizationView } from '@anchorage/contracts';
import { opensslCsr, opensslVerify, tempDir, testPlatformOptions } from '@anchorage/testing';
import { verifyUdapJwt } from '@anchorage/udap';
import { startServer, type RunningServer } from './server';

const DAY = 86_400;

// Certifications through the API, and their public status on two API instances sharing one database:
// each instance's interval is far longer than the test, so the other instance learns of a recorded or
// revoked certification through the community channel, and of a revoked app certificate through the
// CRL notification.
describe('certifications API and the public status endpoint (real PostgreSQL, two instances)', () => {
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-certifications-api-');
  const host = `certs${Date.now().toString(36)}.example.org`;
  const certifierUri = `https://certifier.${host}/udap`;
  const appUri = `https://app.${host}/client`;
  let p: Platform;
  let p2: Platform;
  let srv: RunningServer;
  let other: RunningServer;
  let token: string;

  const call = async <T>(method: string, path: string, body?: unknown, auth = true): Promise<{ status: number; type: string | null; json: T }> => {
    const res = await fetch(`${srv.url}${path}`, {
      method, headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get('content-type')?.split(';')[0] ?? null, json: (await res.json()) as T };
  };
  const statusOf = async (base: string, communityId: string, query: string) => {
    const res = await fetch(`${base}/pki/communities/${communityId}/certifications/status${query}`);
    return { status: res.status, res, json: (await res.json()) as { valid?: boolean; title?: string; detail?: string } };
  };
  /** Polls the status until it is `valid` (the hooks rebuild in the background; the channel within a moment). */
  const eventually = async (base: string, communityId: string, jti: string, exp: number, valid: boolean): Promise<boolean | undefined> => {
    const until = Date.now() + 3_000;
    for (;;) {
      const r = await statusOf(base, communityId, `?jti=${encodeURIComponent(jti)}&exp=${exp}`);
      if (r.json.valid === valid || Date.now() > until) return r.json.valid;
      await new Promise((res) => setTimeout(res, 50));
    }
  };
  const count = async (communityId: string) => Number((await p.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM certification WHERE community_id = $1', [communityId])).rows[0].n);

  beforeAll(async () => {
    p = await openPlatform(opts);
    p2 = await openPlatform(opts);
    token = (await createApiToken(p, 'certifications-test', { id: 'test', role: 'operator' })).token;
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true, directoryRefreshMs: 600_000 });
    other = await startServer(p2, { host: '127.0.0.1', port: 0, logger: false, directoryRefreshMs: 600_000 });
  });
  afterAll(async () => {
    await other.close();
    await srv.close();
    await p2.close();
    await p.close();
  });

  it('records a certification, serves its status on every instance, and answers false once revoked or once the app\'s certificate is revoked', async () => {
    const community = (await call<CommunityView>('POST', '/api/v1/communities', { name: 'Certifications', uri: `udap://${host}/`, caKeyType: 'RSA-2048' })).json;
    const certifierOrg = (await call<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Certifier', sanUris: [certifierUri] })).json;
    const appOrg = (await call<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'App maker', sanUris: [appUri, `https://app.${host}/spare`] })).json;
    const certifierCsr = opensslCsr(dir, { rsaBits: 2048, sans: [certifierUri] });
    const certifierCert = await call<CertificateView>('POST', '/api/v1/certificates', { organizationId: certifierOrg.id, profile: 'udap-certifier', csr: certifierCsr.csrPem });
    expect(certifierCert.status).toBe(201);
    expect(certifierCert.json.profile).toBe('udap-certifier');
    // a certifier's key must be RSA: an EC key is refused as the profile says
    const ec = await call<{ code: string }>('POST', '/api/v1/certificates', { organizationId: certifierOrg.id, profile: 'udap-certifier', csr: opensslCsr(dir, { curve: 'P-256', sans: [certifierUri] }).csrPem });
    expect([ec.status, ec.json.code]).toEqual([422, 'key-policy']);
    const appCert = await call<CertificateView>('POST', '/api/v1/certificates', { organizationId: appOrg.id, profile: 'udap-client', csr: opensslCsr(dir, { rsaBits: 2048, sans: [appUri] }).csrPem });
    expect(appCert.status).toBe(201);

    // the built-in template in one call; its view names the status endpoint certifications must carry
    const template = await call<CertificationTemplateView>('POST', `/api/v1/communities/${community.id}/certification-templates`, { builtIn: 'tefca-basic-app' });
    expect(template.status).toBe(201);
    expect(template.json.statusEndpoint).toBe(`${opts.publicBaseUrl}/pki/communities/${community.id}/certifications/status`);
    const both = await call<{ errors: { field: string }[] }>('POST', `/api/v1/communities/${community.id}/certification-templates`, { builtIn: 'tefca-basic-app', name: 'X' });
    expect([both.status, both.type, both.json.errors.map((e) => e.field)]).toEqual([400, 'application/problem+json', ['body.builtIn']]);
    const listed = await call<CertificationTemplateView[]>('GET', `/api/v1/communities/${community.id}/certification-templates`);
    expect(listed.json.map((t) => t.id)).toEqual([template.json.id]);
    // community.json publishes the template's terms (rebuilt in the background right after the change)
    let published: { id: string; name: string; statusEndpoint: string; exchangePurposes: string[] }[] = [];
    for (let i = 0; i < 30 && published.length === 0; i++) {
      const res = await fetch(`${srv.url}/pki/communities/${community.id}/community.json`);
      if (res.status === 200) published = (await res.json()).certificationTemplates;
      if (published.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(published).toEqual([expect.objectContaining({
      id: template.json.id, name: template.json.name, statusEndpoint: template.json.statusEndpoint, exchangePurposes: template.json.exchangePurposes,
    })]);
    // with a catalog of exchange purposes, a template names only its active codes
    expect((await call('PUT', `/api/v1/communities/${community.id}/exchange-purposes`, { purposes: [{ code: 'T-TREAT', display: 'Treatment' }] })).status).toBe(200);
    const outside = await call<{ errors: { field: string; message: string }[] }>('POST', `/api/v1/communities/${community.id}/certification-templates`, {
      name: 'Payment apps', uris: ['https://certs.example.org/payment'], grantTypes: ['client_credentials'], exchangePurposes: ['T-TREAT', 'T-PYMNT'],
    });
    expect(outside.status).toBe(400);
    expect(outside.json.errors).toEqual([{ field: 'exchangePurposes', message: expect.stringContaining('not: T-PYMNT') }]);
    expect((await call<CertificationTemplateView[]>('GET', `/api/v1/communities/${community.id}/certification-templates`)).json).toHaveLength(1);

    const sign = async (extra: Record<string, unknown> = {}, keyPem = certifierCsr.keyPem, chain = certifierCert.json.x5c) => {
      const iat = Math.floor(Date.now() / 1000);
      const claims = {
        iss: certifierUri, sub: appUri, iat, exp: iat + 200 * DAY, jti: randomUUID(),
        certification_name: template.json.name, certification_uris: template.json.uris, certification_description: template.json.description,
        certification_status_endpoint: template.json.statusEndpoint, grant_types: ['client_credentials'], exchange_purposes: ['T-TREAT'],
        client_name: 'Example App', developer_name: 'App maker', ...extra,
      };
      const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'RS256', x5c: chain }).sign(createPrivateKey(keyPem));
      return { jwt, jti: claims.jti as string, exp: claims.exp as number };
    };

    const first = await sign();
    const recorded = await call<CertificationView>('POST', '/api/v1/certifications', { templateId: template.json.id, organizationId: appOrg.id, jwt: first.jwt });
    expect(recorded.status).toBe(201);
    expect(recorded.json).toMatchObject({ jti: first.jti, sub: appUri, iss: certifierUri, status: 'active', organizationId: appOrg.id, certifierOrganizationId: certifierOrg.id });
    // what was recorded verifies as relying parties verify it, and OpenSSL accepts its x5c[0] under the community chain
    const crls = new Map([community.rootCaId!, community.issuingCaId!].map((id) => [p.urls.crl(id), p.repository.crl(id)!.body]));
    const anchors = [Buffer.from((await call<{ certificatePem: string }>('GET', `/api/v1/cas/${community.rootCaId}`)).json.certificatePem.replace(/-----[^-]+-----|\s/g, ''), 'base64')];
    const verdict = await verifyUdapJwt(recorded.json.jwt, { anchors, crl: async (url) => crls.get(url) ?? null }, { kind: 'certification', now: new Date(), expected: { sub: appUri } });
    expect(verdict.findings).toEqual([]);
    const x5c = certifierCert.json.x5c.map((b) => Buffer.from(b, 'base64'));
    expect(opensslVerify(dir, { anchors, intermediates: x5c.slice(1), leaf: x5c[0], crls: [...crls.values()] }).stdout).toMatch(/: OK/);

    // per app and per organization
    const perApp = await call<CertificationView[]>('GET', `/api/v1/certifications?filter=${encodeURIComponent(JSON.stringify({ sub: appUri }))}`);
    expect(perApp.json.map((c) => c.id)).toEqual([recorded.json.id]);
    const perCertifier = await call<CertificationView[]>('GET', `/api/v1/certifications?filter=${encodeURIComponent(JSON.stringify({ certifierOrganizationId: certifierOrg.id }))}`);
    expect(perCertifier.json.map((c) => c.id)).toEqual([recorded.json.id]);
    expect((await call<CertificationView>('GET', `/api/v1/certifications/${recorded.json.id}`)).json.jwt).toBe(first.jwt);

    // the status, on this instance and the other one
    expect(await eventually(srv.url, community.id, first.jti, first.exp, true)).toBe(true);
    expect(await eventually(other.url, community.id, first.jti, first.exp, true)).toBe(true);
    const answer = await statusOf(srv.url, community.id, `?exp=${first.exp}&jti=${first.jti}`);
    expect([answer.status, answer.res.headers.get('content-type'), answer.json]).toEqual([200, 'application/json', { valid: true }]);
    expect((await statusOf(srv.url, community.id, `?jti=${first.jti}&exp=${first.exp - 1}`)).json).toEqual({ valid: false });
    expect((await statusOf(srv.url, community.id, `?jti=${randomUUID()}&exp=${first.exp}`)).json).toEqual({ valid: false });
    for (const bad of ['', `?jti=${first.jti}`, `?exp=${first.exp}`, `?jti=${first.jti}&exp=soon`, `?jti=${first.jti}&exp=${first.exp}&x=1`, `?jti=a&jti=b&exp=1`, `?jti=&exp=1`, `?jti=%E0%A4%A&exp=1`]) {
      const r = await statusOf(srv.url, community.id, bad);
      expect([bad, r.status, r.res.headers.get('content-type')]).toEqual([bad, 400, 'application/problem+json']);
      expect(r.json.detail).toBeTruthy();
    }
    expect((await statusOf(srv.url, randomUUID(), `?jti=${first.jti}&exp=${first.exp}`)).status).toBe(404);

    // revoked on this instance: false here at once, and on the other instance through the channel
    const revoked = await call<CertificationView>('POST', `/api/v1/certifications/${recorded.json.id}/revoke`, { reason: 'Criteria no longer met' });
    expect([revoked.status, revoked.json.status, revoked.json.revocationReason]).toEqual([200, 'revoked', 'Criteria no longer met']);
    expect(await eventually(srv.url, community.id, first.jti, first.exp, false)).toBe(false);
    expect(await eventually(other.url, community.id, first.jti, first.exp, false)).toBe(false);
    const again = await call<{ code: string }>('POST', `/api/v1/certifications/${recorded.json.id}/revoke`, { reason: 'again' });
    expect([again.status, again.json.code]).toEqual([409, 'already-revoked']);

    // refusals: problem documents, nothing written
    const before = await count(community.id);
    const refusal = async (body: unknown, status: number, code: string, detail: RegExp) => {
      const r = await call<{ code: string; detail: string }>('POST', '/api/v1/certifications', body);
      expect([r.status, r.type, r.json.code]).toEqual([status, 'application/problem+json', code]);
      expect(r.json.detail).toMatch(detail);
    };
    await refusal({ templateId: template.json.id, organizationId: appOrg.id, jwt: (await sign({ sub: `https://app.${host}/spare` })).jwt }, 422, 'certification-invalid', /no live udap-client certificate/);
    await refusal({ templateId: template.json.id, organizationId: certifierOrg.id, jwt: (await sign()).jwt }, 422, 'certification-invalid', /is not a SAN URI of organization/);
    await refusal({ templateId: randomUUID(), organizationId: appOrg.id, jwt: (await sign()).jwt }, 404, 'not-found', /certification template/);
    await refusal({ templateId: template.json.id, organizationId: appOrg.id, jwt: (await sign({ exp: Math.floor(Date.now() / 1000) + 2 * 365 * DAY })).jwt }, 422, 'certification-invalid', /certification-outlives-certificate/);
    await refusal({ templateId: template.json.id, organizationId: appOrg.id, jwt: 'a.b' }, 400, 'validation', /expected shape/);
    expect(await count(community.id)).toBe(before);

    // the app's client certificate revoked: false on both instances (the CRL reaches the other one by its notification)
    const second = await sign();
    expect((await call<CertificationView>('POST', '/api/v1/certifications', { templateId: template.json.id, organizationId: appOrg.id, jwt: second.jwt })).status).toBe(201);
    expect(await eventually(other.url, community.id, second.jti, second.exp, true)).toBe(true);
    expect((await call('POST', `/api/v1/certificates/${appCert.json.id}/revoke`, { reason: 'keyCompromise' })).status).toBe(200);
    expect(await eventually(srv.url, community.id, second.jti, second.exp, false)).toBe(false);
    expect(await eventually(other.url, community.id, second.jti, second.exp, false)).toBe(false);
  });

  it('issues a certification with a platform certifier whose key the signer holds, and serves its status', async () => {
    const h = `p.${host}`;
    const community = (await call<CommunityView>('POST', '/api/v1/communities', { name: 'Platform certifications', uri: `udap://${h}/`, caKeyType: 'RSA-2048' })).json;
    const certifierOrg = (await call<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Certification body', sanUris: [`https://certifier.${h}/udap`] })).json;
    const appOrg = (await call<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'App maker', sanUris: [`https://app.${h}/client`] })).json;
    expect((await call('POST', '/api/v1/certificates', { organizationId: appOrg.id, profile: 'udap-client', csr: opensslCsr(dir, { rsaBits: 2048, sans: [`https://app.${h}/client`] }).csrPem })).status).toBe(201);
    const template = (await call<CertificationTemplateView>('POST', `/api/v1/communities/${community.id}/certification-templates`, { builtIn: 'tefca-basic-app' })).json;
    const certifier = await call<{ id: string; sanUri: string; certificateId: string; notAfter: string }>('POST', `/api/v1/communities/${community.id}/certifiers`,
      { organizationId: certifierOrg.id, sanUri: `https://certifier.${h}/udap`, validityDays: 100 });
    expect([certifier.status, certifier.json.sanUri]).toEqual([201, `https://certifier.${h}/udap`]);
    const listed = await call<{ id: string }[]>('GET', `/api/v1/communities/${community.id}/certifiers`);
    expect(listed.json.map((c) => c.id)).toEqual([certifier.json.id]);

    const body = { certifierId: certifier.json.id, templateId: template.id, organizationId: appOrg.id, sub: `https://app.${h}/client`, grantTypes: ['client_credentials'], validityDays: 90 };
    const before = await count(community.id);
    const tooLong = await call<{ code: string; detail: string }>('POST', '/api/v1/certifications/issue', { ...body, validityDays: 101 });
    expect([tooLong.status, tooLong.type, tooLong.json.code]).toEqual([422, 'application/problem+json', 'certification-invalid']);
    expect(tooLong.json.detail).toMatch(/notAfter/);
    expect(await count(community.id)).toBe(before);
    // without validityDays: a year, shortened to the certifier certificate's notAfter (100 days here)
    const byDefault = await call<CertificationView>('POST', '/api/v1/certifications/issue', { ...body, validityDays: undefined });
    expect(byDefault.status).toBe(201);
    expect(Date.parse(byDefault.json.exp)).toBe(Math.floor(Date.parse(certifier.json.notAfter) / 1000) * 1000);

    const issued = await call<CertificationView>('POST', '/api/v1/certifications/issue', body);
    expect([issued.status, issued.json.iss, issued.json.certifierCertificateId]).toEqual([201, `https://certifier.${h}/udap`, certifier.json.certificateId]);
    const exp = Date.parse(issued.json.exp) / 1000;
    expect(await eventually(other.url, community.id, issued.json.jti, exp, true)).toBe(true);
    expect((await call('POST', `/api/v1/certifications/${issued.json.id}/revoke`, { reason: 'Issued in error' })).status).toBe(200);
    expect(await eventually(other.url, community.id, issued.json.jti, exp, false)).toBe(false);
  });
});

