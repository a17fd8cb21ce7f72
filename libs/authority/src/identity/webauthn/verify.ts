// WebAuthn Level 2 ceremonies checked on the server with node:crypto: a registration (attestation
// "none": the platform asks for no attestation, so only the credential and its key are taken) and an
// assertion (the signature over authenticator data and the hash of the client data). Algorithms:
// ES256 (COSE -7, P-256) and RS256 (COSE -257). Every check names what failed.
// Used by ../passkeys.ts.
import { createHash, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { CborError, decodeCbor, decodeCborPrefix, type CborValue } from './cbor';

/** COSE algorithm identifiers accepted (pubKeyCredParams, in order of preference). */
export const WEBAUTHN_ALGORITHMS = [-7, -257] as const;
export type WebAuthnAlgorithm = (typeof WEBAUTHN_ALGORITHMS)[number];

/** Why a ceremony is refused. */
export class WebAuthnError extends Error {}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

/** What both ceremonies are checked against. */
export interface Expected {
  /** The challenge the server issued (raw bytes). */
  challenge: Uint8Array;
  /** The console's origin, e.g. "https://anchorage.example.org". */
  origin: string;
  /** The relying party id: the origin's host name. */
  rpId: string;
  /** Whether user verification (PIN, biometrics) is required, besides presence. */
  requireUserVerification?: boolean;
}

/** A credential accepted at registration: store all of it. */
export interface RegisteredCredential {
  /** base64url of the credential id. */
  credentialId: string;
  /** The public key as SPKI DER (base64). */
  publicKeySpki: string;
  algorithm: WebAuthnAlgorithm;
  signCount: number;
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

function decodeBase64url(value: unknown, what: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]*$/.test(value) || value === '') throw new WebAuthnError(`${what} must be base64url`);
  return Buffer.from(value, 'base64url');
}

/** Checks clientDataJSON: its type, the challenge (constant time), the origin; and no cross-origin frame. */
function checkClientData(clientDataJSON: Buffer, type: 'webauthn.create' | 'webauthn.get', expected: Expected): void {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(clientDataJSON)) as Record<string, unknown>;
  } catch {
    throw new WebAuthnError('clientDataJSON is not JSON');
  }
  if (data.type !== type) throw new WebAuthnError(`clientDataJSON type is ${JSON.stringify(data.type)}, not ${type}`);
  const challenge = typeof data.challenge === 'string' ? Buffer.from(data.challenge, 'base64url') : Buffer.alloc(0);
  if (challenge.length !== expected.challenge.length || !timingSafeEqual(challenge, expected.challenge)) throw new WebAuthnError('the challenge is not the one issued');
  if (data.origin !== expected.origin) throw new WebAuthnError(`the origin ${JSON.stringify(data.origin)} is not ${expected.origin}`);
  if (data.crossOrigin === true) throw new WebAuthnError('the ceremony ran in a cross-origin frame');
}

interface AuthData { rpIdHash: Buffer; flags: number; signCount: number; credentialId?: Buffer; cosePublicKey?: Map<CborValue, CborValue> }

/** Parses authenticator data (§6.1) and checks the relying party id hash and the flags. */
function parseAuthData(raw: Buffer, expected: Expected, needCredential: boolean): AuthData {
  if (raw.length < 37) throw new WebAuthnError('authenticator data is too short');
  const rpIdHash = raw.subarray(0, 32);
  if (!timingSafeEqual(rpIdHash, sha256(expected.rpId))) throw new WebAuthnError(`the authenticator signed for another relying party than ${expected.rpId}`);
  const flags = raw[32];
  if (!(flags & FLAG_UP)) throw new WebAuthnError('the user was not present (user-present flag not set)');
  if (expected.requireUserVerification && !(flags & FLAG_UV)) throw new WebAuthnError('the user was not verified (user-verified flag not set)');
  const signCount = raw.readUInt32BE(33);
  if (!needCredential) return { rpIdHash, flags, signCount };
  if (!(flags & FLAG_AT) || raw.length < 55) throw new WebAuthnError('the registration carries no attested credential data');
  const idLength = raw.readUInt16BE(53);
  const credentialId = raw.subarray(55, 55 + idLength);
  if (credentialId.length !== idLength || idLength === 0 || idLength > 1023) throw new WebAuthnError('bad credential id length');
  let key: CborValue;
  try {
    key = decodeCborPrefix(raw.subarray(55 + idLength)).value;
  } catch (err) {
    throw new WebAuthnError(`the credential public key is not CBOR: ${err instanceof CborError ? err.message : String(err)}`);
  }
  if (!(key instanceof Map)) throw new WebAuthnError('the credential public key is not a COSE key');
  return { rpIdHash, flags, signCount, credentialId, cosePublicKey: key };
}

