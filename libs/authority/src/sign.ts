import { createHash } from 'node:crypto';
import { assembleSigned, signatureAlgorithmFor } from '@anchorage/pki';
import type { KeyType } from '@anchorage/contracts';
import type { AuditInput } from '@anchorage/db';
import type { SignatureAudit } from '@anchorage/signer';
import { signatureAudit } from './audit';
import type { Actor, AuthorityDeps } from './deps';

/** Signs a fully decided TBS with a CA key, auditing before and after, and returns the signed DER. */
export async function signWithCa(
  deps: AuthorityDeps,
  ca: { keyRef: string; keyType: KeyType },
  tbs: Uint8Array,
  meta: { purpose: 'certificate' | 'crl' | 'csr'; subject: string; entryCount?: number },
  actor: Actor,
  append: (e: AuditInput) => Promise<unknown> = (e) => deps.db.appendAudit(e),
): Promise<Uint8Array> {
  return signWithCaAudit(deps, ca, tbs, meta, signatureAudit(append, deps.clock, actor));
}

/** Signs a fully decided TBS with a CA key under a caller-supplied signature audit; returns the signed DER. */
export async function signWithCaAudit(
  deps: AuthorityDeps,
  ca: { keyRef: string; keyType: KeyType },
  tbs: Uint8Array,
  meta: { purpose: 'certificate' | 'crl' | 'csr'; subject: string; entryCount?: number },
  audit: SignatureAudit,
): Promise<Uint8Array> {
  const alg = signatureAlgorithmFor(ca.keyType);
  const signature = await deps.signer.signTbs(ca.keyRef, tbs, alg, audit, meta);
  return assembleSigned(tbs, alg, signature);
}

/** Lowercase hex SHA-256. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
