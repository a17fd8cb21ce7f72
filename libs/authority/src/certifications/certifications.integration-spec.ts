import { createPrivateKey, randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import { verifyUdapJwt } from '@anchorage/udap';
import { FakeClock, opensslCsr, opensslVerify, tempDir, testPlatformOptions, type OpensslCsr } from '@anchorage/testing';
import { createCommunity, type CreatedCommunity } from '../create-community';
import { createOrganization } from '../create-organization';
import type { Actor } from '../deps';
import { issueCertificate } from '../issue-certificate';
import { openPlatform, type Platform } from '../platform';
import { submitCertificateRequest } from '../requests';
import { revokeCertificate } from '../revoke-certificate';
import { expectDomainError } from '../testing/expect-domain-error';
import { CertificationStatusIndex } from './certification-status';
import { communityTrust } from '../community-trust';
import { defineCertificationTemplate } from './define-certification-template';
import { listCertifications } from './list-certifications';
import { recordCertification } from './record-certification';
import { revokeCertification } from './revoke-certification';

const operator: Actor = { id: 'certifications-operator', role: 'operator' };
const DAY = 86_400;
const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

// Certifications end to end on a real database: a certifier organization with a udap-certifier
// certificate the platform issued signs certification JWTs of a member app; the platform verifies and
// records them; the status index answers valid until the certification is revoked, expires, or the
// app's client certificate is revoked; every refusal writes nothing.
describe('certifications of member apps', () => {
  let p: Platform;
  let c: CreatedCommunity;
  let status: CertificationStatusIndex;
  let certifier: { orgId: string; csr: OpensslCsr; der: Uint8Array; certId: string };
  let app: { orgId: string; certId: string; uri: string };
  let templateId: string;
  const clock = new FakeClock(new Date());
  const dir = tempDir('anchorage-certifications-');
  const host = `cert-${randomUUID().slice(0, 8)}.example.org`;
  const certifierUri = `https://certifier.${host}/udap`;
  const appUri = `https://app.${host}/client`;

  const count = async () => Number((await p.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM certification WHERE community_id = $1', [c.community.id])).rows[0].n);
  const nowS = () => Math.floor(clock.now().getTime() / 1000);

  /** A certification of `sub` by the certifier, following the TEFCA template; `extra` overrides claims. */
  function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const iat = nowS();
    return {
      iss: certifierUri, sub: appUri, iat, exp: iat + 180 * DAY, jti: randomUUID(),
      certification_name: 'TEFCA Basic App Certification',
      certification_uris: ['https://rce.sequoiaproject.org/udap/profiles/basic-app-certification'],
      certification_description: 'The app meets the TEFCA Basic App criteria for FHIR exchange under the listed exchange purposes.',
      certification_status_endpoint: p.urls.certificationStatus(c.community.id),
      is_endorsement: false, developer_name: 'App Developer Inc.', client_name: 'Example App', client_uri: appUri,
      grant_types: ['client_credentials'], exchange_purposes: ['T-TREAT'],
      ...extra,
    };
  }
  async function sign(body: Record<string, unknown>, keyPem = certifier.csr.keyPem, chain = [certifier.der, c.issuing.certificateDer!]): Promise<string> {
    return new CompactSign(new TextEncoder().encode(JSON.stringify(body))).setProtectedHeader({ alg: 'RS256', x5c: chain.map(b64) }).sign(createPrivateKey(keyPem));
  }
  const record = (jwt: string, extra: Partial<{ templateId: string; organizationId: string }> = {}, actor: Actor = operator) =>
    recordCertification(p, { templateId, organizationId: app.orgId, jwt, ...extra }, actor);
  const isValid = async (jti: string, exp: number) => {
    await status.refresh(c.community.id);
    return status.valid(c.community.id, jti, exp);
  };

  beforeAll(async () => {
    p = await openPlatform({ ...testPlatformOptions(), clock });
    c = await createCommunity(p, { name: 'Certifications', uri: `udap://${host}/`, caKeyType: 'RSA-2048' }, operator);
    const certifierOrg = await createOrganization(p, { communityId: c.community.id, name: 'Certifier', sanUris: [certifierUri] }, operator);
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [certifierUri] });
    const issued = await issueCertificate(p, { organizationId: certifierOrg.id, profile: 'udap-certifier', csr: csr.csrPem }, operator);
    certifier = { orgId: certifierOrg.id, csr, der: issued.certificate.der!, certId: issued.certificate.id };
    const appOrg = await createOrganization(p, { communityId: c.community.id, name: 'App developer', sanUris: [appUri, `${appUri}/other`] }, operator);
    const appCert = await issueCertificate(p, { organizationId: appOrg.id, profile: 'udap-client', csr: opensslCsr(dir, { rsaBits: 2048, sans: [appUri] }).csrPem }, operator);
    app = { orgId: appOrg.id, certId: appCert.certificate.id, uri: appUri };
    templateId = (await defineCertificationTemplate(p, { communityId: c.community.id, builtIn: 'tefca-basic-app' }, operator)).id;
    status = new CertificationStatusIndex(p.db, clock);
  });
  afterAll(async () => {
    await status?.stop();
    await p?.close();
  });

  it('records a certification that verifies as a relying party checks it, and its status is valid until it is revoked', async () => {
    const body = claims();
    const jwt = await sign(body);
    const recorded = await record(jwt);
    expect(recorded).toMatchObject({ jti: body.jti, iss: certifierUri, sub: appUri, organizationId: app.orgId, certifierCertificateId: certifier.certId, status: 'active', jwt });
    expect(recorded.exp.getTime()).toBe((body.exp as number) * 1000);

    // libs/udap, as a relying party: valid, with the community's chain; OpenSSL agrees on x5c[0]
    const verdict = await verifyUdapJwt(jwt, (await communityTrust(p, c.community.id)).trust, { kind: 'certification', now: clock.now(), expected: { sub: appUri } });
    expect(verdict.findings).toEqual([]);
    expect(verdict.valid).toBe(true);
    const crls = [c.root.id, c.issuing.id].map((id) => p.repository.crl(id)!.body);
    expect(opensslVerify(dir, { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], leaf: certifier.der, crls }).stdout).toMatch(/: OK/);

    expect(await isValid(body.jti as string, body.exp as number)).toBe(true);
    // the exp asked must be the certification's own
    expect(status.valid(c.community.id, body.jti as string, (body.exp as number) + 1)).toBe(false);
    expect(status.valid(c.community.id, randomUUID(), body.exp as number)).toBe(false);
    expect(status.valid(randomUUID(), body.jti as string, body.exp as number)).toBeUndefined();
    expect((await listCertifications(p, { sub: appUri })).items.map((x) => x.id)).toContain(recorded.id);
    expect((await listCertifications(p, { partyOrganizationId: certifier.orgId })).items.map((x) => x.id)).toContain(recorded.id);

    const revoked = await revokeCertification(p, { certificationId: recorded.id, reason: 'The app no longer meets the criteria' }, operator);
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: 'The app no longer meets the criteria', revokedBy: operator.id });
    expect(await isValid(body.jti as string, body.exp as number)).toBe(false);
    const audit = await p.db.audit.read(0n, 1000, { subjectId: recorded.id });
    expect(audit.map((e) => e.action)).toEqual(['certification.recorded', 'certification.revoked']);
    await expectDomainError(revokeCertification(p, { certificationId: recorded.id, reason: 'again' }, operator), 'already-revoked');
    await expectDomainError(revokeCertification(p, { certificationId: randomUUID(), reason: 'x' }, operator), 'not-found');
    await expectDomainError(revokeCertification(p, { certificationId: recorded.id, reason: ' ' }, operator), 'validation');
  });

  it('answers false once the certification expired', async () => {
    const body = claims({ exp: nowS() + 2 * DAY });
    await record(await sign(body));
    expect(await isValid(body.jti as string, body.exp as number)).toBe(true);
    clock.advance(2 * DAY * 1000);
    expect(status.valid(c.community.id, body.jti as string, body.exp as number)).toBe(false);
    expect(await isValid(body.jti as string, body.exp as number)).toBe(false);
  });

  it('answers false once the app\'s udap-client certificate is revoked', async () => {
    const body = claims();
    await record(await sign(body));
    expect(await isValid(body.jti as string, body.exp as number)).toBe(true);
    await revokeCertificate(p, { certificate: { certificateId: app.certId }, reason: 'keyCompromise' }, operator);
    expect(await isValid(body.jti as string, body.exp as number)).toBe(false);
    // and no new certification of that app is recorded while it has no live client certificate
    const before = await count();
    await expectDomainError(record(await sign(claims())), 'certification-invalid', /no live udap-client certificate/);
    expect(await count()).toBe(before);
    // a renewal of its client certificate makes the app certifiable again
    const renewed = await issueCertificate(p, { organizationId: app.orgId, profile: 'udap-client', csr: opensslCsr(dir, { rsaBits: 2048, sans: [appUri] }).csrPem }, operator);
    app.certId = renewed.certificate.id;
  });

  describe('refusals write nothing', () => {
    async function refused(p1: Promise<unknown>, code: string, message: RegExp): Promise<void> {
      const before = await count();
      await expectDomainError(p1, code, message);
      expect(await count()).toBe(before);
    }

    it('a sub the organization does not own', async () => {
      const other = await createOrganization(p, { communityId: c.community.id, name: 'Other', sanUris: [`https://other.${host}/client`] }, operator);
      await refused(record(await sign(claims({ sub: `https://other.${host}/client` }))), 'certification-invalid', /is not a SAN URI of organization/);
      await refused(record(await sign(claims()), { organizationId: other.id }), 'certification-invalid', /is not a SAN URI of organization/);
      // bound to the app but without a client certificate for it
      await refused(record(await sign(claims({ sub: `${appUri}/other` }))), 'certification-invalid', /no live udap-client certificate/);
    });

    it('an exp past the certifier certificate or more than 3 years after iat', async () => {
      await refused(record(await sign(claims({ exp: nowS() + 3 * 366 * DAY }))), 'certification-invalid', /lifetime-exceeded/);
      const shortOrg = await createOrganization(p, { communityId: c.community.id, name: 'Short certifier', sanUris: [`https://short.${host}/udap`] }, operator);
      const csr = opensslCsr(dir, { rsaBits: 2048, sans: [`https://short.${host}/udap`] });
      const short = await issueCertificate(p, { organizationId: shortOrg.id, profile: 'udap-certifier', csr: csr.csrPem, validityDays: 30 }, operator);
      const jwt = await sign(claims({ iss: `https://short.${host}/udap`, exp: nowS() + 60 * DAY }), csr.keyPem, [short.certificate.der!, c.issuing.certificateDer!]);
      await refused(record(jwt), 'certification-invalid', /certification-outlives-certificate/);
    });

    it('an unknown template, a template of its terms broken, a wrong status endpoint', async () => {
      await refused(record(await sign(claims()), { templateId: randomUUID() }), 'not-found', /certification template/);
      await refused(record(await sign(claims({ certification_name: 'Something else' }))), 'certification-invalid', /certification_name must be/);
      await refused(record(await sign(claims({ grant_types: ['authorization_code'], response_types: ['token'] }))), 'certification-invalid', /response_types "token" not allowed/);
      await refused(record(await sign(claims({ exchange_purposes: ['T-MARKETING'] }))), 'certification-invalid', /exchange_purposes "T-MARKETING" not allowed/);
      await refused(record(await sign(claims({ certification_status_endpoint: 'https://elsewhere.example.org/status' }))), 'certification-invalid', /certification_status_endpoint must be/);
    });

    it('a JWT signed with a certificate that is not a udap-certifier one, or not valid at all', async () => {
      const clientCsr = opensslCsr(dir, { rsaBits: 2048, sans: [`${appUri}/self`] });
      await p.db.organizations.bindSanUris(c.community.id, app.orgId, [`${appUri}/self`]);
      const client = await issueCertificate(p, { organizationId: app.orgId, profile: 'udap-client', csr: clientCsr.csrPem }, operator);
      const selfSigned = await sign(claims({ iss: `${appUri}/self` }), clientCsr.keyPem, [client.certificate.der!, c.issuing.certificateDer!]);
      await refused(record(selfSigned), 'certification-invalid', /is a udap-client certificate/);
      const jwt = await sign(claims());
      const [h, b] = jwt.split('.');
      await refused(record(`${h}.${b}.${Buffer.from('forged').toString('base64url')}`), 'certification-invalid', /signature/);
      await refused(record('not a jwt'), 'validation', /compact JWS/);
    });

    it('a jti recorded already, and a member recording another certifier\'s certification', async () => {
      const body = claims();
      await record(await sign(body));
      await refused(record(await sign({ ...body })), 'conflict', /jti/);
      const member: Actor = { id: 'member-of-app', role: 'member-admin', organizationId: app.orgId };
      await refused(record(await sign(claims()), {}, member), 'forbidden', /certifier certificate/);
      const certifierMember: Actor = { id: 'member-of-certifier', role: 'member-admin', organizationId: certifier.orgId };
      expect((await record(await sign(claims()), {}, certifierMember)).createdBy).toBe('member-of-certifier');
    });

    it('template definitions: a name used twice, bad terms', async () => {
      const before = Number((await p.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM certification_template')).rows[0].n);
      await expectDomainError(defineCertificationTemplate(p, { communityId: c.community.id, builtIn: 'tefca-basic-app' }, operator), 'conflict');
      await expectDomainError(defineCertificationTemplate(p, { communityId: c.community.id, builtIn: 'nope' }, operator), 'validation', /builtIn/);
      await expectDomainError(defineCertificationTemplate(p, { communityId: c.community.id, name: 'X', uris: [], grantTypes: ['client_credentials'] }, operator), 'validation', /uris/);
      await expectDomainError(defineCertificationTemplate(p, { communityId: c.community.id, name: 'X', uris: ['https://x.example.org/c'], grantTypes: ['implicit'] }, operator), 'validation', /grantTypes/);
      await expectDomainError(defineCertificationTemplate(p, { communityId: randomUUID(), name: 'X', uris: ['https://x.example.org/c'], grantTypes: ['client_credentials'] }, operator), 'not-found');
      expect(Number((await p.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM certification_template')).rows[0].n)).toBe(before);
      const own = await defineCertificationTemplate(p, {
        communityId: c.community.id, name: 'Community B2B App', uris: ['https://community.example.org/certs/b2b'], grantTypes: ['client_credentials'], scopes: ['system/Patient.rs'],
      }, operator);
      expect(own).toMatchObject({ name: 'Community B2B App', scopes: ['system/Patient.rs'], responseTypes: [], exchangePurposes: [], isEndorsement: false });
    });
  });

  it('never approves a certifier\'s certificate request automatically: admitting a certifier is an operator\'s decision', async () => {
    const auto = await createCommunity(p, {
      name: 'Auto approval', uri: `udap://auto.${host}/`, caKeyType: 'RSA-2048', policy: { autoApproveVerifiedRequests: true },
    }, operator);
    const certifierSan = `https://certifier.auto.${host}/udap`;
    const idpSan = `https://idp.auto.${host}/oidc`;
    const org = await createOrganization(p, { communityId: auto.community.id, name: 'Would-be certifier', sanUris: [certifierSan, idpSan] }, operator);
    // both SAN URIs passed endpoint control (recorded as the check would)
    for (const uri of [certifierSan, idpSan]) {
      await p.db.onboarding.startEndpointCheck({ organizationId: org.id, uri, token: `t-${uri}`, requestedBy: operator.id, now: clock.now() });
      expect(await p.db.onboarding.recordEndpointCheck(org.id, uri, `t-${uri}`, { ok: true, error: null, now: clock.now() })).toBe(true);
    }
    const member: Actor = { id: 'would-be-certifier', role: 'member-admin', organizationId: org.id };
    const idp = await submitCertificateRequest(p, { organizationId: org.id, profile: 'udap-idp', csr: opensslCsr(dir, { rsaBits: 2048, sans: [idpSan] }).csrPem }, member);
    expect(idp.request).toMatchObject({ status: 'issued', decidedBy: 'auto-approval' });
    const cert = await submitCertificateRequest(p, { organizationId: org.id, profile: 'udap-certifier', csr: opensslCsr(dir, { rsaBits: 2048, sans: [certifierSan] }).csrPem }, member);
    expect(cert.request).toMatchObject({ status: 'submitted', certificateId: null });
  });
});
