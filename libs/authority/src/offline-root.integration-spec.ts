import { randomUUID } from 'node:crypto';
import { toPem } from '@anchorage/pki';
import {
  FakeClock, ISSUING_CA_EXTENSIONS, openssl, opensslCsr, opensslRoot, opensslVerify, tempDir, testPlatformOptions, writePem, type OpensslRoot,
} from '@anchorage/testing';
import { createCommunity } from './create-community';
import type { CommunityAwaitingRoot } from './create-offline-root-community';
import { createOrganization } from './create-organization';
import type { Actor } from './deps';
import { generateCrl } from './generate-crl';
import { installIssuingCaCertificate } from './install-issuing-ca-certificate';
import { issueCertificate } from './issue-certificate';
import { openPlatform, type Platform } from './platform';
import { refreshStaleCrls } from './refresh-crls';
import { linkAuditChain } from './audit-sequencer';
import { verifyAuditChain } from './verify-audit';
import { expectDomainError } from './testing/expect-domain-error';

const operator: Actor = { id: 'test-operator', role: 'operator' };
/** YYYYMMDDHHMMSSZ, as `openssl ca -startdate/-enddate` take it. */
const ROOT_SUBJECT = '/O=Offline Root Test/CN=Offline Root';
const asn1 = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';

describe('offline root: CSR out, externally signed certificate in (PostgreSQL + OpenSSL as the root)', () => {
  let p: Platform;
  let c: CommunityAwaitingRoot;
  let root: OpensslRoot;
  const dir = tempDir('anchorage-offline-');
  const host = `off${randomUUID().slice(0, 8)}.example.org`;
  const csrPem = () => toPem(c.issuing.csrDer!, 'CERTIFICATE REQUEST');
  const install = (certificate: string, rootCertificate = root.certPem, caId = c.issuing.id) => installIssuingCaCertificate(p, { caId, certificate, rootCertificate }, operator);
  const expectStillAwaiting = async () => {
    const ca = (await p.db.cas.find(c.issuing.id))!;
    expect(ca.status).toBe('awaiting-certificate');
    expect(ca.certificateDer).toBeNull();
    expect((await p.db.cas.ofCommunity(c.community.id)).map((x) => x.role)).toEqual(['issuing']);
    expect(await p.db.crls.latest(c.issuing.id, false)).toBeNull();
  };

  beforeAll(async () => {
    p = await openPlatform(testPlatformOptions());
    c = await createCommunity(p, { name: 'Offline Root Test', uri: `udap://${host}/`, caKeyType: 'RSA-2048', offlineRoot: true }, operator);
    root = opensslRoot(dir, { subject: ROOT_SUBJECT });
  });
  afterAll(() => p.close());

  it('creates only an issuing CA awaiting its certificate, with a CSR OpenSSL verifies and no CRL', async () => {
    expect(c.root).toBeNull();
    expect(c.issuing).toMatchObject({ role: 'issuing', status: 'awaiting-certificate', certificateDer: null, parentId: null });
    const path = writePem(dir, 'issuing.csr', [c.issuing.csrDer!], 'CERTIFICATE REQUEST');
    const v = openssl(['req', '-in', path, '-verify', '-noout', '-subject', '-pubkey']);
    expect(v.status).toBe(0);
    expect(v.stdout + v.stderr).toMatch(/verify OK/i);
    expect(v.stdout).toContain('subject=O = Offline Root Test, CN = Offline Root Test Issuing CA');
    // the CSR carries the key the signer holds
    expect(v.stdout).toContain(toPem(c.issuing.spkiDer, 'PUBLIC KEY').trim());
    await expectStillAwaiting();
    expect(p.repository.caCertificate(c.issuing.id)).toBeUndefined();
    await expectDomainError(generateCrl(p, c.issuing.id, operator), 'ca-not-active', /no certificate yet/);
    await expectDomainError(createOrganization(p, { communityId: c.community.id, name: 'Early', sanUris: [`https://early.${host}/fhir`] }, operator).then((org) =>
      issueCertificate(p, { organizationId: org.id, profile: 'udap-server', csr: opensslCsr(dir, { sans: [`https://early.${host}/fhir`] }).csrPem }, operator)), 'ca-not-active');
  });

  it('refuses bad certificates with clear errors and leaves the CA awaiting', async () => {
    const other = opensslRoot(dir, { subject: '/O=Offline Root Test/CN=Some Other Root' });
    const sameName = opensslRoot(dir, { subject: ROOT_SUBJECT }); // same Name, another key
    const foreignKey = opensslCsr(dir, { rsaBits: 2048 });
    // another key: a certificate for a key the platform does not hold
    await expectDomainError(install(root.sign(foreignKey.csrPem)), 'bad-certificate', /does not carry the CA key/);
    // not a CA
    await expectDomainError(install(root.sign(csrPem(), { extensions: ['basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature', ...ISSUING_CA_EXTENSIONS.slice(2)] })), 'bad-certificate', /not a CA certificate/);
    // signed by a different root than the one uploaded (different name, then same name with another key)
    await expectDomainError(install(other.sign(csrPem())), 'bad-certificate', /issuer "O=Offline Root Test, CN=Some Other Root" is not the root's subject/);
    await expectDomainError(install(root.sign(csrPem()), sameName.certPem), 'bad-certificate', /signature .* does not verify with the root certificate's key: it was not signed by this root/);
    await expectDomainError(install(sameName.sign(csrPem())), 'bad-certificate', /not signed by this root/);
    // expired (signed by `openssl ca` with explicit dates in the past)
    await expectDomainError(install(root.sign(csrPem(), { startDate: '20200101000000Z', endDate: '20210101000000Z' })), 'bad-certificate', /expired at 2021-01-01T00:00:00.000Z/);
    // not valid yet
    const later = new Date(Date.now() + 2 * 86400_000);
    await expectDomainError(install(root.sign(csrPem(), { startDate: asn1(later), endDate: asn1(new Date(later.getTime() + 365 * 86400_000)) })), 'bad-certificate', /certificate is not valid before .*install it once it is/);
    // no CDP / no AIA: relying parties could not check revocation or find the root
    await expectDomainError(install(root.sign(csrPem(), { extensions: ISSUING_CA_EXTENSIONS.filter((e) => !e.startsWith('crlDistributionPoints')) })), 'bad-certificate', /cRLDistributionPoints is missing/);
    await expectDomainError(install(root.sign(csrPem(), { extensions: ISSUING_CA_EXTENSIONS.filter((e) => !e.startsWith('authorityInfoAccess')) })), 'bad-certificate', /authorityInfoAccess with a caIssuers URI is missing/);
    // the "root" is not self-signed, or is not a CA, or is garbage
    const intermediate = root.sign(csrPem());
    await expectDomainError(install(intermediate, intermediate), 'bad-certificate', /root certificate is not self-issued/);
    const leafRoot = opensslRoot(dir, { extensions: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature'] });
    await expectDomainError(install(intermediate, leafRoot.certPem), 'bad-certificate', /root certificate: the certificate is not a CA certificate/);
    await expectDomainError(install(intermediate, 'not a certificate'), 'bad-certificate', /root certificate must be DER or exactly one "CERTIFICATE" PEM block/);
    await expectDomainError(install(intermediate + root.certPem), 'bad-certificate', /found "CERTIFICATE", "CERTIFICATE"/);
    await expectDomainError(install(intermediate, root.certPem, randomUUID()), 'not-found');
    await expectStillAwaiting();
  });

  it('installs the certificate the root signed: the issuing CA is active, publishes a CRL, and issues leaves OpenSSL verifies strictly', async () => {
    const signed = root.sign(csrPem());
    const out = await install(signed);
    expect(out.warnings).toEqual([]);
    expect(out.ca).toMatchObject({ id: c.issuing.id, status: 'active', parentId: out.root.id });
    expect(out.root).toMatchObject({ role: 'root', status: 'active', communityId: c.community.id });
    expect(out.root.keyRef).toMatch(/^external:[0-9a-f]{64}$/);
    // the trust bundle: the external root first, then the issuing CA
    const bundle = p.repository.trustBundle(c.community.id)!.body.toString();
    expect(bundle).toBe(root.certPem.replace(/\r?\n$/, '\n') + toPem(out.ca.certificateDer!, 'CERTIFICATE'));
    const issuingCrl = p.repository.crl(c.issuing.id)!.body;
    expect(p.repository.crl(out.root.id)).toBeUndefined(); // the root's operator publishes that one
    const crlPath = writePem(dir, 'issuing-crl.pem', [issuingCrl], 'X509 CRL');
    expect(openssl(['crl', '-in', crlPath, '-CAfile', writePem(dir, 'issuing-ca.pem', [out.ca.certificateDer!]), '-verify', '-noout']).stderr).toMatch(/verify OK/);

    const san = `https://${host}/fhir/r4`;
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Offline Clinic', sanUris: [san] }, operator);
    const issued = await issueCertificate(p, { organizationId: org.id, profile: 'udap-server', csr: opensslCsr(dir, { rsaBits: 2048, sans: [san] }).csrPem }, operator);
    // -crl_check_all: every certificate of the chain is checked against its issuer's CRL, the root's
    // from `openssl ca -gencrl`, the issuing CA's from the platform
    const rootDer = new Uint8Array(Buffer.from(root.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    const verify = () => opensslVerify(dir, { anchors: [rootDer], intermediates: [out.ca.certificateDer!], crls: [root.crl(), p.repository.crl(c.issuing.id)!.body], leaf: issued.certificate.der! });
    const v = verify();
    expect(v.stderr).toBe('');
    expect(v.stdout).toMatch(/: OK/);
    const text = openssl(['x509', '-inform', 'DER', '-noout', '-issuer', '-ext', 'crlDistributionPoints,authorityInfoAccess'], issued.certificate.der!).stdout;
    expect(text).toContain('issuer=O = Offline Root Test, CN = Offline Root Test Issuing CA');
    expect(text).toContain(`http://pki.test.invalid/pki/crl/${c.issuing.id}.crl`);
  });

  it('refuses to install twice, and never signs or refreshes CRLs for the external root', async () => {
    await expectDomainError(install(root.sign(csrPem())), 'conflict', /is active, not awaiting a certificate/);
    const rootCa = (await p.db.cas.ofCommunity(c.community.id)).find((x) => x.role === 'root')!;
    await expectDomainError(generateCrl(p, rootCa.id, operator), 'external-ca', /external \(offline\) root/);
    const results = (await refreshStaleCrls(p, { id: 'worker', role: 'system' })).filter((r) => r.caId === rootCa.id || r.caId === c.issuing.id);
    expect(results).toEqual(expect.arrayContaining([{ caId: rootCa.id, action: 'external' }, expect.objectContaining({ caId: c.issuing.id, action: 'fresh' })]));
    expect(results.some((r) => r.action === 'failed')).toBe(false);
  });

  it('adopts the subject when the root rewrote it (`openssl ca` orders the Name by its policy), with a warning', async () => {
    const d = await createCommunity(p, { name: 'Renamed', uri: `udap://renamed.${host}/`, caKeyType: 'EC-P256', offlineRoot: true }, operator);
    const now = Date.now();
    const cert = root.sign(toPem(d.issuing.csrDer!, 'CERTIFICATE REQUEST'), { startDate: asn1(new Date(now)), endDate: asn1(new Date(now + 365 * 86400_000)) });
    const out = await installIssuingCaCertificate(p, { caId: d.issuing.id, certificate: cert, rootCertificate: root.certPem }, operator);
    expect(out.warnings).toEqual([expect.stringMatching(/the root changed the subject from "O=Renamed, CN=Renamed Issuing CA" to "CN=Renamed Issuing CA, O=Renamed"/)]);
    expect(out.ca.subject).toBe('CN=Renamed Issuing CA, O=Renamed');
    const san = `https://renamed.${host}/app`;
    const org = await createOrganization(p, { communityId: d.community.id, name: 'Renamed Clinic', sanUris: [san] }, operator);
    const issued = await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: opensslCsr(dir, { rsaBits: 2048, sans: [san] }).csrPem }, operator);
    const rootDer = new Uint8Array(Buffer.from(root.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    const v = opensslVerify(dir, { anchors: [rootDer], intermediates: [out.ca.certificateDer!], crls: [root.crl(), p.repository.crl(d.issuing.id)!.body], leaf: issued.certificate.der! });
    expect(v.stdout).toMatch(/: OK/);
  });

  it('refuses a certificate whose root has expired (clock moved past it)', async () => {
    const clock = new FakeClock(new Date(Date.now() + 20 * 365 * 86400_000)); // past the root's 10 years
    const q = await openPlatform({ ...testPlatformOptions(), clock });
    try {
      const d = await createCommunity(q, { name: 'Late', uri: `udap://late.${host}/`, caKeyType: 'EC-P256', offlineRoot: true }, operator);
      const cert = root.sign(toPem(d.issuing.csrDer!, 'CERTIFICATE REQUEST'), { days: 30 });
      await expectDomainError(installIssuingCaCertificate(q, { caId: d.issuing.id, certificate: cert, rootCertificate: root.certPem }, operator), 'bad-certificate', /root certificate expired/);
      expect((await q.db.cas.find(d.issuing.id))!.status).toBe('awaiting-certificate');
    } finally {
      await q.close();
    }
  });

  it('keeps the audit chain intact, with the CSR signature and the installation recorded', async () => {
    await linkAuditChain(p); // as the worker's sequencer would
    expect((await verifyAuditChain(p)).ok).toBe(true);
  });
});
