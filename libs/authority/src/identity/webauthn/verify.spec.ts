// The WebAuthn checks against an authenticator simulated here with node:crypto (ES256 and RS256 keys,
// CBOR written by a small encoder below): a good registration and assertion pass; each thing a
// relying party must check (challenge, origin, type, rpId hash, user presence, signature, counter,
// algorithm, attestation format) fails with its own message.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { decodeCbor } from './cbor';
import { verifyAssertion, verifyRegistration, WebAuthnError, type Expected, type RegisteredCredential } from './verify';

type Cbor = number | string | Uint8Array | boolean | null | Cbor[] | Map<Cbor, Cbor>;
function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') return Buffer.concat([head(3, Buffer.byteLength(v)), Buffer.from(v)]);
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), v]);
  if (v === false) return Buffer.from([0xf4]);
  if (v === true) return Buffer.from([0xf5]);
  if (v === null) return Buffer.from([0xf6]);
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(cbor)]);
  return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
}
const b64u = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

const EXPECTED: Expected = { challenge: randomBytes(32), origin: 'https://console.example.org', rpId: 'console.example.org' };

/** A software authenticator holding one key. */
class Authenticator {
  readonly id = randomBytes(16);
  counter = 0;
  private readonly priv: KeyObject;
  private readonly pub: KeyObject;
  constructor(readonly alg: -7 | -257) {
    const pair = alg === -7 ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.priv = pair.privateKey;
    this.pub = pair.publicKey;
  }
  cose(): Map<Cbor, Cbor> {
    const jwk = this.pub.export({ format: 'jwk' });
    return this.alg === -7
      ? new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]])
      : new Map<Cbor, Cbor>([[1, 3], [3, -257], [-1, Buffer.from(jwk.n!, 'base64url')], [-2, Buffer.from(jwk.e!, 'base64url')]]);
  }
  authData(o: { rpId?: string; flags?: number; counter?: number; attested?: boolean } = {}): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(o.counter ?? this.counter);
    const parts: Uint8Array[] = [sha256(o.rpId ?? EXPECTED.rpId), Buffer.from([(o.flags ?? 0x05) | (o.attested ? 0x40 : 0)]), count];
    if (o.attested) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(this.id.length);
      parts.push(Buffer.alloc(16), len, this.id, cbor(this.cose()));
    }
    return Buffer.concat(parts);
  }
  clientData(type: string, o: { challenge?: Uint8Array; origin?: string } = {}): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge: b64u(o.challenge ?? EXPECTED.challenge), origin: o.origin ?? EXPECTED.origin, crossOrigin: false }));
  }
  register(o: { fmt?: string; clientData?: Buffer; authData?: Buffer } = {}) {
    const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', o.fmt ?? 'none'], ['attStmt', new Map()], ['authData', o.authData ?? this.authData({ attested: true })]]));
    return { clientDataJSON: b64u(o.clientData ?? this.clientData('webauthn.create')), attestationObject: b64u(attestationObject) };
  }
  assert(o: { clientData?: Buffer; authData?: Buffer; tamper?: boolean } = {}) {
    this.counter++;
    const clientData = o.clientData ?? this.clientData('webauthn.get');
    const authData = o.authData ?? this.authData();
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.alg === -7 ? { key: this.priv, dsaEncoding: 'der' } : this.priv);
    if (o.tamper) signature[signature.length - 1] ^= 1;
    return { credentialId: b64u(this.id), clientDataJSON: b64u(clientData), authenticatorData: b64u(authData), signature: b64u(signature) };
  }
}

const refused = (f: () => unknown, message: RegExp) => {
  expect(f).toThrow(WebAuthnError);
  expect(f).toThrow(message);
};

