import { randomUUID } from 'node:crypto';
import { createApiToken, createCommunity, openPlatform, type Platform } from '@anchorage/authority';
import type { OrganizationView } from '@anchorage/contracts';
import { openssl, opensslCsr, SmtpReceiver, tempDir, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

describe('onboarding over HTTP: invitation e-mail, acceptance, profile, approval (real SMTP receiver, PostgreSQL)', () => {
  let p: Platform;
  let srv: RunningServer;
  let smtp: SmtpReceiver;
  let token: string;
  let communityId: string;
  const opts = testPlatformOptions();
  const tag = randomUUID().slice(0, 8);
  const dir = tempDir('anchorage-onboarding-http-');

  const call = async (method: string, path: string, body?: unknown, bearer: string | null = token) => {
    const res = await fetch(`${srv.url}${path}`, {
      method, headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', json: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    p = await openPlatform({ ...opts, smtpUrl: smtp.url });
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
    token = (await createApiToken(p, 'onboarding', { id: 'test', role: 'operator' })).token;
    communityId = (await createCommunity(p, { name: 'HTTP Onboarding', uri: `udap://http-onb-${tag}.example.org/`, caKeyType: 'EC-P256' }, { id: 'test', role: 'operator' })).community.id;
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
    await smtp.close();
  });

  it('takes an invited contact from the e-mail link to an approved organization', async () => {
    const email = `http-${tag}@clinic.example`;
    const inv = await call('POST', '/api/v1/invitations', { email, communityId, organizationName: 'HTTP Clinic' });
    expect(inv.status).toBe(201);
    const mail = await smtp.waitFor(email);
    const link = /accept-invitation\?token=(ani_[A-Za-z0-9_-]+)/.exec(mail.text)![1];

    const look = await call('POST', '/api/v1/invitations/lookup', { token: link }, null);
    expect(look.json).toMatchObject({ email, organizationName: 'HTTP Clinic' });
    const accepted = await call('POST', '/api/v1/invitations/accept', { token: link, displayName: 'HTTP Contact', password: 'http contact password' }, null);
    expect(accepted.status).toBe(201);
    const reused = await call('POST', '/api/v1/invitations/accept', { token: link, displayName: 'Again', password: 'http contact password' }, null);
    expect(reused.status).toBe(410);
    expect(reused.type).toMatch(/problem\+json/);
    expect(reused.json.detail).toMatch(/already used/);

    const login = await call('POST', '/api/v1/auth/login', { email, password: 'http contact password' }, null);
    const member = login.json.accessToken as string;
    const orgId = accepted.json.organizationId as string;
    const bad = await call('POST', `/api/v1/organizations/${orgId}/submit`, { legalName: 'HTTP Clinic LLC' }, member);
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['identifiers', 'address.lines', 'technicalContact.email', 'requestedSanUris']));
    const sans = [`https://fhir.http-${tag}.example.org/r4`, `https://extra.http-${tag}.example.org/r4`];
    const profile = (requestedSanUris: string[]) => ({
      legalName: 'HTTP Clinic LLC', identifiers: [{ type: 'OID', value: '2.16.840.1.113883.3.9999' }], address: { lines: ['2 Side St'], city: 'Utrecht', country: 'NL' },
      technicalContact: { name: 'T', email: 't@clinic.example' }, securityContact: { name: 'S', email: 's@clinic.example' }, requestedSanUris,
    });
    const submitted = await call('POST', `/api/v1/organizations/${orgId}/submit`, profile([sans[0]]), member);
    expect(submitted.json as OrganizationView).toMatchObject({ status: 'submitted', profileRevision: 1 });
    // the member cannot approve its own organization
    expect((await call('POST', `/api/v1/organizations/${orgId}/approve`, { profileRevision: 1 }, member)).status).toBe(403);
    const waiting = await call('GET', `/api/v1/organizations?filter=${encodeURIComponent(JSON.stringify({ status: 'submitted' }))}`);
    expect(waiting.json.map((o: OrganizationView) => o.id)).toContain(orgId);
    const shown = (await call('GET', `/api/v1/organizations/${orgId}`)).json as OrganizationView;
    expect(shown).toMatchObject({ profileRevision: 1, profile: { requestedSanUris: [sans[0]] } });

    // the member adds a SAN URI while the operator looks at revision 1: approving revision 1 changes nothing
    expect((await call('POST', `/api/v1/organizations/${orgId}/submit`, profile(sans), member)).json).toMatchObject({ status: 'submitted', profileRevision: 2 });
    const stale = await call('POST', `/api/v1/organizations/${orgId}/approve`, { profileRevision: shown.profileRevision });
    expect(stale.status).toBe(409);
    expect(stale.type).toMatch(/^application\/problem\+json/);
    expect(stale.json).toMatchObject({ status: 409, code: 'profile-changed', type: 'https://anchorage.dev/problems/profile-changed', instance: `/api/v1/organizations/${orgId}/approve` });
    expect(stale.json.detail).toMatch(/revision 2/);
    expect((await call('GET', `/api/v1/organizations/${orgId}`)).json).toMatchObject({ status: 'submitted', sanUris: [], profileRevision: 2 });
    const unnamed = await call('POST', `/api/v1/organizations/${orgId}/approve`);
    expect(unnamed.status).toBe(400);
    expect(unnamed.json.errors).toEqual([expect.objectContaining({ field: 'profileRevision' })]);

    const approved = await call('POST', `/api/v1/organizations/${orgId}/approve`, { profileRevision: 2 });
    expect(approved.json).toMatchObject({ status: 'active', name: 'HTTP Clinic LLC', profileRevision: 2 });
    expect([...approved.json.sanUris].sort()).toEqual([...sans].sort());

    // the member requests a certificate, the operator approves, the member revokes it; the CRL lists it
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [`https://fhir.http-${tag}.example.org/r4`] });
    const submitted2 = await call('POST', '/api/v1/certificate-requests', { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem, requestId: 'first' }, member);
    expect(submitted2.status).toBe(201);
    expect((await call('POST', '/api/v1/certificate-requests', { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem, requestId: 'first' }, member)).status).toBe(200);
    expect((await call('POST', `/api/v1/certificate-requests/${submitted2.json.id}/approve`, undefined, member)).status).toBe(403);
    const issued = await call('POST', `/api/v1/certificate-requests/${submitted2.json.id}/approve`);
    expect(issued.json.request.status).toBe('issued');
    const cert = (await call('GET', `/api/v1/certificates/${issued.json.certificate.id}`, undefined, member)).json;
    expect(cert.chainPem).toContain('BEGIN CERTIFICATE');
    const operatorOnly = await call('POST', `/api/v1/certificates/${cert.id}/revoke`, { reason: 'cACompromise' }, member);
    expect(operatorOnly.status).toBe(403);
    expect(operatorOnly.json.code).toBe('reason-not-allowed');
    const revoked = await call('POST', `/api/v1/certificates/${cert.id}/revoke`, { reason: 'keyCompromise' }, member);
    expect(revoked.status).toBe(200);
    const crl = Buffer.from(await (await fetch(`${srv.url}/pki/crl/${cert.issuerId}.crl`)).arrayBuffer());
    const text = openssl(['crl', '-inform', 'DER', '-noout', '-text'], crl).stdout.toUpperCase();
    expect(text).toContain(cert.serial.toUpperCase());
  });
});