const bytesOf = (m: Map<CborValue, CborValue>, label: number, what: string): Buffer => {
  const v = m.get(label);
  if (!(v instanceof Uint8Array)) throw new WebAuthnError(`the COSE key has no ${what}`);
  return Buffer.from(v);
};

/** A COSE_Key (RFC 9053) as a node key: EC2 P-256 for ES256, RSA for RS256. */
export function coseToPublicKey(m: Map<CborValue, CborValue>): { key: KeyObject; algorithm: WebAuthnAlgorithm } {
  const kty = m.get(1);
  const alg = m.get(3);
  if (alg === -7) {
    if (kty !== 2 || m.get(-1) !== 1) throw new WebAuthnError('an ES256 key must be an EC2 key on P-256');
    const x = bytesOf(m, -2, 'x');
    const y = bytesOf(m, -3, 'y');
    if (x.length !== 32 || y.length !== 32) throw new WebAuthnError('a P-256 key has 32-byte coordinates');
    return { key: createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64url(x), y: b64url(y) }, format: 'jwk' }), algorithm: -7 };
  }
  if (alg === -257) {
    if (kty !== 3) throw new WebAuthnError('an RS256 key must be an RSA key');
    const n = bytesOf(m, -1, 'modulus');
    const e = bytesOf(m, -2, 'exponent');
    if (n.length < 256) throw new WebAuthnError('an RSA key must have at least 2048 bits');
    return { key: createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' }), algorithm: -257 };
  }
  throw new WebAuthnError(`COSE algorithm ${String(alg)} is not accepted (ES256 and RS256 are)`);
}

/** What the browser sends from navigator.credentials.create() (base64url fields). */
export interface RegistrationResponse { clientDataJSON: string; attestationObject: string }

/** Checks a registration ceremony with attestation "none"; the credential to store. */
export function verifyRegistration(response: RegistrationResponse, expected: Expected): RegisteredCredential {
  checkClientData(decodeBase64url(response.clientDataJSON, 'clientDataJSON'), 'webauthn.create', expected);
  let att: CborValue;
  try {
    att = decodeCbor(decodeBase64url(response.attestationObject, 'attestationObject'));
  } catch (err) {
    if (err instanceof WebAuthnError) throw err;
    throw new WebAuthnError(`the attestation object is not CBOR: ${(err as Error).message}`);
  }
  if (!(att instanceof Map)) throw new WebAuthnError('the attestation object is not a map');
  if (att.get('fmt') !== 'none') throw new WebAuthnError(`attestation format ${JSON.stringify(att.get('fmt'))} is not accepted: ask for attestation "none"`);
  const stmt = att.get('attStmt');
  if (!(stmt instanceof Map) || stmt.size !== 0) throw new WebAuthnError('attestation "none" has an empty statement');
  const authData = att.get('authData');
  if (!(authData instanceof Uint8Array)) throw new WebAuthnError('the attestation object has no authenticator data');
  const parsed = parseAuthData(Buffer.from(authData), expected, true);
  const { key, algorithm } = coseToPublicKey(parsed.cosePublicKey!);
  return {
    credentialId: b64url(parsed.credentialId!),
    publicKeySpki: key.export({ format: 'der', type: 'spki' }).toString('base64'),
    algorithm,
    signCount: parsed.signCount,
  };
}

/** What the browser sends from navigator.credentials.get() (base64url fields). */
export interface AssertionResponse { credentialId: string; clientDataJSON: string; authenticatorData: string; signature: string }

/**
 * Checks an assertion by `credential` (as stored at registration); answers the new signature counter.
 * A counter that does not grow (where either is non-zero) means a cloned authenticator: refused.
 */
export function verifyAssertion(response: AssertionResponse, credential: RegisteredCredential, expected: Expected): { signCount: number } {
  if (response.credentialId !== credential.credentialId) throw new WebAuthnError('the assertion is by another credential');
  const clientDataJSON = decodeBase64url(response.clientDataJSON, 'clientDataJSON');
  checkClientData(clientDataJSON, 'webauthn.get', expected);
  const authData = decodeBase64url(response.authenticatorData, 'authenticatorData');
  const parsed = parseAuthData(authData, expected, false);
  const signed = Buffer.concat([authData, sha256(clientDataJSON)]);
  const key = createPublicKey({ key: Buffer.from(credential.publicKeySpki, 'base64'), format: 'der', type: 'spki' });
  const signature = decodeBase64url(response.signature, 'signature');
  const ok = credential.algorithm === -7
    ? verify('sha256', signed, { key, dsaEncoding: 'der' }, signature)
    : verify('sha256', signed, key, signature);
  if (!ok) throw new WebAuthnError('the signature does not verify');
  if ((parsed.signCount !== 0 || credential.signCount !== 0) && parsed.signCount <= credential.signCount) {
    throw new WebAuthnError(`the signature counter did not grow (${parsed.signCount} after ${credential.signCount}): the authenticator may be cloned`);
  }
  return { signCount: parsed.signCount };
}
