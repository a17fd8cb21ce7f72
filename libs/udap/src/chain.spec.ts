import { buildIssuingCaTbs, buildLeafTbs, encodeName } from '@anchorage/pki';
import { issueTestLeaf, signTbs, signTestCrl, testKey, testSerial, type TestCa } from '@anchorage/pki/testing';
import { buildTestCommunity, type TestCommunity, type TestLeaf } from './testing/community';
import { softwareStatementClaims } from './testing/claims';
import { signUdapJwt } from './testing/sign-udap-jwt';
import type { UdapTrust, UdapVerification } from './types';
import { verifyUdapJwt } from './verify';

const DAY = 86_400_000;
const now = new Date();
const CLIENT = 'https://app.example.org/client';
const REGISTER = 'https://fhir.example.org/oauth/register';

const codes = (r: UdapVerification): string[] => r.findings.map((f) => f.code);
const errors = (r: UdapVerification): string[] => r.findings.filter((f) => f.severity === 'error').map((f) => f.code);

async function statement(c: TestCommunity, leaf: TestLeaf, x5c = c.x5c(leaf)): Promise<string> {
  return signUdapJwt(softwareStatementClaims(CLIENT, REGISTER, now), { alg: 'RS256' }, leaf.key.privateKey, x5c);
}

async function verify(jwt: string, trust: UdapTrust): Promise<UdapVerification> {
  return verifyUdapJwt(jwt, trust, { kind: 'software-statement', now, expected: { aud: REGISTER } });
}

