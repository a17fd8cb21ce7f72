import { createHash } from 'node:crypto';
import { assembleSigned, signatureAlgorithmFor } from '@anchorage/pki';
import type { KeyType } from '@anchorage/contracts';
import type { AuditInput } from '@anchorage/db';
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
  const alg = signatureAlgorithmFor(ca.keyType);
  const signature = await deps.signer.signTbs(ca.keyRef, tbs, alg, signatureAudit(append, deps.clock, actor), meta);
  return assembleSigned(tbs, alg, signature);
}

/** Lowercase hex SHA-256. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
