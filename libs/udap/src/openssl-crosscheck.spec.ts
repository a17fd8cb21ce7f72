// Cross-checks the verifier's chain verdict with an independent implementation: OpenSSL's
// `verify -x509_strict -crl_check_all`, which is what Ruby/OpenSSL relying parties (Inferno) run.
import { toPem } from '@anchorage/pki';
import { openssl, testSerial, TempDir } from '@anchorage/pki/testing';
import { buildTestCommunity, type TestCommunity, type TestLeaf } from './testing/community';
import { softwareStatementClaims } from './testing/claims';
import { signUdapJwt } from './testing/sign-udap-jwt';
import type { UdapVerification } from './types';
import { verifyUdapJwt } from './verify';

const DAY = 86_400_000;
const now = new Date();
const CLIENT = 'https://app.example.org/client';
const REGISTER = 'https://fhir.example.org/oauth/register';

const CHAIN_CODES = new Set([
  'chain-incomplete', 'untrusted-anchor', 'chain-signature-invalid', 'cert-expired', 'cert-not-yet-valid', 'ca-basic-constraints',
  'ca-key-usage', 'path-length-exceeded', 'leaf-is-ca', 'leaf-key-usage', 'crl-missing-cdp', 'crl-unavailable', 'crl-malformed',
  'crl-issuer-mismatch', 'crl-signature-invalid', 'crl-not-yet-valid', 'crl-expired', 'revoked',
]);
const chainFindings = (r: UdapVerification): string[] => r.findings.map((f) => f.code).filter((code) => CHAIN_CODES.has(code));

interface Case {
  /** The community whose root is the trust anchor. */
  trusted: TestCommunity;
  /** The community that issued the leaf (another one for the wrong-anchor case). */
  issuer: TestCommunity;
  leaf: TestLeaf;
  /** x5c (and OpenSSL's -untrusted) also carry the issuer community's root. */
  withRoot?: boolean;
  expected: string[];
  /** How OpenSSL names the failure. */
  openssl: RegExp;
}

async function verdicts(dir: TempDir, name: string, k: Case): Promise<{ ours: string[]; openssl: { status: number | null; output: string } }> {
  const x5c = [...k.issuer.x5c(k.leaf), ...(k.withRoot ? [k.issuer.chain.root.der] : [])];
  const jwt = await signUdapJwt(softwareStatementClaims(CLIENT, REGISTER, now), { alg: 'RS256' }, k.leaf.key.privateKey, x5c);
  const ours = chainFindings(await verifyUdapJwt(jwt, k.trusted.trust(), { kind: 'software-statement', now, expected: { aud: REGISTER } }));
  const prefix = name.replace(/\W+/g, '-');
  const root = dir.write(`${prefix}-root.pem`, toPem(k.trusted.chain.root.der, 'CERTIFICATE'));
  const untrusted = dir.write(`${prefix}-untrusted.pem`, x5c.slice(1).map((d) => toPem(d, 'CERTIFICATE')).join(''));
  const leaf = dir.write(`${prefix}-leaf.pem`, toPem(k.leaf.der, 'CERTIFICATE'));
  // the CRLs the relying party would fetch: the trusted community's, as served at the CDP URLs
  const crls = [...k.trusted.crls.values()].filter((c): c is Uint8Array => c !== null).map((c) => toPem(c, 'X509 CRL')).join('');
  const crlFile = dir.write(`${prefix}-crls.pem`, crls);
  const args = ['verify', '-x509_strict', '-crl_check_all', '-attime', String(Math.floor(now.getTime() / 1000)), '-CAfile', root, '-untrusted', untrusted, '-CRLfile', crlFile, leaf];
  const r = openssl(args);
  return { ours, openssl: { status: r.status, output: r.output } };
}

describe('chain verdicts agree with openssl verify -x509_strict -crl_check_all', () => {
  const dir = new TempDir();
  afterAll(() => dir.cleanup());

  const fresh = (label: string): TestCommunity => buildTestCommunity(`xcheck-${label}`, now);
  const cases: { name: string; make: () => Case }[] = [
    { name: 'good chain', make: () => {
      const c = fresh('good');
      return { trusted: c, issuer: c, leaf: c.chain.leaf, expected: [], openssl: /: OK$/m };
    } },
    { name: 'revoked leaf', make: () => {
      const c = fresh('revoked-leaf');
      c.crls.set(c.chain.urls.issuingCrl, c.signCrl('issuing', { entries: [{ serial: c.chain.leaf.serial, reason: 1 }] }));
      return { trusted: c, issuer: c, leaf: c.chain.leaf, expected: ['revoked'], openssl: /error 23 at 0 depth lookup: certificate revoked/ };
    } },
    { name: 'revoked intermediate', make: () => {
      const c = fresh('revoked-intermediate');
      // buildTestChain gives the issuing CA serial testSerial(2)
      c.crls.set(c.chain.urls.rootCrl, c.signCrl('root', { entries: [{ serial: testSerial(2), reason: 2 }] }));
      return { trusted: c, issuer: c, leaf: c.chain.leaf, expected: ['revoked'], openssl: /error 23 at 1 depth lookup: certificate revoked/ };
    } },
    { name: 'expired leaf', make: () => {
      const c = fresh('expired');
      const leaf = c.issueLeaf({ label: 'expired', sanUris: [CLIENT], notBefore: new Date(now.getTime() - 30 * DAY), notAfter: new Date(now.getTime() - DAY) });
      return { trusted: c, issuer: c, leaf, expected: ['cert-expired'], openssl: /certificate has expired/ };
    } },
    { name: 'wrong anchor (another community, its root not sent)', make: () => {
      const c = fresh('wrong-anchor');
      const other = fresh('other-community');
      return { trusted: c, issuer: other, leaf: other.chain.leaf, expected: ['chain-incomplete'], openssl: /unable to get local issuer certificate/ };
    } },
    { name: 'wrong anchor (another community, its root sent along)', make: () => {
      const c = fresh('wrong-anchor-root');
      const other = fresh('other-community');
      return { trusted: c, issuer: other, leaf: other.chain.leaf, withRoot: true, expected: ['untrusted-anchor'], openssl: /self-signed certificate in certificate chain/ };
    } },
    { name: 'expired CRL', make: () => {
      const c = fresh('expired-crl');
      c.crls.set(c.chain.urls.issuingCrl, c.signCrl('issuing', { thisUpdate: new Date(now.getTime() - 2 * DAY), nextUpdate: new Date(now.getTime() - DAY) }));
      return { trusted: c, issuer: c, leaf: c.chain.leaf, expected: ['crl-expired'], openssl: /CRL has expired/ };
    } },
  ];

  it.each(cases)('$name', async ({ name, make }) => {
    const k = make();
    const { ours, openssl: o } = await verdicts(dir, name, k);
    expect(ours).toEqual(k.expected);
    // both accept the good chain and refuse every bad one, for the same reason
    expect({ opensslAccepts: o.status === 0, output: o.output }).toEqual({ opensslAccepts: k.expected.length === 0, output: expect.stringMatching(k.openssl) });
  });
});
