// End to end: root -> issuing -> leaf built with the production templates, signed with Node crypto,
// CRLs from the streaming encoder, all checked by OpenSSL (an independent implementation).
import { X509Certificate } from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { RevocationReason } from '@anchorage/contracts';
import { toArrayBuffer } from './bytes';
import { lintTbsCertificate } from './lint';
import { readCertificateParts } from './certificate-reader';
import { toPem } from './pem';
import { buildTestChain, issueTestLeaf, openssl, signTbs, signTestCrl, TempDir, testKey, testSerial, type TestChain } from './testing/test-ca';

const DAY = 86_400_000;
const now = new Date();
const dir = new TempDir();
afterAll(() => dir.cleanup());

let files = 0;
const pem = (ders: Uint8Array[], label = 'CERTIFICATE') => dir.write(`f${++files}.pem`, ders.map((d) => toPem(d, label)).join(''));
const crlWindow = { thisUpdate: new Date(now.getTime() - 60_000), nextUpdate: new Date(now.getTime() + 7 * DAY) };

/** openssl verify -x509_strict -crl_check_all against the chain's root and issuing CRLs. */
function verify(c: TestChain, leafDer: Uint8Array, crls: Uint8Array[], extra: string[] = []) {
  const args = ['verify', '-x509_strict', '-crl_check_all', '-CAfile', pem([c.root.der, c.issuing.der]), ...extra];
  if (crls.length) args.push('-CRLfile', pem(crls, 'X509 CRL'));
  return openssl([...args, pem([leafDer])]);
}

function emptyCrls(c: TestChain): Uint8Array[] {
  return [signTestCrl(c.root, { ...crlWindow, crlNumber: 1n }), signTestCrl(c.issuing, { ...crlWindow, crlNumber: 1n })];
}

