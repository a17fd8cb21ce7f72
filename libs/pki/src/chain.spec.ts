import { buildRootCaTbs } from './certificate-templates';
import { describeCertificate, verifyCaCertificateMatchesKey, checkIsCaCertificate, verifySignedBy } from './chain';
import { readCertificateParts } from './certificate-reader';
import { PkiError } from './errors';
import { toHex } from './bytes';
import { subjectKeyIdentifier } from './keys';
import { serialToHex } from './serial';
import { buildTestChain, openssl, signTbs, testKey, testSerial } from './testing/test-ca';

const now = new Date();
const chain = buildTestChain({ now, label: 'chain-spec', sanUris: ['https://app.example.org/client', 'https://app.example.org/client#T-TREAT'] });

describe('describeCertificate', () => {
  it('describes a leaf', () => {
    const d = describeCertificate(chain.leaf.der);
    expect(d).toMatchObject({
      subject: 'O=Member Org, CN=app.example.org',
      issuer: 'C=US, O=Anchorage Test, CN=Test Issuing chain-spec',
      serialHex: serialToHex(chain.leaf.serial),
      sanUris: ['https://app.example.org/client', 'https://app.example.org/client#T-TREAT'],
      ski: toHex(subjectKeyIdentifier(chain.leaf.key.spkiDer)),
      aki: toHex(subjectKeyIdentifier(chain.issuing.key.spkiDer)),
      isCa: false,
      pathLength: null,
      crlUrls: [chain.urls.issuingCrl],
      caIssuersUrls: [chain.urls.issuingCert],
      keyUsage: ['digitalSignature'],
    });
    expect(d.key.keyType).toBe('RSA-2048');
    const fp = openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], chain.leaf.der).stdout;
    expect(fp.split('=')[1].trim().replace(/:/g, '').toLowerCase()).toBe(d.sha256);
    expect(d.notAfter.getTime()).toBe(readCertificateParts(chain.leaf.der).notAfter.getTime());
  });
  it('describes a CA', () => {
    expect(describeCertificate(chain.issuing.der)).toMatchObject({ isCa: true, pathLength: 0, caIssuersUrls: [chain.urls.rootCert], keyUsage: ['keyCertSign', 'cRLSign'] });
    expect(describeCertificate(chain.root.der)).toMatchObject({ isCa: true, pathLength: null, caIssuersUrls: [] });
  });
  it('rejects garbage', () => expect(() => describeCertificate(Uint8Array.of(0x30, 0))).toThrow(PkiError));
});

describe('offline-root upload checks', () => {
  it('matches the certificate to the held key', () => {
    expect(() => verifyCaCertificateMatchesKey(chain.root.der, chain.root.key.spkiDer)).not.toThrow();
    expect(() => verifyCaCertificateMatchesKey(chain.root.der, chain.issuing.key.spkiDer)).toThrow(/does not carry the CA key/);
  });
  it('requires CA:TRUE', () => {
    expect(() => checkIsCaCertificate(chain.issuing.der)).not.toThrow();
    expect(() => checkIsCaCertificate(chain.leaf.der)).toThrow(/not a CA certificate/);
  });
  it('verifies that a certificate chains to the given issuer', async () => {
    expect(await verifySignedBy(chain.issuing.der, chain.root.der)).toBe(true);
    expect(await verifySignedBy(chain.leaf.der, chain.issuing.der)).toBe(true);
    expect(await verifySignedBy(chain.root.der, chain.root.der)).toBe(true);
    expect(await verifySignedBy(chain.leaf.der, chain.root.der)).toBe(false); // names differ
  });
  it('rejects a same-named issuer with another key and a tampered signature', async () => {
    const impostorKey = testKey('RSA-2048', 'impostor');
    const impostor = signTbs(
      buildRootCaTbs({ serial: testSerial(1), subject: chain.root.subject, spkiDer: impostorKey.spkiDer, notBefore: chain.root.notBefore, notAfter: chain.root.notAfter, signatureAlgorithm: 'sha256WithRSAEncryption' }),
      'sha256WithRSAEncryption', impostorKey,
    );
    expect(await verifySignedBy(chain.issuing.der, impostor)).toBe(false);
    const tampered = Uint8Array.from(chain.issuing.der);
    tampered[tampered.length - 1] ^= 0x01;
    expect(await verifySignedBy(tampered, chain.root.der)).toBe(false);
  });
});
