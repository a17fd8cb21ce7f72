import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { opensslCsr, opensslVerify, tempDir, testPlatformOptions } from '@anchorage/testing';
import { createCommunity, type CreatedCommunity } from '../create-community';
import { addSanUris, createOrganization } from '../create-organization';
import type { Actor } from '../deps';
import { reinstateOrganization, suspendOrganization } from '../onboarding/review';
import { openPlatform, type Platform } from '../platform';
import { expectDomainError } from '../testing/expect-domain-error';
import { approveCertificateRequest, cancelCertificateRequest, rejectCertificateRequest, submitCertificateRequest } from './certificate-requests';

const operator: Actor = { id: 'test-operator', role: 'operator' };

describe('certificate requests: submit, approve (issues), reject, cancel (PostgreSQL + OpenSSL)', () => {
  let p: Platform;
  let c: CreatedCommunity;
  let orgId: string;
  let member: Actor;
  let admin: Client;
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-requests-');
  const tag = randomUUID().slice(0, 8);
  const san = `https://fhir.req-${tag}.example.org/r4`;
  const requestsOfOrg = async () => (await admin.query('SELECT count(*)::int AS n FROM certificate_request WHERE organization_id = $1', [orgId])).rows[0].n as number;

  beforeAll(async () => {
    p = await openPlatform(opts);
    c = await createCommunity(p, { name: 'Requests', uri: `udap://req-${tag}.example.org/`, caKeyType: 'RSA-2048' }, operator);
    orgId = (await createOrganization(p, { communityId: c.community.id, name: 'Request Clinic', sanUris: [san] }, operator)).id;
    member = { id: `user:member@req:${tag}`, role: 'member-admin', organizationId: orgId, userId: randomUUID() };
    admin = new Client({ connectionString: opts.databaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await p.close();
  });

  it('refuses bad requests at submission and stores nothing', async () => {
    const before = await requestsOfOrg();
    await expectDomainError(submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: 'garbage' }, member), 'bad-csr');
    const foreignSan = opensslCsr(dir, { rsaBits: 2048, sans: [`https://elsewhere-${tag}.example.org/fhir`] });
    await expectDomainError(submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: foreignSan.csrPem }, member), 'san-invalid', /not registered/);
    const ec = opensslCsr(dir, { curve: 'P-256', sans: [san] });
    await expectDomainError(submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: ec.csrPem }, member), 'key-policy');
    const good = opensslCsr(dir, { rsaBits: 2048, sans: [san] });
    await expectDomainError(submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-nothing', csr: good.csrPem }, member), 'validation');
    // a CSR that does not match the request: other SANs, another key type
    const otherSans = opensslCsr(dir, { rsaBits: 2048, sans: [san, `https://other-${tag}.example.org/x`] });
    await expectDomainError(submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: otherSans.csrPem, sanUris: [san] }, member), 'san-invalid', /the CSR asks for https:\/\/other-/);
    await expectDomainError(submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: good.csrPem, keyType: 'RSA-3072' }, member), 'key-policy', /carries a RSA-2048 key/);
    expect(await requestsOfOrg()).toBe(before);
  });

  it('answers a repeated submission with the same request, and a reused request id for another CSR with an error', async () => {
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [san] });
    const first = await submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem, requestId: 'dup-1' }, member);
    expect(first).toMatchObject({ created: true, request: { status: 'submitted', sanUris: [san], keyType: 'RSA-2048' } });
    const again = await submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem, requestId: 'dup-1' }, member);
    expect(again).toMatchObject({ created: false, request: { id: first.request.id } });
    const sameCsr = await submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem }, member);
    expect(sameCsr.request.id).toBe(first.request.id);
    const other = opensslCsr(dir, { rsaBits: 2048, sans: [san] });
    await expectDomainError(submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: other.csrPem, requestId: 'dup-1' }, member), 'idempotency-mismatch');
    const cancelled = await cancelCertificateRequest(p, first.request, member);
    expect(cancelled.status).toBe('cancelled');
    await expectDomainError(approveCertificateRequest(p, cancelled, operator), 'invalid-transition');
  });

  it('issues on approval a certificate OpenSSL accepts, once; rejects with a reason', async () => {
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [san] });
    const { request } = await submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem }, member);
    const out = await approveCertificateRequest(p, request, operator);
    expect(out.request).toMatchObject({ status: 'issued', certificateId: out.certificate.id, decidedBy: operator.id });
    const v = opensslVerify(dir, {
      anchors: [c.root!.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: [p.repository.crl(c.root!.id)!.body, p.repository.crl(c.issuing.id)!.body], leaf: out.certificate.der!,
    });
    expect(v.stdout + v.stderr).toMatch(/: OK/);
    expect(v.status).toBe(0);
    await expectDomainError(approveCertificateRequest(p, out.request, operator), 'invalid-transition');

    const next = opensslCsr(dir, { rsaBits: 2048, sans: [san] });
    const r2 = (await submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: next.csrPem, renewalOf: out.certificate.id }, member)).request;
    expect(r2.renewalOf).toBe(out.certificate.id);
    // a renewal keeps the certificate's SAN URIs and profile: another SAN or profile is refused, and nothing is recorded
    const otherSan = `https://fhir.req-${tag}.example.org/other`;
    await addSanUris(p, orgId, [otherSan], operator);
    const before = await requestsOfOrg();
    const wider = opensslCsr(dir, { rsaBits: 2048, sans: [san, otherSan] });
    await expectDomainError(submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: wider.csrPem, renewalOf: out.certificate.id }, member), 'san-invalid');
    const asClient = opensslCsr(dir, { rsaBits: 2048, sans: [san] });
    await expectDomainError(submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-client', csr: asClient.csrPem, renewalOf: out.certificate.id }, member), 'validation');
    expect(await requestsOfOrg()).toBe(before);
    await expectDomainError(rejectCertificateRequest(p, r2, ' ', operator), 'validation');
    expect((await rejectCertificateRequest(p, r2, 'use an HSM-held key', operator))).toMatchObject({ status: 'rejected', reason: 'use an HSM-held key' });
  });

  it('puts a request back to submitted, with the reason, when approval cannot issue; approving again later issues', async () => {
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [san] });
    const { request } = await submitCertificateRequest(p, { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem }, member);
    await suspendOrganization(p, (await p.db.organizations.find(orgId))!, 'audit finding', operator);
    await expectDomainError(approveCertificateRequest(p, request, operator), 'organization-inactive');
    const back = (await p.db.requests.find(request.id))!;
    expect(back.status).toBe('submitted');
    expect(back.reason).toMatch(/approval could not issue: .*suspended/);
    await reinstateOrganization(p, (await p.db.organizations.find(orgId))!, operator);
    const out = await approveCertificateRequest(p, back, operator);
    expect(out.request.status).toBe('issued');
    const issuedForRequest = (await admin.query(`SELECT count(*)::int AS n FROM certificate WHERE request_key = $1`, [`certificate-request:${request.id}`])).rows[0].n;
    expect(issuedForRequest).toBe(1);
  });
});