describe('chain building and revocation', () => {
  let c: TestCommunity;
  beforeEach(() => {
    c = buildTestCommunity('chain', now);
  });

  it('accepts a current leaf of the community and returns the chain leaf → issuing → root', async () => {
    const r = await verify(await statement(c, c.chain.leaf), c.trust());
    expect(r.findings).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.chain).toEqual([c.chain.leaf.der, c.chain.issuing.der, c.chain.root.der]);
  });

  it('uses the community intermediates when x5c carries the leaf only', async () => {
    const jwt = await statement(c, c.chain.leaf, [c.chain.leaf.der]);
    expect(errors(await verify(jwt, c.trust()))).toEqual(['chain-incomplete']);
    const r = await verify(jwt, c.trust({ intermediates: true }));
    expect(r.valid).toBe(true);
    expect(r.chain).toHaveLength(3);
  });

  it('reports a revoked leaf, naming the leaf', async () => {
    c.crls.set(c.chain.urls.issuingCrl, c.signCrl('issuing', { entries: [{ serial: c.chain.leaf.serial, reason: 1 }] }));
    const r = await verify(await statement(c, c.chain.leaf), c.trust());
    expect(errors(r)).toEqual(['revoked']);
    expect(r.findings[0]).toMatchObject({ depth: 0, section: 'udap.org DCR §4.2; RFC 5280 §6.3' });
    expect(r.findings[0].message).toMatch(/^the leaf .*keyCompromise/);
  });

  it('reports a revoked intermediate, naming the intermediate', async () => {
    // buildTestChain gives the issuing CA serial testSerial(2)
    c.crls.set(c.chain.urls.rootCrl, c.signCrl('root', { entries: [{ serial: testSerial(2) }] }));
    const r = await verify(await statement(c, c.chain.leaf), c.trust());
    expect(errors(r)).toEqual(['revoked']);
    expect(r.findings[0]).toMatchObject({ depth: 1 });
    expect(r.findings[0].message).toMatch(/^the intermediate "C=US, O=Anchorage Test, CN=Test Issuing chain"/);
  });

  it('reports an expired leaf and a leaf not yet valid', async () => {
    const expired = c.issueLeaf({ label: 'expired', sanUris: [CLIENT], notBefore: new Date(now.getTime() - 30 * DAY), notAfter: new Date(now.getTime() - DAY) });
    expect(errors(await verify(await statement(c, expired), c.trust()))).toEqual(['cert-expired']);
    const early = c.issueLeaf({ label: 'early', sanUris: [CLIENT], notBefore: new Date(now.getTime() + DAY), notAfter: new Date(now.getTime() + 30 * DAY) });
    expect(errors(await verify(await statement(c, early), c.trust()))).toEqual(['cert-not-yet-valid']);
  });

  it('refuses the chain of another community (wrong anchor)', async () => {
    const other = buildTestCommunity('other-community', now);
    const withRoot = await statement(other, other.chain.leaf, [other.chain.leaf.der, other.chain.issuing.der, other.chain.root.der]);
    const r = await verify(withRoot, c.trust());
    expect(errors(r)).toEqual(['untrusted-anchor']);
    expect(r.chain).toBeUndefined();
    expect(r.findings[0]).toMatchObject({ depth: 2 });
    const withoutRoot = await statement(other, other.chain.leaf);
    expect(errors(await verify(withoutRoot, c.trust()))).toEqual(['chain-incomplete']);
    // and the same JWT passes in its own community
    expect((await verify(withRoot, other.trust())).valid).toBe(true);
  });

  it('refuses an issuing CA with the community name but another key', async () => {
    const key = testKey('RSA-2048', 'impostor-issuing');
    const tbs = buildIssuingCaTbs({
      serial: testSerial(2), subject: c.chain.issuing.subject, issuer: c.chain.root.subject, spkiDer: key.spkiDer,
      issuerSpkiDer: c.chain.root.key.spkiDer, notBefore: c.chain.issuing.notBefore, notAfter: c.chain.issuing.notAfter,
      signatureAlgorithm: 'sha256WithRSAEncryption', crlUrl: c.chain.urls.rootCrl, caIssuersUrl: c.chain.urls.rootCert,
    });
    const impostor: TestCa = { ...c.chain.issuing, key, der: signTbs(tbs, 'sha256WithRSAEncryption', key) };
    const leaf = issueTestLeaf(impostor, {
      key: testKey('RSA-2048', 'impostor-leaf'), serial: testSerial(7), notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + DAY),
      sanUris: [CLIENT], crlUrl: c.chain.urls.issuingCrl, caIssuersUrl: c.chain.urls.issuingCert,
    });
    const r = await verify(await statement(c, leaf, [leaf.der, impostor.der]), c.trust({ intermediates: true }));
    expect(errors(r)).toEqual(['chain-signature-invalid']);
    expect(r.findings[0]).toMatchObject({ depth: 1 });
  });

  it('reports an expired CRL, a CRL not yet valid and a CRL signed by the wrong key', async () => {
    c.crls.set(c.chain.urls.issuingCrl, c.signCrl('issuing', { thisUpdate: new Date(now.getTime() - 2 * DAY), nextUpdate: new Date(now.getTime() - DAY) }));
    const r = await verify(await statement(c, c.chain.leaf), c.trust());
    expect(errors(r)).toEqual(['crl-expired']);
    expect(r.findings[0].message).toMatch(/issuing\.crl expired .*for the leaf/);

    c.crls.set(c.chain.urls.issuingCrl, c.signCrl('issuing', { thisUpdate: new Date(now.getTime() + DAY), nextUpdate: new Date(now.getTime() + 2 * DAY) }));
    expect(errors(await verify(await statement(c, c.chain.leaf), c.trust()))).toEqual(['crl-not-yet-valid']);

    c.crls.set(c.chain.urls.issuingCrl, c.signCrl('issuing', { signingKey: testKey('RSA-2048', 'crl-forger') }));
    expect(errors(await verify(await statement(c, c.chain.leaf), c.trust()))).toEqual(['crl-signature-invalid']);
  });

  it('reports a CRL of another issuer and a CRL that is not DER', async () => {
    c.crls.set(c.chain.urls.issuingCrl, c.crls.get(c.chain.urls.rootCrl) ?? null);
    expect(errors(await verify(await statement(c, c.chain.leaf), c.trust()))).toEqual(['crl-issuer-mismatch']);
    c.crls.set(c.chain.urls.issuingCrl, Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01));
    expect(errors(await verify(await statement(c, c.chain.leaf), c.trust()))).toEqual(['crl-malformed']);
  });

  it('still reports a revocation listed by an expired CRL', async () => {
    c.crls.set(c.chain.urls.issuingCrl, c.signCrl('issuing', {
      entries: [{ serial: c.chain.leaf.serial }], thisUpdate: new Date(now.getTime() - 2 * DAY), nextUpdate: new Date(now.getTime() - DAY),
    }));
    expect(errors(await verify(await statement(c, c.chain.leaf), c.trust())).sort()).toEqual(['crl-expired', 'revoked']);
  });

  it('reports a leaf without CDP and an unavailable or failing CRL', async () => {
    const noCdp = c.issueLeaf({ label: 'no-cdp', sanUris: [CLIENT], withoutCdp: true });
    const r = await verify(await statement(c, noCdp), c.trust());
    expect(errors(r)).toEqual(['crl-missing-cdp']);
    expect(r.findings[0]).toMatchObject({ depth: 0, section: 'udap.org DCR §4.2; RFC 5280 §4.2.1.13' });

    c.crls.set(c.chain.urls.issuingCrl, null);
    expect(errors(await verify(await statement(c, c.chain.leaf), c.trust()))).toEqual(['crl-unavailable']);

    const failing: UdapTrust = { ...c.trust(), crl: async () => Promise.reject(new Error('connection refused')) };
    const f = await verify(await statement(c, c.chain.leaf), failing);
    expect(codes(f)).toEqual(['crl-unavailable', 'crl-unavailable']); // the leaf's and the intermediate's
    expect(f.findings[0].message).toMatch(/connection refused/);
  });

  it('refuses a leaf used as an issuer (not a CA, no keyCertSign, beyond pathLen 0)', async () => {
    const leafCa: TestCa = {
      key: c.chain.leaf.key, alg: 'sha256WithRSAEncryption', subject: encodeName({ commonName: 'app.example.org', organization: 'Member Org' }),
      der: c.chain.leaf.der, notBefore: c.chain.issuing.notBefore, notAfter: c.chain.issuing.notAfter,
    };
    const leafCrl = 'http://pki.example.test/crl/leaf.crl';
    const childKey = testKey('RSA-2048', 'grandchild');
    const child = signTbs(buildLeafTbs({
      profile: 'udap-client', serial: testSerial(8), subject: encodeName({ commonName: 'grandchild.example.org' }), issuer: leafCa.subject,
      spkiDer: childKey.spkiDer, issuerSpkiDer: leafCa.key.spkiDer, notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + DAY),
      signatureAlgorithm: 'sha256WithRSAEncryption', sanUris: [CLIENT], crlUrl: leafCrl, caIssuersUrl: 'http://pki.example.test/ca/leaf.cer',
    }), 'sha256WithRSAEncryption', c.chain.leaf.key);
    c.crls.set(leafCrl, signTestCrl(leafCa, { thisUpdate: new Date(now.getTime() - 60_000), nextUpdate: new Date(now.getTime() + DAY), crlNumber: 1n }));
    const jwt = await signUdapJwt(softwareStatementClaims(CLIENT, REGISTER, now), { alg: 'RS256' }, childKey.privateKey, [child, c.chain.leaf.der, c.chain.issuing.der]);
    const r = await verify(jwt, c.trust());
    expect(errors(r)).toEqual(['ca-basic-constraints', 'ca-key-usage', 'path-length-exceeded']);
    expect(r.findings.map((f) => f.depth)).toEqual([1, 1, 2]);
  });
});
