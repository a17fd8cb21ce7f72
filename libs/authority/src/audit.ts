import type { AuditInput } from '@anchorage/db';
import type { SignatureAudit, SignatureAuditEvent } from '@anchorage/signer';
import type { Clock } from './clock';
import type { Actor } from './deps';

/** Audits each signature before and after (architecture habit 2) through `append`. */
export function signatureAudit(append: (e: AuditInput) => Promise<unknown>, clock: Clock, actor: Actor): SignatureAudit {
  const event = (action: string, e: SignatureAuditEvent): AuditInput => ({
    at: clock.now(),
    actor: actor.id,
    action,
    subjectType: e.purpose,
    subjectId: e.subject,
    data: { keyRef: e.keyRef, tbsSha256: e.tbsSha256, entryCount: e.entryCount, signatureSha256: e.signatureSha256 },
  });
  return {
    before: async (e) => void (await append(event('signature.before', e))),
    after: async (e) => void (await append(event('signature.after', e))),
  };
}