describe('RSA chain under OpenSSL', () => {
  const c = buildTestChain({ now, label: 'e2e-rsa', leafProfile: 'udap-server', sanUris: ['https://fhir.example.org/r4'] });

  it('accepts an unrevoked leaf with CRLs for every certificate', () => {
    const r = verify(c, c.leaf.der, emptyCrls(c));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/: OK\n$/);
  });

  it('is lint-clean and parses with PKI.js and @peculiar/x509, whose WebCrypto signature checks agree', async () => {
    expect(lintTbsCertificate(readCertificateParts(c.leaf.der).tbsDer, 'udap-server', { issuerSpkiDer: c.issuing.key.spkiDer, issuerNotBefore: c.issuing.notBefore, issuerNotAfter: c.issuing.notAfter })).toEqual([]);
    for (const der of [c.root.der, c.issuing.der, c.leaf.der]) expect(() => pkijs.Certificate.fromBER(toArrayBuffer(der))).not.toThrow();
    const [root, issuing, leaf] = [c.root.der, c.issuing.der, c.leaf.der].map((d) => new X509Certificate(toArrayBuffer(d)));
    expect(await root.verify({ signatureOnly: true })).toBe(true);
    expect(await issuing.verify({ publicKey: root.publicKey, signatureOnly: true })).toBe(true);
    expect(await leaf.verify({ publicKey: issuing.publicKey, signatureOnly: true })).toBe(true);
  });

  it('rejects a revoked leaf ("certificate revoked")', () => {
    const issuingCrl = signTestCrl(c.issuing, { ...crlWindow, crlNumber: 2n, entries: [{ serial: c.leaf.serial, date: new Date(now.getTime() - 30_000), reason: RevocationReason.keyCompromise }] });
    const r = verify(c, c.leaf.der, [emptyCrls(c)[0], issuingCrl]);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('certificate revoked');
    expect(r.output).toMatch(/error 23 at 0 depth/);
  });

  it('rejects a leaf under a revoked issuing CA (root CRL, depth 1)', () => {
    const rootCrl = signTestCrl(c.root, { ...crlWindow, crlNumber: 2n, entries: [{ serial: testSerial(2), date: new Date(now.getTime() - 30_000), reason: RevocationReason.cACompromise }] });
    const r = verify(c, c.leaf.der, [rootCrl, emptyCrls(c)[1]]);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/error 23 at 1 depth lookup: certificate revoked/);
  });

  it("requires the root's own CRL under -crl_check_all", () => {
    const r = verify(c, c.leaf.der, [emptyCrls(c)[1]]);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('unable to get certificate CRL');
  });

  it('rejects an expired leaf', () => {
    const expired = issueTestLeaf(c.issuing, {
      key: c.leaf.key, serial: testSerial(200), notBefore: new Date(now.getTime() - 30 * DAY), notAfter: new Date(now.getTime() - DAY),
      crlUrl: c.urls.issuingCrl, caIssuersUrl: c.urls.issuingCert,
    });
    const r = verify(c, expired.der, emptyCrls(c));
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('certificate has expired');
    // ...and it was fine while it was valid.
    const then = String(Math.floor((now.getTime() - 5 * DAY) / 1000));
    expect(openssl(['verify', '-x509_strict', '-attime', then, '-CAfile', pem([c.root.der, c.issuing.der]), pem([expired.der])]).status).toBe(0);
  });

  it('rejects a leaf from another CA (wrong issuer)', () => {
    const other = buildTestChain({ now, label: 'e2e-other' });
    const r = verify(c, other.leaf.der, emptyCrls(c));
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('unable to get local issuer certificate');
  });

  it('rejects a leaf that names our issuing CA (name and AKI) but is signed by another key', () => {
    const { tbsDer } = readCertificateParts(c.leaf.der);
    const forged = signTbs(tbsDer, 'sha256WithRSAEncryption', testKey('RSA-2048', 'forger'));
    const r = verify(c, forged, emptyCrls(c));
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('certificate signature failure');
  });

  it('rejects a tampered certificate signature', () => {
    const tampered = Uint8Array.from(c.leaf.der);
    tampered[tampered.length - 10] ^= 0xff;
    const r = verify(c, tampered, emptyCrls(c));
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('certificate signature failure');
  });

  it('rejects a tampered CRL', () => {
    const crl = Uint8Array.from(emptyCrls(c)[1]);
    crl[crl.length - 5] ^= 0x01;
    const v = openssl(['crl', '-inform', 'DER', '-in', dir.write('tampered.crl', crl), '-CAfile', pem([c.issuing.der]), '-verify', '-noout']);
    expect(v.output).toMatch(/verify failure/);
    const r = verify(c, c.leaf.der, [emptyCrls(c)[0], crl]);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('CRL signature failure');
  });

  it('rejects an expired CRL (a lapse is an outage)', () => {
    const stale = signTestCrl(c.issuing, { thisUpdate: new Date(now.getTime() - 10 * DAY), nextUpdate: new Date(now.getTime() - DAY), crlNumber: 3n });
    const r = verify(c, c.leaf.der, [emptyCrls(c)[0], stale]);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('CRL has expired');
  });
});

