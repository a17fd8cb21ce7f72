// Revoking a certification: one conditional UPDATE with its audit event; the status endpoint answers
// {"valid": false} for it from then on (at once on this instance, on the others through the
// notification). A revocation is final: a new certification is recorded instead.
import type { CertificationRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError, notFound } from '../errors';

/** What to revoke, and why (words, recorded and audited). */
export interface RevokeCertificationInput {
  certificationId: string;
  reason: string;
}

/** Revokes an active certification; already-revoked when it is revoked. */
export async function revokeCertification(
  deps: Pick<AuthorityDeps, 'db' | 'clock' | 'repository'>, input: RevokeCertificationInput, actor: Actor,
): Promise<CertificationRecord> {
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason || reason.length > 1000) {
    throw new DomainError('validation', 'reason is required (1 to 1000 characters)', { errors: [{ field: 'reason', message: 'is required' }] });
  }
  const held = await deps.db.certifications.find(input.certificationId);
  if (!held) throw notFound('certification', input.certificationId);
  if (held.status === 'revoked') throw new DomainError('already-revoked', `certification ${held.id} was revoked at ${held.revokedAt!.toISOString()}`);
  const at = deps.clock.now();
  const revoked = await deps.db.transaction((tx) => tx.certifications.revoke(held.id, { at, reason, by: actor.id }, {
    at, actor: actor.id, action: 'certification.revoked', subjectType: 'certification', subjectId: held.id,
    data: { communityId: held.communityId, jti: held.jti, sub: held.sub, reason },
  }));
  if (!revoked) throw new DomainError('already-revoked', `certification ${held.id} was revoked meanwhile`);
  deps.repository.communityChanged(held.communityId, { certifications: true });
  return revoked;
}
