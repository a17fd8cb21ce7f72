// The expiry scan (issue: workers): daily, and when a worker starts. One transaction marks the
// certificates past notAfter expired, records the notices due (libs/db notice-store.ts: once per
// certificate and threshold, whoever scans), and writes each notice's delivery job to the outbox.
import type { ExpiryScanOutcome } from '@anchorage/db';
import { NOTICE_DELIVER, outboxEntry } from '@anchorage/jobs';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { EXTERNAL_KEY_PREFIX } from '../external-ca';

/** Days before notAfter at which member admins are told (default 30, 14, 7, 1). */
export const DEFAULT_NOTICE_DAYS = [30, 14, 7, 1];
/** Days before a CA's notAfter at which its operators are told. */
export const DEFAULT_CA_NOTICE_DAYS = [180, 90, 30, 7];

function thresholds(days: number[], what: string): number[] {
  const t = [...new Set(days)].sort((a, b) => a - b);
  if (t.length === 0 || t.some((d) => !Number.isInteger(d) || d < 1 || d > 3650)) throw new DomainError('validation', `${what} must be whole days between 1 and 3650`);
  return t;
}

/** Scans for expired certificates and notices due (see the file comment). */
export async function scanExpiry(
  deps: Pick<AuthorityDeps, 'db' | 'clock'>, o: { noticeDays?: number[]; caNoticeDays?: number[] }, actor: Actor,
): Promise<ExpiryScanOutcome> {
  const days = thresholds(o.noticeDays ?? DEFAULT_NOTICE_DAYS, 'notice days');
  const caDays = o.caNoticeDays?.length === 0 ? [] : thresholds(o.caNoticeDays ?? DEFAULT_CA_NOTICE_DAYS, 'CA notice days');
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const out = await tx.notices.scan(now, days, caDays, EXTERNAL_KEY_PREFIX);
    await tx.outbox.enqueueMany(out.notices.map((noticeId) => outboxEntry(NOTICE_DELIVER, { noticeId })));
    if (out.expired.length) {
      await tx.audit.append({ at: now, actor: actor.id, action: 'certificates.expired', subjectType: 'platform', subjectId: 'expiry-scan', data: { count: out.expired.length, certificateIds: out.expired } });
    }
    if (out.notices.length) {
      await tx.audit.append({ at: now, actor: actor.id, action: 'notices.created', subjectType: 'platform', subjectId: 'expiry-scan', data: { count: out.notices.length, noticeIds: out.notices } });
    }
    return out;
  });
}
