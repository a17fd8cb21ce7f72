import { AUDIT_GENESIS, auditHash } from '@anchorage/db';
import type { AuthorityDeps } from './deps';

/** Result of checking the audit hash chain. */
export interface AuditVerification {
  ok: boolean;
  checked: number;
  lastSeq: string | null;
  lastHash: string;
  problem?: { seq: string; message: string };
}

/**
 * Recomputes the audit hash chain from the first event: an edited row no longer matches its
 * hash, and a deleted row breaks the link to the next row's prevHash.
 */
export async function verifyAuditChain(deps: Pick<AuthorityDeps, 'db'>, pageSize = 5000): Promise<AuditVerification> {
  let prev = AUDIT_GENESIS;
  let after = 0n;
  let checked = 0;
  for (;;) {
    const page = await deps.db.readAudit(after, pageSize);
    if (page.length === 0) break;
    for (const e of page) {
      if (e.prevHash !== prev) {
        return { ok: false, checked, lastSeq: after.toString(), lastHash: prev, problem: { seq: e.seq.toString(), message: 'link broken: an earlier event was deleted or altered' } };
      }
      if (auditHash(e.prevHash, e) !== e.hash) {
        return { ok: false, checked, lastSeq: after.toString(), lastHash: prev, problem: { seq: e.seq.toString(), message: 'event content does not match its hash: the row was edited' } };
      }
      prev = e.hash;
      after = e.seq;
      checked++;
    }
  }
  return { ok: true, checked, lastSeq: checked ? after.toString() : null, lastHash: prev };
}
