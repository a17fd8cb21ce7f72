import * as pkijs from 'pkijs';
import { X509Certificate } from '@peculiar/x509';
import { toArrayBuffer, toHex } from './bytes';
import { buildIssuingCaTbs, buildLeafTbs, buildRootCaTbs } from './certificate-templates';
import { readRoot, children } from './der-reader';
import { PkiError } from './errors';
import { subjectKeyIdentifier } from './keys';
import { lintTbsCertificate } from './lint';
import { encodeName } from './names';
import { OID } from './oids';
import { toPem } from './pem';
import { assembleSigned } from './tbs-certificate';
import { openssl, signTbs, TempDir, testKey, testSerial } from './testing/test-ca';

const now = new Date('2026-06-01T00:00:00Z');
const day = 86_400_000;
const rootKey = testKey('RSA-2048', 'tpl-root');
const issKey = testKey('RSA-2048', 'tpl-iss');
const leafKey = testKey('RSA-2048', 'tpl-leaf');
const rootSubject = encodeName({ commonName: 'Tpl Root', organization: 'Anchorage', country: 'US' });
const issSubject = encodeName({ commonName: 'Tpl Issuing', organization: 'Anchorage', country: 'US' });
const alg = 'sha256WithRSAEncryption' as const;

const rootTbs = () =>
  buildRootCaTbs({ serial: testSerial(1), subject: rootSubject, spkiDer: rootKey.spkiDer, notBefore: now, notAfter: new Date(now.getTime() + 3650 * day), signatureAlgorithm: alg, crlUrl: 'http://pki.example.test/root.crl' });
const issuingTbs = () =>
  buildIssuingCaTbs({
    serial: testSerial(2), subject: issSubject, issuer: rootSubject, spkiDer: issKey.spkiDer, issuerSpkiDer: rootKey.spkiDer, notBefore: now,
    notAfter: new Date(now.getTime() + 1825 * day), signatureAlgorithm: alg, crlUrl: 'http://pki.example.test/root.crl', caIssuersUrl: 'http://pki.example.test/root.cer',
  });
const leafParams = () => ({
  profile: 'udap-server' as const, serial: testSerial(3), subject: encodeName({ commonName: 'fhir.example.org', organization: 'Member' }), issuer: issSubject,
  spkiDer: leafKey.spkiDer, issuerSpkiDer: issKey.spkiDer, notBefore: now, notAfter: new Date(now.getTime() + 365 * day), signatureAlgorithm: alg,
  sanUris: ['https://fhir.example.org/r4'], crlUrl: 'http://pki.example.test/issuing.crl', caIssuersUrl: 'http://pki.example.test/issuing.cer',
});

const exts = (der: Uint8Array) => new Map(pkijs.Certificate.fromBER(toArrayBuffer(der)).extensions!.map((e) => [e.extnID, e]));
const text = (der: Uint8Array) => openssl(['x509', '-inform', 'DER', '-noout', '-text'], der).stdout;

describe('buildRootCaTbs', () => {
  const der = signTbs(rootTbs(), alg, rootKey);
  it('has the root profile extensions and no AIA', () => {
    const e = exts(der);
    expect([...e.keys()].sort()).toEqual([OID.subjectKeyIdentifier, OID.keyUsage, OID.basicConstraints, OID.crlDistributionPoints, OID.authorityKeyIdentifier].sort());
    expect(e.get(OID.basicConstraints)!.critical).toBe(true);
    expect((e.get(OID.basicConstraints)!.parsedValue as pkijs.BasicConstraints).pathLenConstraint).toBeUndefined();
    expect(e.get(OID.keyUsage)!.critical).toBe(true);
    const t = text(der);
    expect(t).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(t).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(t).not.toContain('Authority Information Access');
    expect(lintTbsCertificate(rootTbs(), 'root')).toEqual([]);
  });
  it('is self-signed and verifies under OpenSSL -x509_strict', () => {
    const dir = new TempDir();
    try {
      const p = dir.write('root.pem', toPem(der, 'CERTIFICATE'));
      const r = openssl(['verify', '-x509_strict', '-check_ss_sig', '-attime', String(now.getTime() / 1000 + 60), '-CAfile', p, p]);
      expect(r.output).toContain(': OK');
    } finally {
      dir.cleanup();
    }
  });
  it('sets AKI to its own SKI', () => {
    const c = new X509Certificate(toArrayBuffer(der));
    expect(c.subject).toBe(c.issuer);
    const e = exts(der);
    const aki = e.get(OID.authorityKeyIdentifier)!.parsedValue as pkijs.AuthorityKeyIdentifier;
    expect(toHex(aki.keyIdentifier!.valueBlock.valueHexView)).toBe(toHex(subjectKeyIdentifier(rootKey.spkiDer)));
  });
  it('omits the CDP when no crlUrl is given', () => {
    const tbs = buildRootCaTbs({ serial: testSerial(1), subject: rootSubject, spkiDer: rootKey.spkiDer, notBefore: now, notAfter: new Date(now.getTime() + day), signatureAlgorithm: alg });
    expect(exts(signTbs(tbs, alg, rootKey)).has(OID.crlDistributionPoints)).toBe(false);
  });
  it('refuses an algorithm that does not fit the key', () => {
    expect(() => buildRootCaTbs({ serial: testSerial(1), subject: rootSubject, spkiDer: rootKey.spkiDer, notBefore: now, notAfter: new Date(now.getTime() + day), signatureAlgorithm: 'ecdsaWithSHA256' })).toThrow(/needs an EC root key/);
  });
});

