// Bulk revocation (issue: workers): when an operator suspends an organization, or retires or declares
// compromised an issuing CA, every live certificate it holds is revoked with the reason the cause
// calls for. The use case that changes the status records the bulk revocation and its job in the
// same transaction (transactional outbox), so the revocation is never lost even when Redis is down;
// the worker runs it in batches (libs/db bulk-revocation-store.ts) and regenerates the CRLs, so the
// CRL is complete when the job finishes.
import { BULK_REASONS, RevocationReason, isRevocationReasonName, revocationReasonName, type BulkRevocationView, type RevocationReasonName } from '@anchorage/contracts';
import type { BulkRevocationRecord, BulkRevocationTarget, Database, NewBulkRevocation } from '@anchorage/db';
import { BULK_REVOKE, outboxEntry } from '@anchorage/jobs';
import { encodeCrlEntry } from '@anchorage/pki';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError, notFound } from './errors';
import { generateCrl } from './generate-crl';

/** Certificates revoked per batch transaction: short enough not to hold the audit chain for long. */
export const BULK_BATCH_SIZE = 500;

/** Validates the reason of a bulk revocation (BULK_REASONS); `fallback` when none is given. */
export function bulkReason(reason: unknown, fallback: RevocationReasonName): RevocationReasonName {
  if (reason === undefined || reason === null || reason === '') return fallback;
  if (typeof reason !== 'string' || !isRevocationReasonName(reason) || !BULK_REASONS.includes(reason)) {
    throw new DomainError('validation', `revocationReason must be one of ${BULK_REASONS.join(', ')}`, { errors: [{ field: 'revocationReason', message: `must be one of ${BULK_REASONS.join(', ')}` }] });
  }
  return reason;
}

/**
 * Records a queued bulk revocation and its job, inside the caller's transaction (`tx`), so the
 * status change that causes it and the revocation commit together.
 */
export async function queueBulkRevocation(tx: Database, b: Omit<NewBulkRevocation, 'reason'> & { reason: RevocationReasonName }): Promise<BulkRevocationRecord> {
  const rec = await tx.bulkRevocations.create({ ...b, reason: RevocationReason[b.reason] });
  await tx.outbox.enqueue(outboxEntry(BULK_REVOKE, { bulkRevocationId: rec.id }));
  return rec;
}

/** Progress reported after each batch. */
export interface BulkProgress {
  revoked: number;
  total: number | null;
  batches: number;
}

/** What a run did. */
export interface BulkRunOutcome {
  /** 'already-completed': an earlier run finished it (a redelivered job does nothing). */
  outcome: 'completed' | 'already-completed';
  revokedThisRun: number;
  record: BulkRevocationRecord;
}

/**
 * Runs (or resumes) a bulk revocation: batches until no live certificate is left, then a new CRL of
 * every issuer involved, then completion. Each certificate is revoked by a conditional UPDATE, so a
 * rerun after a crash, or a run racing a single revocation, revokes it once. A certificate on hold
 * keeps the date of its hold (RFC 5280 §5.3.1) and gets the bulk reason.
 */
export async function runBulkRevocation(
  deps: AuthorityDeps, id: string, actor: Actor, opts: { batchSize?: number; onBatch?: (p: BulkProgress) => void | Promise<void> } = {},
): Promise<BulkRunOutcome> {
  const store = deps.db.bulkRevocations;
  const started = await store.start(id, deps.clock.now());
  if (!started) {
    const rec = await store.find(id);
    if (!rec) throw notFound('bulk revocation', id);
    return { outcome: 'already-completed', revokedThisRun: 0, record: rec };
  }
  const reason = revocationReasonName(started.reason);
  let revokedThisRun = 0;
  let batches = started.batches;
  for (;;) {
    const now = deps.clock.now();
    const batch = await store.revokeBatch(started, opts.batchSize ?? BULK_BATCH_SIZE, (targets) => targets.map((t) => decide(t, started, reason, now, actor)));
    if (batch.revoked === 0) break;
    revokedThisRun += batch.revoked;
    batches += 1;
    await opts.onBatch?.({ revoked: started.revoked + revokedThisRun, total: started.total, batches });
  }
  // Every issuer whose certificates this revocation touched (this run or a crashed one) gets a CRL
  // generated after the last batch: it lists all of them.
  const crlNumbers: Record<string, string> = {};
  for (const issuerId of await store.issuersOf(started)) {
    const out = await generateCrl(deps, issuerId, actor);
    crlNumbers[issuerId] = out.crl.crlNumber.toString();
  }
  await store.complete(id, crlNumbers, deps.clock.now());
  return { outcome: 'completed', revokedThisRun, record: (await store.find(id))! };
}

function decide(t: BulkRevocationTarget, b: BulkRevocationRecord, reason: RevocationReasonName, now: Date, actor: Actor) {
  const revokedAt = t.status === 'on-hold' && t.revokedAt ? t.revokedAt : now;
  const serial = Buffer.from(t.serial).toString('hex');
  return {
    id: t.id,
    revokedAt,
    crlEntryDer: encodeCrlEntry(t.serial, revokedAt, b.reason),
    audit: {
      at: now, actor: actor.id, action: 'certificate.revoked', subjectType: 'certificate', subjectId: t.id,
      data: { issuerId: t.issuerId, serial, reason, invalidityDate: null, actorRole: actor.role, bulkRevocationId: b.id, cause: b.cause, requestedBy: b.requestedBy },
    },
  };
}

/** Bulk revocation record to wire view. */
export function bulkRevocationView(b: BulkRevocationRecord): BulkRevocationView {
  return {
    id: b.id, communityId: b.communityId, organizationId: b.organizationId, caId: b.caId, reason: revocationReasonName(b.reason), cause: b.cause,
    status: b.status, total: b.total, revoked: b.revoked, batches: b.batches, crlNumbers: b.crlNumbers, requestedBy: b.requestedBy,
    createdAt: b.createdAt.toISOString(), startedAt: b.startedAt?.toISOString() ?? null, finishedAt: b.finishedAt?.toISOString() ?? null, lastError: b.lastError,
  };
}
