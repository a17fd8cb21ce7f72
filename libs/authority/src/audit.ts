import type { AuditInput } from '@anchorage/db';
import type { SignatureAudit, SignatureAuditEvent } from '@anchorage/signer';
import type { Clock } from './clock';
import type { Actor } from './deps';

/** The audit event of one side of a signature (`signature.before` or `signature.after`). */
export function signatureAuditInput(action: 'signature.before' | 'signature.after', e: SignatureAuditEvent, clock: Clock, actor: Actor): AuditInput {
  return {
    at: clock.now(),
    actor: actor.id,
    action,
    subjectType: e.purpose,
    subjectId: e.subject,
    data: { keyRef: e.keyRef, tbsSha256: e.tbsSha256, entryCount: e.entryCount, signatureSha256: e.signatureSha256 },
  };
}

/** Audits each signature before and after (architecture habit 2) through `append`. */
export function signatureAudit(append: (e: AuditInput) => Promise<unknown>, clock: Clock, actor: Actor): SignatureAudit {
  return {
    before: async (e) => void (await append(signatureAuditInput('signature.before', e, clock, actor))),
    after: async (e) => void (await append(signatureAuditInput('signature.after', e, clock, actor))),
  };
}

/** A signature audit whose `before` event was committed already and whose `after` event is held for the caller. */
export interface PrerecordedSignatureAudit extends SignatureAudit {
  /** The `signature.after` event, once the signer has produced it; the caller commits it. */
  afterEvent(): AuditInput;
}

/**
 * For a signature whose `signature.before` event the caller committed (with the intent, in one
 * transaction) before calling the signer: `before` only checks that the signer is about to sign
 * exactly what was recorded (same key, purpose, subject and TBS hash) and refuses otherwise, so
 * nothing unrecorded is signed (habits 1 and 2); `after` keeps the event for the caller to commit
 * with the signed result.
 */
export function prerecordedSignatureAudit(recorded: SignatureAuditEvent, clock: Clock, actor: Actor): PrerecordedSignatureAudit {
  let after: AuditInput | null = null;
  return {
    before: async (e) => {
      if (e.keyRef !== recorded.keyRef || e.tbsSha256 !== recorded.tbsSha256 || e.purpose !== recorded.purpose || e.subject !== recorded.subject || e.entryCount !== recorded.entryCount) {
        throw new Error(`signature of ${e.subject} does not match its recorded signature.before event; refusing to sign`);
      }
    },
    after: async (e) => {
      after = signatureAuditInput('signature.after', e, clock, actor);
    },
    afterEvent: () => {
      if (!after) throw new Error('the signer returned without its signature.after event');
      return after;
    },
  };
}