describe('buildIssuingCaTbs', () => {
  const der = signTbs(issuingTbs(), alg, rootKey);
  it('has pathLen 0, AKI, CDP and exactly one caIssuers', () => {
    const t = text(der);
    expect(t).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(t).toMatch(/CRL Distribution Points:\s+Full Name:\s+URI:http:\/\/pki.example.test\/root.crl/);
    expect(t).toMatch(/Authority Information Access:\s+CA Issuers - URI:http:\/\/pki.example.test\/root.cer\n/);
    expect(t).not.toContain('OCSP');
    const aki = exts(der).get(OID.authorityKeyIdentifier)!.parsedValue as pkijs.AuthorityKeyIdentifier;
    expect(toHex(aki.keyIdentifier!.valueBlock.valueHexView)).toBe(toHex(subjectKeyIdentifier(rootKey.spkiDer)));
    expect(lintTbsCertificate(issuingTbs(), 'issuing', { issuerSpkiDer: rootKey.spkiDer, issuerNotBefore: now, issuerNotAfter: new Date(now.getTime() + 3650 * day) })).toEqual([]);
  });
  it('refuses https or relative CDP/AIA URLs', () => {
    expect(() => buildIssuingCaTbs({ ...leafParams(), crlUrl: 'https://pki.example.test/root.crl' })).toThrow(PkiError);
    expect(() => buildIssuingCaTbs({ ...leafParams(), caIssuersUrl: '/root.cer' })).toThrow(/caIssuersUrl/);
  });
});

describe('buildLeafTbs', () => {
  it('marks only basicConstraints and keyUsage critical and omits EKU', () => {
    const der = signTbs(buildLeafTbs(leafParams()), alg, issKey);
    const e = exts(der);
    expect([...e.values()].filter((x) => x.critical).map((x) => x.extnID).sort()).toEqual([OID.basicConstraints, OID.keyUsage].sort());
    expect(e.has(OID.extKeyUsage)).toBe(false);
    const t = text(der);
    expect(t).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(t).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(t).toMatch(/Subject Alternative Name:\s+URI:https:\/\/fhir.example.org\/r4\n/);
    const aki = e.get(OID.authorityKeyIdentifier)!.parsedValue as pkijs.AuthorityKeyIdentifier;
    expect(aki.authorityCertIssuer).toBeUndefined();
    expect(aki.authorityCertSerialNumber).toBeUndefined();
  });
  it('adds EKU and certificatePolicies non-critical when the profile lists them', () => {
    const der = signTbs(buildLeafTbs({ ...leafParams(), extKeyUsageOids: [OID.clientAuth], policyOids: ['1.3.6.1.4.1.99999.1'] }), alg, issKey);
    const e = exts(der);
    expect(e.get(OID.extKeyUsage)!.critical).toBe(false);
    expect(e.get(OID.certificatePolicies)!.critical).toBe(false);
    expect(text(der)).toMatch(/Extended Key Usage:\s+TLS Web Client Authentication/);
  });
  it('writes several SAN URIs in order, including fragments', () => {
    const uris = ['https://fhir.example.org/r4', 'https://fhir.example.org/r4#T-TREAT'];
    const der = signTbs(buildLeafTbs({ ...leafParams(), sanUris: uris }), alg, issKey);
    expect(new X509Certificate(toArrayBuffer(der)).subjectName.toString()).toBe('O=Member, CN=fhir.example.org');
    expect(text(der)).toContain('URI:https://fhir.example.org/r4, URI:https://fhir.example.org/r4#T-TREAT');
  });
  it('refuses bad SANs, http SANs for servers, and inverted validity', () => {
    expect(() => buildLeafTbs({ ...leafParams(), sanUris: [] })).toThrow(/at least one/);
    expect(() => buildLeafTbs({ ...leafParams(), sanUris: ['http://fhir.example.org/r4'] })).toThrow(/https/);
    expect(() => buildLeafTbs({ ...leafParams(), profile: 'udap-client', sanUris: ['HTTPS://x.org'] })).toThrow(/not canonical/);
    expect(() => buildLeafTbs({ ...leafParams(), notAfter: now })).toThrow(/must precede/);
  });
  it('accepts an EC P-256 leaf key under an RSA issuer', () => {
    const tbs = buildLeafTbs({ ...leafParams(), profile: 'udap-client', spkiDer: testKey('EC-P256').spkiDer });
    expect(lintTbsCertificate(tbs, 'udap-client', { issuerSpkiDer: issKey.spkiDer })).toEqual([]);
  });
});

describe('assembleSigned', () => {
  it('writes SEQUENCE { tbs, algId, BIT STRING }', () => {
    const tbs = rootTbs();
    const der = assembleSigned(tbs, alg, Uint8Array.of(1, 2, 3));
    const [t, a, s] = children(der, readRoot(der, 0x30));
    expect(der.subarray(t.start, t.end)).toEqual(tbs);
    expect(toHex(der.subarray(a.start, a.end))).toBe('300d06092a864886f70d01010b0500');
    expect(toHex(der.subarray(s.start, s.end))).toBe('030400010203');
  });
});
