import { createHash } from 'node:crypto';
import { assembleSigned, signatureAlgorithmFor } from '@anchorage/pki';
import type { KeyType } from '@anchorage/contracts';
import type { AuditInput, CaRecord } from '@anchorage/db';
import { SignerError, type SignatureAudit, type SignatureMeta } from '@anchorage/signer';
import { signatureAudit } from './audit';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError } from './errors';

/** Signs a fully decided TBS with a CA key, auditing before and after, and returns the signed DER. */
export async function signWithCa(
  deps: AuthorityDeps,
  ca: { keyRef: string; keyType: KeyType },
  tbs: Uint8Array,
  meta: SignatureMeta,
  actor: Actor,
  append: (e: AuditInput) => Promise<unknown> = (e) => deps.db.audit.append(e),
): Promise<Uint8Array> {
  return signWithCaAudit(deps, ca, tbs, meta, signatureAudit(append, deps.clock, actor));
}

/** Signs a fully decided TBS with a CA key under a caller-supplied signature audit; returns the signed DER. */
export async function signWithCaAudit(
  deps: AuthorityDeps,
  ca: { keyRef: string; keyType: KeyType },
  tbs: Uint8Array,
  meta: SignatureMeta,
  audit: SignatureAudit,
): Promise<Uint8Array> {
  const alg = signatureAlgorithmFor(ca.keyType);
  const signature = await deps.signer.signTbs(ca.keyRef, tbs, alg, audit, meta).catch(signerToDomain);
  return assembleSigned(tbs, alg, signature);
}

/**
 * Rethrows a SignerError (a key that does not open, a token that is gone, a signature that failed
 * its self-check) as DomainError 'signer-error', which the API answers with 503: the platform cannot
 * sign now, and the request was not at fault. Anything else is rethrown unchanged.
 */
export function signerToDomain(err: unknown): never {
  if (err instanceof SignerError) throw new DomainError('signer-error', `the signer cannot sign now: ${err.message}`);
  throw err;
}

/**
 * Opens a CA's key in the signer (software: decrypts its file under the key-encryption key;
 * PKCS#11: finds its objects on the token) and checks it is the key the CA's certificate names.
 * DomainError 'signer-error' otherwise. Opened keys stay cached in the signer, so repeating it is cheap.
 */
export async function assertCaKeyOpens(deps: Pick<AuthorityDeps, 'signer'>, ca: Pick<CaRecord, 'id' | 'keyRef' | 'spkiDer'>): Promise<void> {
  let spki: Uint8Array;
  try {
    spki = await deps.signer.publicKey(ca.keyRef);
  } catch (err) {
    if (!(err instanceof SignerError)) throw err;
    throw new DomainError('signer-error', `the key of CA ${ca.id} does not open: ${err.message}`, { caId: ca.id });
  }
  if (!Buffer.from(spki).equals(Buffer.from(ca.spkiDer))) {
    throw new DomainError('signer-error', `the key of CA ${ca.id} does not open: key ${ca.keyRef} is not the CA's key (its public key differs)`, { caId: ca.id });
  }
}

/** Lowercase hex SHA-256. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
