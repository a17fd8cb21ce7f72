import { createPublicKey, randomBytes, randomUUID, verify } from 'node:crypto';
import { assembleSigned, buildLeafTbs, buildRootCaTbs, encodeName, newSerial } from '@anchorage/pki';
import { rejection } from '../testing/rejection';
import { openTestSigner, type TestSigner } from '../testing/test-signer';

const DAY = 86_400;
const CERTIFIER = 'https://certifier.example.org/udap';
const noAudit = { before: async () => undefined, after: async () => undefined };
const RS256 = 'sha256WithRSAEncryption' as const;
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

// The signer signs a certification JWT with a key only after reading it (certification-guard.ts, run by
// the in-process Signer and again at the socket): x5c[0] must certify that very key as a leaf, and the
// claims must be a certification's. Here the Signer itself, as the signer process runs it.
describe('certification signing input (purpose certification)', () => {
  let t: TestSigner;
  let certifier: { keyRef: string; spki: Uint8Array };
  let leaf: Uint8Array;
  let shortLeaf: Uint8Array;
  let root: Uint8Array;
  const nowS = Math.floor(Date.now() / 1000);

  /** A certificate of `spki` signed by the test CA key: a udap-certifier leaf valid `days`, or the CA's own root. */
  async function issue(spki: Uint8Array, days: number, kind: 'udap-certifier' | 'root'): Promise<Uint8Array> {
    const base = {
      serial: newSerial(randomBytes(16)), spkiDer: spki, notBefore: new Date((nowS - 60) * 1000), notAfter: new Date((nowS + days * DAY) * 1000),
      signatureAlgorithm: RS256,
    };
    const tbs = kind === 'root'
      ? buildRootCaTbs({ ...base, subject: encodeName({ commonName: 'Guard Test Root' }) })
      : buildLeafTbs({
        ...base, profile: 'udap-certifier', subject: encodeName({ commonName: 'Certifier' }), issuer: encodeName({ commonName: 'Guard Test Root' }),
        issuerSpkiDer: t.spki, sanUris: [CERTIFIER], crlUrl: 'http://pki.example.test/root.crl', caIssuersUrl: 'http://pki.example.test/root.cer',
      });
    const signature = await t.signer.signTbs(t.keyRef, tbs, RS256, noAudit, { purpose: 'certificate', subject: 'guard test', profile: kind });
    return assembleSigned(tbs, RS256, signature);
  }

  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: CERTIFIER, sub: 'https://app.example.org/client', iat: nowS, exp: nowS + 180 * DAY, jti: randomUUID(),
    certification_name: 'Example Certification', certification_uris: ['https://community.example.org/c'],
    certification_status_endpoint: 'https://pki.example.org/pki/communities/x/certifications/status', ...extra,
  });
  const input = (c: Record<string, unknown>, header: Record<string, unknown> = {}, chain = [leaf, root]) =>
    new Uint8Array(Buffer.from(`${b64url({ alg: 'RS256', x5c: chain.map(b64), ...header })}.${b64url(c)}`, 'latin1'));
  const sign = (bytes: Uint8Array, keyRef = certifier.keyRef, alg: typeof RS256 | 'ecdsaWithSHA256' = RS256) =>
    t.signer.signTbs(keyRef, bytes, alg, noAudit, { purpose: 'certification', subject: 'guard test' });

  beforeAll(async () => {
    t = await openTestSigner();
    const key = await t.signer.generateKey('software', 'RSA-2048', 'certifier');
    certifier = { keyRef: key.keyRef, spki: key.spkiDer };
    root = await issue(t.spki, 3650, 'root');
    leaf = await issue(certifier.spki, 365, 'udap-certifier');
    shortLeaf = await issue(certifier.spki, 30, 'udap-certifier');
  });
  afterAll(() => t?.cleanup());

  it('signs a certification whose x5c[0] certifies the key, and the signature verifies as RS256', async () => {
    const bytes = input(claims());
    const signature = await sign(bytes);
    expect(verify('sha256', bytes, createPublicKey({ key: Buffer.from(certifier.spki), format: 'der', type: 'spki' }), signature)).toBe(true);
  });

  it('refuses to sign one with a CA key: its certificate is a CA\'s, and a leaf does not certify it', async () => {
    expect((await rejection(sign(input(claims(), {}, [root]), t.keyRef))).message).toMatch(/x5c\[0\] is a CA certificate/);
    expect((await rejection(sign(input(claims()), t.keyRef))).message).toMatch(/x5c\[0\] does not certify the key/);
  });

  it.each([
    ['iss not a SAN URI of x5c[0]', () => input(claims({ iss: 'https://other.example.org/udap' })), /iss must be a SAN URI/],
    ['exp more than 3 years after iat', () => input(claims({ exp: nowS + 3 * 366 * DAY })), /at most 3 years/],
    ['exp past the certificate', () => input(claims({ exp: nowS + 60 * DAY }), {}, [shortLeaf, root]), /notAfter/],
    ['exp before iat', () => input(claims({ exp: nowS - 1 })), /exp must be after iat/],
    ['fractional exp', () => input(claims({ exp: nowS + 0.5 })), /whole seconds/],
    ['no jti', () => input(claims({ jti: undefined })), /jti/],
    ['no status endpoint', () => input(claims({ certification_status_endpoint: undefined })), /certification_status_endpoint/],
    ['no certification_uris', () => input(claims({ certification_uris: [] })), /certification_uris/],
    ['alg other than RS256', () => input(claims(), { alg: 'none' }), /alg RS256/],
    ['a header pointing elsewhere', () => input(claims(), { jku: 'https://evil.example.org/jwks' }), /only alg, x5c and typ/],
    ['a chain whose links do not verify', () => input(claims(), {}, [leaf, shortLeaf]), /x5c\[0\] is not signed by x5c\[1\]/],
    ['no x5c', () => input(claims(), { x5c: [] }), /x5c must hold/],
    ['not a JWS signing input', () => new Uint8Array(Buffer.from('not.a.jws')), /signing input is BASE64URL/],
    ['a certificate TBS passed off as a certification', () => t.leafTbs(), /signing input is BASE64URL/],
  ])('refuses %s', async (_what, bytes, message) => {
    expect((await rejection(sign(bytes()))).message).toMatch(message);
  });

  it('refuses an algorithm other than RS256', async () => {
    expect((await rejection(sign(input(claims()), certifier.keyRef, 'ecdsaWithSHA256'))).message).toMatch(/not ecdsaWithSHA256|does not fit|RSA/);
  });
});
