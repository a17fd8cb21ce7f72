// Fixed records shaped like the API's wire types, served by the stand-in API of the browser test.
import type { CaView, CertificateView, CommunityView, CrlView, OrganizationView, UserView } from '@anchorage/contracts';

const PKI = 'http://127.0.0.1/pki';
const pem = (label: string) => `-----BEGIN CERTIFICATE-----\nMIIB${label}FAKEFIXTUREDATA0000000000000000000000000000000000000000\n-----END CERTIFICATE-----\n`;

/** Ids used by the fixtures (UUIDs, as the API's ParseUUIDPipe requires). */
export const ids = {
  community: '11111111-1111-4111-8111-111111111111',
  rootCa: '22222222-2222-4222-8222-222222222221',
  issuingCa: '22222222-2222-4222-8222-222222222222',
  org: '33333333-3333-4333-8333-333333333333',
  otherOrg: '33333333-3333-4333-8333-333333333334',
  revokedElsewhere: '44444444-4444-4444-8444-444444444441',
  onHold: '44444444-4444-4444-8444-444444444442',
  revocable: '44444444-4444-4444-8444-444444444443',
  otherOrgCert: '44444444-4444-4444-8444-444444444444',
  operator: '55555555-5555-4555-8555-555555555551',
  auditor: '55555555-5555-4555-8555-555555555552',
  memberAdmin: '55555555-5555-4555-8555-555555555553',
  lockedAuditor: '55555555-5555-4555-8555-555555555554',
};

const ca = (id: string, role: CaView['role'], subject: string): CaView => ({
  id, communityId: ids.community, role, status: 'active', subject, keyType: 'EC-P256',
  notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2035-01-01T00:00:00.000Z',
  certificateUrl: `${PKI}/ca/${id}.crt`, crlUrl: `${PKI}/crl/${id}.crl`, certificatePem: pem('ROOT'), csrPem: null,
});

/** The root and issuing CA of the fixture community. */
export const cas: CaView[] = [
  ca(ids.rootCa, 'root', 'CN=Example Trust Community Root CA'),
  ca(ids.issuingCa, 'issuing', 'CN=Example Trust Community Issuing CA'),
];

/** The one fixture community. */
export const communities: CommunityView[] = [{
  id: ids.community, uri: 'https://trust.example.org/community', name: 'Example Trust Community',
  policy: { allowedLeafKeyTypes: ['EC-P256', 'RSA-2048'], maxLeafValidityDays: 365, crlLifetimeSeconds: 86400, allowGeneratedKeys: false },
  rootCaId: ids.rootCa, issuingCaId: ids.issuingCa, createdAt: '2025-01-01T00:00:00.000Z',
}];

const org = (id: string, name: string, sanUri: string): OrganizationView => ({
  id, communityId: ids.community, name, sanUris: [sanUri],
  status: 'active', statusReason: null, profile: {}, submittedAt: null, reviewedAt: null, createdAt: '2025-02-01T00:00:00.000Z',
});

/** The fixture member organizations: the member admin's, and another one it must not see. */
export const organizations: OrganizationView[] = [
  org(ids.org, 'Sunrise Clinic', 'https://fhir.sunrise.example/r4'),
  org(ids.otherOrg, 'Harbor Labs', 'https://fhir.harbor.example/r4'),
];

const cert = (id: string, serial: string, status: CertificateView['status'], organizationId = ids.org): CertificateView => ({
  id, issuerId: ids.issuingCa, organizationId, serial, profile: 'udap-client', status,
  subject: organizationId === ids.org ? 'CN=Sunrise Clinic' : 'CN=Harbor Labs',
  sanUris: [organizations.find((o) => o.id === organizationId)!.sanUris[0]],
  notBefore: '2025-03-01T00:00:00.000Z', notAfter: '2026-03-01T00:00:00.000Z', revokedAt: null, revocationReason: null,
  pem: pem('LEAF'), chainPem: pem('LEAF') + pem('ISSUING'), derBase64: 'MIIBLEAF', x5c: ['MIIBLEAF', 'MIIBISSUING'],
  crlUrl: `${PKI}/crl/${ids.issuingCa}.crl`, caIssuersUrl: `${PKI}/ca/${ids.issuingCa}.crt`,
});

/**
 * Leaf certificates. 0a1b shows as issued but the stand-in answers 409 already-revoked when it is revoked:
 * another operator revoked it after this console loaded it. 0f4a revokes; 0e3f is Harbor Labs'.
 */
export const certificates: CertificateView[] = [
  cert(ids.revokedElsewhere, '0a1b', 'issued'),
  { ...cert(ids.onHold, '0c2d', 'on-hold'), revokedAt: '2025-06-01T00:00:00.000Z', revocationReason: 'certificateHold' },
  cert(ids.revocable, '0f4a', 'issued'),
  cert(ids.otherOrgCert, '0e3f', 'issued', ids.otherOrg),
];

/** The CRL the stand-in reports after a successful revocation or release. */
export const crl: CrlView = {
  caId: ids.issuingCa, crlNumber: '7', thisUpdate: '2025-06-02T00:00:00.000Z', nextUpdate: '2025-06-03T00:00:00.000Z',
  entryCount: 0, sha256: '00'.repeat(32), url: `${PKI}/crl/${ids.issuingCa}.crl`,
};

const user = (id: string, email: string, displayName: string, role: UserView['role'], extra: Partial<UserView> = {}): UserView => ({
  id, email, displayName, role, organizationId: null, communities: [], totpEnabled: false, lockedUntil: null, disabled: false,
  createdAt: '2025-01-15T00:00:00.000Z', ...extra,
});

/** People who sign in: an operator of every community (with TOTP), an auditor, Sunrise Clinic's member admin, and a locked auditor. */
export const users: UserView[] = [
  user(ids.operator, 'olivia@anchorage.example', 'Olivia Operator', 'operator', { communities: 'all', totpEnabled: true }),
  user(ids.auditor, 'aldo@anchorage.example', 'Aldo Auditor', 'auditor'),
  user(ids.memberAdmin, 'mia@sunrise.example', 'Mia Member', 'member-admin', { organizationId: ids.org }),
  user(ids.lockedAuditor, 'lars@anchorage.example', 'Lars Locked', 'auditor', { lockedUntil: '2099-01-01T00:00:00.000Z' }),
];
