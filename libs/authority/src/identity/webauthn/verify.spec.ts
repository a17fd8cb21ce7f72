// The WebAuthn checks against an authenticator simulated here with node:crypto (ES256 and RS256 keys,
// CBOR written by a small encoder below): a good registration and assertion pass; each thing a
// relying party must check (challenge, origin, type, rpId hash, user presence, signature, counter,
// algorithm, attestation format) fails with its own message.
import { randomBytes } from 'node:crypto';
import { b64u, cbor, SoftAuthenticator, type Cbor } from '@anchorage/testing';
import { decodeCbor } from './cbor';
import { verifyAssertion, verifyRegistration, WebAuthnError, type Expected, type RegisteredCredential } from './verify';

const EXPECTED: Expected = { challenge: randomBytes(32), origin: 'https://console.example.org', rpId: 'console.example.org' };
class Authenticator extends SoftAuthenticator {
  constructor(alg: -7 | -257) {
    super(alg, EXPECTED, EXPECTED.challenge);
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
