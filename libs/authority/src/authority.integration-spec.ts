import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { findSerial } from '@anchorage/pki';
import { openssl, opensslCsr, opensslVerify, tempDir, testPlatformOptions, writePem } from '@anchorage/testing';
import { createCommunity, type CreatedCommunity } from './create-community';
import { addSanUris, createOrganization } from './create-organization';
import { generateCrl } from './generate-crl';
import { issueCertificate } from './issue-certificate';
import { openPlatform, type Platform } from './platform';
import { releaseHold, revokeCertificate } from './revoke-certificate';
import { linkAuditChain } from './audit-sequencer';
import { verifyAuditChain } from './verify-audit';
import type { Actor } from './deps';
import { expectDomainError } from './testing/expect-domain-error';

const operator: Actor = { id: 'test-operator', role: 'operator' };
const member: Actor = { id: 'test-member', role: 'subscriber' };

/** CRL times are whole seconds (RFC 5280 §5.1.2.6 UTCTime). */
const toSecond = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

describe('authority: community, issuance, revocation and CRLs (PostgreSQL + OpenSSL)', () => {
  let p: Platform;
  let c: CreatedCommunity;
  let orgId: string;
  let otherOrgId: string;
  const dir = tempDir('anchorage-authority-');
  const host = `h${randomUUID().slice(0, 8)}.example.org`;
  const serverUri = `https://${host}/fhir/r4`;
  const clientUri = `https://${host}/apps/client`;

  const crlDer = (caId: string) => p.repository.crl(caId)!.body;
  const verifyLeaf = (leaf: Uint8Array, extra: { attime?: Date } = {}) =>
    opensslVerify(dir, { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: [crlDer(c.root.id), crlDer(c.issuing.id)], leaf, ...extra });
  const countCertificates = async () => (await p.db.certificates.list({ organizationId: orgId }, 0, 1)).total;

  const opts = testPlatformOptions();

  beforeAll(async () => {
    p = await openPlatform(opts);
    c = await createCommunity(p, { name: 'Authority Test', uri: `udap://${host}/`, caKeyType: 'RSA-2048' }, operator);
    orgId = (await createOrganization(p, { communityId: c.community.id, name: 'Clinic One', sanUris: [serverUri, clientUri] }, operator)).id;
    otherOrgId = (await createOrganization(p, { communityId: c.community.id, name: 'Clinic Two', sanUris: [`https://two.${host}/fhir`] }, operator)).id;
  });
  afterAll(() => p.close());

  it('issues for a SAN another process bound a moment ago, though this process still caches the old bindings', async () => {
    const lateUri = `https://late.${host}/fhir`;
    const first = opensslCsr(dir, { rsaBits: 2048, sans: [serverUri] });
    const late = opensslCsr(dir, { rsaBits: 2048, sans: [lateUri] });
    const cached = await openPlatform({ ...opts, contextCacheTtlMs: 3_600_000 }); // the cached context cannot expire during the test
    const other = await openPlatform(opts);
    try {
      await issueCertificate(cached, { organizationId: orgId, profile: 'udap-server', csr: first.csrPem }, operator); // caches the context
      await addSanUris(other, orgId, [lateUri], operator);
      const out = await issueCertificate(cached, { organizationId: orgId, profile: 'udap-server', csr: late.csrPem }, operator);
      expect(out.certificate.sanUris).toEqual([lateUri]);
      // and a SAN nobody bound is still refused after the fresh read
      await expectDomainError(issueCertificate(cached, { organizationId: orgId, profile: 'udap-server', csr: late.csrPem, sanUris: [`https://nobody.${host}/fhir`] }, operator), 'san-invalid');
    } finally {
      await cached.close();
      await other.close();
    }
  });

  it('creates a root and issuing CA that OpenSSL accepts, each with a signed CRL', () => {
    const rootPem = writePem(dir, 'root.pem', [c.root.certificateDer!]);
    expect(openssl(['verify', '-x509_strict', '-CAfile', rootPem, rootPem]).status).toBe(0);
    const r = opensslVerify(dir, { anchors: [c.root.certificateDer!], crls: [crlDer(c.root.id)], leaf: c.issuing.certificateDer! });
    expect(r.stdout).toMatch(/: OK/);
    for (const ca of [c.root, c.issuing]) {
      const crlPath = writePem(dir, `crl-${ca.id}.pem`, [crlDer(ca.id)], 'X509 CRL');
      const caPath = writePem(dir, `ca-${ca.id}.pem`, [ca.certificateDer!]);
      const v = openssl(['crl', '-in', crlPath, '-CAfile', caPath, '-verify', '-noout']);
      expect(v.stderr + v.stdout).toMatch(/verify OK/);
    }
    const text = openssl(['x509', '-in', writePem(dir, 'issuing.pem', [c.issuing.certificateDer!]), '-noout', '-text']).stdout;
    expect(text).toContain(`URI:http://pki.test.invalid/pki/crl/${c.root.id}.crl`);
    expect(text).toContain(`CA Issuers - URI:http://pki.test.invalid/pki/ca/${c.root.id}.cer`);
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
  });

  it('issues a udap-server certificate from an OpenSSL CSR that verifies strictly, and revocation makes it fail', async () => {
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [serverUri] });
    const before = await p.db.crls.latest(c.issuing.id, false);
    const issued = await issueCertificate(p, { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem }, operator);
    expect(issued.created).toBe(true);
    const der = issued.certificate.der!;
    expect(verifyLeaf(der).stdout).toMatch(/: OK/);
    const text = openssl(['x509', '-inform', 'DER', '-noout', '-text'], der).stdout;
    expect(text).toContain(`URI:${serverUri}`);
    expect(text).toContain(`URI:http://pki.test.invalid/pki/crl/${c.issuing.id}.crl`);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature/);
    expect(issued.certificate.serial.length).toBeLessThanOrEqual(16);

    const revoked = await revokeCertificate(p, { certificate: { certificateId: issued.certificate.id }, reason: 'keyCompromise' }, operator);
    expect(revoked.crl.crlNumber).toBeGreaterThan(before!.crlNumber);
    // the CRL held by the public repository already lists the serial when revoke returns
    const crlText = openssl(['crl', '-inform', 'DER', '-noout', '-text'], crlDer(c.issuing.id)).stdout;
    expect(crlText.toUpperCase()).toContain(Buffer.from(issued.certificate.serial).toString('hex').toUpperCase());
    expect(crlText).toContain('Key Compromise');
    const v = verifyLeaf(der);
    expect(v.status).not.toBe(0);
    expect(v.stdout + v.stderr).toMatch(/certificate revoked/);

    await expectDomainError(revokeCertificate(p, { certificate: { certificateId: issued.certificate.id }, reason: 'superseded' }, operator), 'already-revoked');
  });

  it('puts a certificate on hold and releases it', async () => {
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [clientUri] });
    const issued = await issueCertificate(p, { organizationId: orgId, profile: 'udap-client', csr: csr.csrPem }, operator);
    await expectDomainError(revokeCertificate(p, { certificate: { certificateId: issued.certificate.id }, reason: 'certificateHold' }, member), 'reason-not-allowed');
    await revokeCertificate(p, { certificate: { certificateId: issued.certificate.id }, reason: 'certificateHold' }, operator);
    expect(verifyLeaf(issued.certificate.der!).stdout + verifyLeaf(issued.certificate.der!).stderr).toMatch(/certificate revoked/);
    await releaseHold(p, { certificateId: issued.certificate.id }, operator);
    expect(verifyLeaf(issued.certificate.der!).stdout).toMatch(/: OK/);
    await expectDomainError(releaseHold(p, { certificateId: issued.certificate.id }, operator), 'not-revoked');
    // a member may revoke their own certificate with a subscriber reason
    await revokeCertificate(p, { certificate: { caId: c.issuing.id, serialHex: Buffer.from(issued.certificate.serial).toString('hex') }, reason: 'cessationOfOperation' }, member);
    expect(verifyLeaf(issued.certificate.der!).stdout + verifyLeaf(issued.certificate.der!).stderr).toMatch(/certificate revoked/);
  });

  it('lists the right entry through hold, release, hold and revocation for good (pre-encoded entries)', async () => {
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [clientUri] });
    const issued = await issueCertificate(p, { organizationId: orgId, profile: 'udap-client', csr: csr.csrPem }, operator);
    const id = { certificateId: issued.certificate.id };
    const serial = issued.certificate.serial;
    const held = await revokeCertificate(p, { certificate: id, reason: 'certificateHold' }, operator);
    expect(findSerial(crlDer(c.issuing.id), serial)).toEqual({ revocationDate: toSecond(held.certificate.revokedAt!), reasonCode: 6, invalidityDate: null });
    await releaseHold(p, id, operator);
    expect(findSerial(crlDer(c.issuing.id), serial)).toBeNull();
    const heldAgain = await revokeCertificate(p, { certificate: id, reason: 'certificateHold' }, operator);
    const invalidityDate = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600_000);
    const revoked = await revokeCertificate(p, { certificate: id, reason: 'keyCompromise', invalidityDate: invalidityDate.toISOString() }, operator);
    // RFC 5280 §5.3.1: revoked for good from hold keeps the hold's date, with the new reason
    expect(revoked.certificate.revokedAt).toEqual(heldAgain.certificate.revokedAt);
    const der = crlDer(c.issuing.id);
    expect(findSerial(der, serial)).toEqual({ revocationDate: toSecond(heldAgain.certificate.revokedAt!), reasonCode: 1, invalidityDate });
    const crlPath = writePem(dir, 'hold-revoke.crl.pem', [der], 'X509 CRL');
    const caPath = writePem(dir, 'hold-revoke-ca.pem', [c.issuing.certificateDer!]);
    const v = openssl(['crl', '-in', crlPath, '-CAfile', caPath, '-verify', '-noout', '-text']);
    expect(v.stderr + v.stdout).toMatch(/verify OK/);
    expect(v.stdout).toContain('Invalidity Date');
  });

  it('encodes and stores entries of rows revoked before entries were stored (crl_entry_der NULL)', async () => {
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [clientUri] });
    const issued = await issueCertificate(p, { organizationId: orgId, profile: 'udap-client', csr: csr.csrPem }, operator);
    const revokedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 7200_000);
    const sql = new Client({ connectionString: opts.databaseUrl });
    await sql.connect();
    try {
      // as a row revoked by a version without the crl_entry_der migration would look
      await sql.query("UPDATE certificate SET status = 'revoked', revoked_at = $2, revocation_reason = 4, revocation_published = false WHERE id = $1", [issued.certificate.id, revokedAt]);
      await generateCrl(p, c.issuing.id, operator);
      expect(findSerial(crlDer(c.issuing.id), issued.certificate.serial)).toEqual({ revocationDate: revokedAt, reasonCode: 4, invalidityDate: null });
      const r = await sql.query('SELECT crl_entry_der IS NOT NULL AS stored FROM certificate WHERE id = $1', [issued.certificate.id]);
      expect(r.rows[0].stored).toBe(true);
    } finally {
      await sql.end();
    }
  });

  it('issues EC P-256 client certificates where the community allows them, and refuses them for servers', async () => {
    const ecCommunity = await createCommunity(p, { name: 'EC', uri: `udap://ec.${host}/`, caKeyType: 'EC-P384', policy: { allowedLeafKeyTypes: ['RSA-2048', 'EC-P256'] } }, operator);
    const org = await createOrganization(p, { communityId: ecCommunity.community.id, name: 'EC org', sanUris: [`https://ec.${host}/app`] }, operator);
    const csr = opensslCsr(dir, { curve: 'P-256', sans: [`https://ec.${host}/app`] });
    const issued = await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: csr.csrPem }, operator);
    const r = opensslVerify(dir, {
      anchors: [ecCommunity.root.certificateDer!], intermediates: [ecCommunity.issuing.certificateDer!],
      crls: [crlDer(ecCommunity.root.id), crlDer(ecCommunity.issuing.id)], leaf: issued.certificate.der!,
    });
    expect(r.stdout).toMatch(/: OK/);
    await expectDomainError(issueCertificate(p, { organizationId: org.id, profile: 'udap-server', csr: csr.csrPem }, operator), 'key-policy');
  });

  it('fails verification against another community (wrong issuer) and when expired', async () => {
    const other = await createCommunity(p, { name: 'Other', uri: `udap://other.${host}/`, caKeyType: 'RSA-2048' }, operator);
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [serverUri] });
    const issued = await issueCertificate(p, { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem, validityDays: 30 }, operator);
    const wrong = opensslVerify(dir, { anchors: [other.root.certificateDer!], intermediates: [other.issuing.certificateDer!], crls: [crlDer(other.root.id), crlDer(other.issuing.id)], leaf: issued.certificate.der! });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toMatch(/unable to get (local )?issuer certificate/);
    const expired = verifyLeaf(issued.certificate.der!, { attime: new Date(issued.certificate.notAfter.getTime() + 86400_000) });
    expect(expired.status).not.toBe(0);
    expect(expired.stdout + expired.stderr).toMatch(/expired/);
    // tampered: flip one bit of the signature
    const tampered = Buffer.from(issued.certificate.der!);
    tampered[tampered.length - 5] ^= 0x01;
    const t = verifyLeaf(tampered);
    expect(t.status).not.toBe(0);
    expect(t.stdout + t.stderr).toMatch(/signature failure/);
  });

  it('is idempotent under a request id and refuses a reused id for a different request', async () => {
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [serverUri] });
    const requestId = `req-${randomUUID()}`;
    const a = await issueCertificate(p, { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem, requestId }, operator);
    const b = await issueCertificate(p, { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem, requestId }, operator);
    expect(b.created).toBe(false);
    expect(b.certificate.id).toBe(a.certificate.id);
    const other = opensslCsr(dir, { rsaBits: 2048, sans: [serverUri] });
    await expectDomainError(issueCertificate(p, { organizationId: orgId, profile: 'udap-server', csr: other.csrPem, requestId }, operator), 'idempotency-mismatch');
  });

  it('issues one certificate for concurrent requests under the same request id', async () => {
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [serverUri] });
    const requestId = `race-${randomUUID()}`;
    const before = await countCertificates();
    const all = await Promise.all(Array.from({ length: 6 }, () => issueCertificate(p, { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem, requestId }, operator)));
    expect(new Set(all.map((x) => x.certificate.id)).size).toBe(1);
    expect(all.filter((x) => x.created)).toHaveLength(1);
    expect(all.every((x) => x.certificate.status === 'issued')).toBe(true);
    expect(await countCertificates()).toBe(before + 1);
  });

  it('refuses bad CSRs with clear errors and leaves nothing behind', async () => {
    const good = opensslCsr(dir, { rsaBits: 2048, sans: [serverUri] });
    const der = execFileSync('openssl', ['req', '-in', good.csrPath, '-outform', 'DER']);
    der[der.length - 3] ^= 0xff; // break the self-signature
    const weak = opensslCsr(dir, { rsaBits: 1024, sans: [serverUri] });
    const e3 = opensslCsr(dir, { rsaBits: 2048, exponent3: true, sans: [serverUri] });
    const foreign = opensslCsr(dir, { rsaBits: 2048, sans: [`https://two.${host}/fhir`] });
    const unbound = opensslCsr(dir, { rsaBits: 2048, sans: [`https://nobody.${host}/fhir`] });
    const http = opensslCsr(dir, { rsaBits: 2048, sans: [`http://${host}/fhir/r4`] });
    const noncanon = opensslCsr(dir, { rsaBits: 2048, sans: [`HTTPS://${host.toUpperCase()}:443/fhir/r4`] });
    const nosan = opensslCsr(dir, { rsaBits: 2048 });
    const before = await countCertificates();
    const issue = (csr: string | Uint8Array, profile = 'udap-server') => issueCertificate(p, { organizationId: orgId, profile, csr }, operator);
    await expectDomainError(issue('hello, I am not a CSR'), 'bad-csr');
    await expectDomainError(issue(der), 'bad-csr', /signature/i);
    await expectDomainError(issue('x'.repeat(20_000)), 'bad-csr', /large|size|bytes/i);
    await expectDomainError(issue(weak.csrPem), 'key-policy', /2048/);
    await expectDomainError(issue(e3.csrPem), 'key-policy', /65537/);
    await expectDomainError(issue(foreign.csrPem), 'san-invalid', /not registered/);
    await expectDomainError(issue(unbound.csrPem), 'san-invalid', /not registered/);
    await expectDomainError(issue(http.csrPem), 'san-invalid', /https/);
    await expectDomainError(issue(noncanon.csrPem), 'san-invalid', new RegExp(`use "https://${host.replace(/\./g, '\\.')}/fhir/r4"`));
    await expectDomainError(issue(nosan.csrPem), 'san-invalid', /no SAN URI/);
    await expectDomainError(issue(good.csrPem, 'udap-banana'), 'validation', /profile/);
    await expectDomainError(issueCertificate(p, { organizationId: otherOrgId, profile: 'udap-server', csr: good.csrPem }, operator), 'san-invalid', /not registered/);
    expect(await countCertificates()).toBe(before);
  });

  it('refuses a SAN URI already bound to another organization', async () => {
    await expectDomainError(createOrganization(p, { communityId: c.community.id, name: 'Squatter', sanUris: [serverUri] }, operator), 'san-taken');
    await expectDomainError(createOrganization(p, { communityId: c.community.id, name: 'Sloppy', sanUris: [`https://${host.toUpperCase()}/x`] }, operator), 'san-invalid', /not canonical/);
  });

  it('keeps CRL numbers strictly increasing when two instances revoke concurrently, and the final CRL lists all', async () => {
    // a second application instance: own pool and in-memory repository, same database and CA keys
    const q = await openPlatform(opts);
    try {
      const certs = [];
      for (let i = 0; i < 12; i++) {
        const csr = opensslCsr(dir, { rsaBits: 2048, sans: [clientUri] });
        certs.push((await issueCertificate(p, { organizationId: orgId, profile: 'udap-client', csr: csr.csrPem }, operator)).certificate);
      }
      const start = (await p.db.crls.latest(c.issuing.id, false))!.crlNumber;
      const results = await Promise.all(
        certs.map((cert, i) => revokeCertificate(i % 2 ? q : p, { certificate: { certificateId: cert.id }, reason: 'superseded' }, operator)),
      );
      const numbers = (await p.db.crls.list(c.issuing.id, 0, 1000)).items.map((x) => x.crlNumber).filter((n) => n > start);
      const sorted = [...numbers].sort((a, b) => (a < b ? -1 : 1));
      expect(new Set(numbers).size).toBe(numbers.length);
      expect(numbers.length).toBeLessThanOrEqual(certs.length);
      for (const r of results) expect(r.crl.crlNumber).toBeGreaterThan(start);
      const final = await generateCrl(p, c.issuing.id, operator);
      expect(final.crl.crlNumber).toBeGreaterThan(sorted[sorted.length - 1]);
      const text = openssl(['crl', '-inform', 'DER', '-noout', '-text'], final.crl.der!).stdout.toUpperCase();
      for (const cert of certs) expect(text).toContain(Buffer.from(cert.serial).toString('hex').toUpperCase());
      for (const cert of certs) expect(verifyLeaf(cert.der!).stdout + verifyLeaf(cert.der!).stderr).toMatch(/certificate revoked/);
    } finally {
      await q.close();
    }
  });

  it('keeps the audit chain intact across all of the above', async () => {
    await linkAuditChain(p);
    const v = await verifyAuditChain(p);
    expect(v.ok).toBe(true);
    expect(v.checked).toBeGreaterThan(20);
  });
});