describe.each([['ES256', -7], ['RS256', -257]] as const)('WebAuthn with %s', (_name, alg) => {
  let a: Authenticator;
  let stored: RegisteredCredential;
  beforeAll(() => {
    a = new Authenticator(alg);
    stored = verifyRegistration(a.register(), EXPECTED);
  });

  it('accepts a registration with attestation "none" and keeps the credential id, key, algorithm and counter', () => {
    expect(stored).toMatchObject({ credentialId: b64u(a.id), algorithm: alg, signCount: 0 });
    expect(Buffer.from(stored.publicKeySpki, 'base64').length).toBeGreaterThan(80);
  });

  it('refuses a registration with the wrong challenge, origin, type, relying party, no user presence, or another attestation format', () => {
    refused(() => verifyRegistration(a.register({ clientData: a.clientData('webauthn.create', { challenge: randomBytes(32) }) }), EXPECTED), /challenge is not the one issued/);
    refused(() => verifyRegistration(a.register({ clientData: a.clientData('webauthn.create', { origin: 'https://evil.example' }) }), EXPECTED), /origin "https:\/\/evil.example" is not/);
    refused(() => verifyRegistration(a.register({ clientData: a.clientData('webauthn.get') }), EXPECTED), /type is "webauthn.get", not webauthn.create/);
    refused(() => verifyRegistration(a.register({ authData: a.authData({ attested: true, rpId: 'evil.example' }) }), EXPECTED), /another relying party/);
    refused(() => verifyRegistration(a.register({ authData: a.authData({ attested: true, flags: 0x04 }) }), EXPECTED), /user was not present/);
    refused(() => verifyRegistration(a.register({ fmt: 'packed' }), EXPECTED), /attestation format "packed" is not accepted/);
    refused(() => verifyRegistration(a.register({ authData: a.authData({}) }), EXPECTED), /no attested credential data/);
  });

  it('accepts an assertion and answers the new counter; refuses a bad signature, a counter that does not grow, a wrong challenge or origin', () => {
    expect(verifyAssertion(a.assert(), stored, EXPECTED)).toEqual({ signCount: a.counter });
    const now = { ...stored, signCount: a.counter };
    refused(() => verifyAssertion(a.assert({ tamper: true }), now, EXPECTED), /signature does not verify/);
    refused(() => verifyAssertion(a.assert({ authData: a.authData({ counter: now.signCount }) }), now, EXPECTED), /counter did not grow/);
    refused(() => verifyAssertion(a.assert({ clientData: a.clientData('webauthn.get', { challenge: randomBytes(32) }) }), now, EXPECTED), /challenge/);
    refused(() => verifyAssertion(a.assert({ clientData: a.clientData('webauthn.get', { origin: 'http://console.example.org' }) }), now, EXPECTED), /origin/);
    refused(() => verifyAssertion(a.assert({ authData: a.authData({ flags: 0 }) }), now, EXPECTED), /user was not present/);
    refused(() => verifyAssertion({ ...a.assert(), credentialId: b64u(randomBytes(16)) }, now, EXPECTED), /another credential/);
    // another key's signature over the same data
    const other = new Authenticator(alg);
    refused(() => verifyAssertion({ ...other.assert(), credentialId: stored.credentialId }, now, EXPECTED), /signature does not verify/);
  });
});

describe('decodeCbor', () => {
  it('decodes what WebAuthn sends and refuses what it does not', () => {
    expect(decodeCbor(cbor(new Map<Cbor, Cbor>([[1, 2], [-1, 'x'], ['k', [true, false, null]]])))).toEqual(new Map<unknown, unknown>([[1, 2], [-1, 'x'], ['k', [true, false, null]]]));
    expect(() => decodeCbor(Buffer.from([0x9f, 0xff]))).toThrow(/indefinite lengths are not allowed/);
    expect(() => decodeCbor(Buffer.from([0xc0, 0x00]))).toThrow(/tags are not allowed/);
    expect(() => decodeCbor(Buffer.from([0x43, 0x01]))).toThrow(/ends early/);
    expect(() => decodeCbor(Buffer.from([0x01, 0x02]))).toThrow(/1 bytes after the CBOR item/);
  });
});
