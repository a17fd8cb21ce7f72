import { createHash, generateKeyPair, type KeyObject } from 'node:crypto';
import type { KeyType } from '@anchorage/contracts';
import { buildPkcs12 } from '@anchorage/pki';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError } from './errors';
import { findRepeat, issueForKey, loadIssuanceContext, validateIssuanceBasics, type IssuedCertificate } from './issuance';

/** A request to issue a leaf for a key pair the platform generates and delivers once, in a PKCS #12. */
export interface IssueWithGeneratedKeyInput {
  organizationId: string;
  profile: string;
  /** SAN URIs to certify (there is no CSR to take them from). */
  sanUris: string[];
  /** Default RSA-2048 (the UDAP-safe default); must be allowed by the community policy. */
  keyType?: KeyType;
  /** Protects the PKCS #12; at least MIN_PKCS12_PASSWORD_LENGTH characters. Never stored or logged. */
  pkcs12Password: string;
  validityDays?: number;
  /** Idempotency key; a repeat returns the certificate but cannot return the key again. */
  requestId?: string;
}

/** The issued certificate and, the first time only, the PKCS #12 with its private key. */
export interface IssuedWithGeneratedKey extends IssuedCertificate {
  /** PFX DER: key, leaf and issuing CA (RFC 7292); absent on a repeat. */
  pkcs12?: Uint8Array;
  /** Why `pkcs12` is absent: set on a repeat of the request. */
  pkcs12Unavailable?: string;
}

/** Said instead of a PKCS #12 when a request is repeated: the platform kept no copy of the key. */
export const PKCS12_UNAVAILABLE = 'the private key is only delivered once';
/** Shortest PKCS #12 password accepted: the file may travel by e-mail, so it must resist guessing offline. */
export const MIN_PKCS12_PASSWORD_LENGTH = 12;

function checkPassword(pw: unknown): string {
  if (typeof pw !== 'string') throw new DomainError('validation', 'pkcs12Password is required: it protects the PKCS #12 that carries the private key');
  const length = [...pw].length;
  if (length < MIN_PKCS12_PASSWORD_LENGTH) throw new DomainError('validation', `pkcs12Password must be at least ${MIN_PKCS12_PASSWORD_LENGTH} characters (got ${length})`);
  if (length > 1024) throw new DomainError('validation', 'pkcs12Password must be at most 1024 characters');
  if (/[\u0000-\u001f\u007f]/.test(pw)) throw new DomainError('validation', 'pkcs12Password must not contain control characters');
  return pw;
}

// The password is left out: a stored fingerprint must not help anyone guess it.
function fingerprint(input: IssueWithGeneratedKeyInput, keyType: KeyType): string {
  const request = ['platform-generated-key', input.organizationId, input.profile, input.sanUris, input.validityDays ?? null, keyType];
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/** A member key pair, in memory only: it is not a CA key, so it never goes to the signer. */
function generateMemberKey(keyType: KeyType): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: KeyObject, privateKey: KeyObject) => (err ? reject(err) : resolve({ publicKey, privateKey }));
    if (keyType.startsWith('RSA-')) generateKeyPair('rsa', { modulusLength: Number(keyType.slice(4)), publicExponent: 65537 }, done);
    else generateKeyPair('ec', { namedCurve: keyType === 'EC-P256' ? 'P-256' : 'P-384' }, done);
  });
}

/**
 * Issues a leaf for a key pair the platform generates, where the community allows it (policy
 * allowGeneratedKeys), and returns it once as a PKCS #12 holding key, leaf and issuing CA with
 * localKeyId on key and leaf (UDAP profile "Delivery to the member"; the root is the relying
 * parties' trust anchor, so it is left out). Everything but how the key arrives is the CSR path's
 * pipeline. The private key lives only in this call's memory: never stored, logged or audited; a
 * repeat of the request returns the certificate with `pkcs12Unavailable` instead.
 */
export async function issueWithGeneratedKey(deps: AuthorityDeps, input: IssueWithGeneratedKeyInput, actor: Actor): Promise<IssuedWithGeneratedKey> {
  const { profile, requestKey } = validateIssuanceBasics(input, actor);
  const keyType = input.keyType ?? 'RSA-2048';
  const password = checkPassword(input.pkcs12Password);
  if (input.sanUris.length === 0) {
    throw new DomainError('san-invalid', 'give sanUris: the SAN URIs to certify (UDAP needs one, equal to the holder\'s iss)');
  }
  const requestFingerprint = fingerprint(input, keyType);
  const repeat = await findRepeat(deps, requestKey, requestFingerprint, actor);
  if (repeat) return { ...repeat, pkcs12Unavailable: PKCS12_UNAVAILABLE };

  // fresh: generating a key is slow anyway, and the policy check below must see the current policy
  const ctx = await loadIssuanceContext(deps, input.organizationId, { fresh: true });
  if (!ctx.community.allowGeneratedKeys) {
    throw new DomainError('key-policy', `community "${ctx.community.name}" does not allow platform-generated keys (policy allowGeneratedKeys is false); generate the key yourself and submit a CSR`);
  }
  const pair = await generateMemberKey(keyType);
  const spkiDer = new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' }));
  const issued = await issueForKey(deps, ctx, {
    profile, spkiDer, sanUris: input.sanUris, validityDays: input.validityDays, requestKey, requestFingerprint,
    keySource: { keySource: 'platform-generated', keyType },
  }, actor);
  // a concurrent repeat of this request won the race: its certificate is not for this key
  if (!issued.created) return { ...issued, pkcs12Unavailable: PKCS12_UNAVAILABLE };

  const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
  let pkcs12: Uint8Array;
  try {
    pkcs12 = await buildPkcs12({
      privateKeyPkcs8: pkcs8, leafDer: issued.certificate.der!, chainDers: [ctx.issuer.certificateDer!], password,
      friendlyName: issued.certificate.sanUris[0],
    });
  } finally {
    pkcs8.fill(0); // the clear key does not outlive the PKCS #12 in this process's buffers
  }
  await deps.db.audit.append({
    at: deps.clock.now(), actor: actor.id, action: 'certificate.pkcs12-delivered', subjectType: 'certificate', subjectId: issued.certificate.id,
    data: { keyType, pkcs12Sha256: createHash('sha256').update(pkcs12).digest('hex') },
  });
  return { ...issued, pkcs12 };
}