describe('CRLs under OpenSSL', () => {
  const c = buildTestChain({ now, label: 'e2e-crl' });

  it('verifies and prints entries, reasons, invalidity and the CRL number', () => {
    const crl = signTestCrl(c.issuing, {
      ...crlWindow, crlNumber: 77n,
      entries: [
        { serial: testSerial(10), date: new Date('2026-01-05T10:00:00Z'), reason: RevocationReason.keyCompromise },
        { serial: testSerial(11), date: new Date('2026-01-06T10:00:00Z'), reason: RevocationReason.unspecified },
        { serial: testSerial(12), date: new Date('2026-01-07T10:00:00Z'), reason: RevocationReason.certificateHold },
      ],
    });
    const path = dir.write('issuing.crl', crl);
    const v = openssl(['crl', '-inform', 'DER', '-in', path, '-CAfile', pem([c.issuing.der]), '-verify', '-noout']);
    expect(v.status).toBe(0);
    expect(v.output).toContain('verify OK');
    const t = openssl(['crl', '-inform', 'DER', '-in', path, '-noout', '-text']).stdout;
    expect(t).toMatch(/Version 2 \(0x1\)/);
    expect(t).toMatch(/X509v3 CRL Number:\s+77/);
    expect(t).toMatch(/X509v3 Authority Key Identifier:/);
    expect(t.match(/Serial Number:/g)).toHaveLength(3);
    expect(t).toMatch(/Serial Number: 4000000000000000000000000000000A\s+Revocation Date: Jan\s+5 10:00:00 2026 GMT\s+CRL entry extensions:\s+X509v3 CRL Reason Code:\s+Key Compromise/);
    expect(t).toMatch(/Serial Number: 4000000000000000000000000000000B\s+Revocation Date: Jan\s+6 10:00:00 2026 GMT\s+Serial Number/);
    expect(t).toContain('Certificate Hold');
  });

  it('verifies an empty CRL', () => {
    const path = dir.write('empty.crl', emptyCrls(c)[0]);
    expect(openssl(['crl', '-inform', 'DER', '-in', path, '-CAfile', pem([c.root.der]), '-verify', '-noout']).output).toContain('verify OK');
    expect(openssl(['crl', '-inform', 'DER', '-in', path, '-noout', '-text']).stdout).toContain('No Revoked Certificates.');
  });

  it('round-trips 2,000 entries', () => {
    const entries = Array.from({ length: 2000 }, (_, i) => ({ serial: testSerial(1000 + i), date: new Date(now.getTime() - DAY), reason: i % 2 ? RevocationReason.superseded : undefined }));
    const path = dir.write('big.crl', signTestCrl(c.issuing, { ...crlWindow, crlNumber: 9n, entries }));
    expect(openssl(['crl', '-inform', 'DER', '-in', path, '-CAfile', pem([c.issuing.der]), '-verify', '-noout']).output).toContain('verify OK');
    const t = openssl(['crl', '-inform', 'DER', '-in', path, '-noout', '-text']).stdout;
    expect(t.match(/Serial Number:/g)).toHaveLength(2000);
    expect(t.match(/Superseded/g)).toHaveLength(1000);
  });

  it('is rejected by a CA that did not sign it', () => {
    const other = buildTestChain({ now, label: 'e2e-crl-other' });
    const path = dir.write('foreign.crl', emptyCrls(c)[1]);
    const v = openssl(['crl', '-inform', 'DER', '-in', path, '-CAfile', pem([other.issuing.der]), '-verify', '-noout']);
    expect(v.output).not.toContain('verify OK');
  });
});

describe('EC keys under OpenSSL', () => {
  it('accepts an EC P-256 leaf under an RSA chain', () => {
    const c = buildTestChain({ now, label: 'e2e-ec-leaf', leafKeyType: 'EC-P256' });
    const r = verify(c, c.leaf.der, emptyCrls(c));
    expect(r.status).toBe(0);
    expect(openssl(['x509', '-inform', 'DER', '-noout', '-text'], c.leaf.der).stdout).toMatch(/ASN1 OID: prime256v1/);
  });

  it('accepts an EC P-384 root and issuing CA (ecdsa-with-SHA384 certificates and CRLs)', async () => {
    const c = buildTestChain({ now, label: 'e2e-ec-ca', rootKeyType: 'EC-P384', issuingKeyType: 'EC-P384' });
    const t = openssl(['x509', '-inform', 'DER', '-noout', '-text'], c.issuing.der).stdout;
    expect(t).toMatch(/Signature Algorithm: ecdsa-with-SHA384/);
    expect(verify(c, c.leaf.der, emptyCrls(c)).status).toBe(0);
    const revoked = signTestCrl(c.issuing, { ...crlWindow, crlNumber: 2n, entries: [{ serial: c.leaf.serial, date: now, reason: RevocationReason.superseded }] });
    expect(verify(c, c.leaf.der, [emptyCrls(c)[0], revoked]).output).toContain('certificate revoked');
    const leaf = new X509Certificate(toArrayBuffer(c.leaf.der));
    expect(await leaf.verify({ publicKey: new X509Certificate(toArrayBuffer(c.issuing.der)).publicKey, signatureOnly: true })).toBe(true);
  });
});
