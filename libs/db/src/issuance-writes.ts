// The issuance path's two writes, grouped while others are being written (group-commit.ts): intents
// (issuance-batch.ts recordIntentsWithAudit, or recordIntentWithAudit for one) and completions.
// One per Database outside transactions; a store inside a transaction writes on its own.
import { GroupCommit, type GroupCommitLimits } from './group-commit';
import { completeManyWithAudit, recordIntentsWithAudit, type CompletionItem, type IntentItem } from './issuance-batch';
import { completeWithAudit, recordIntentWithAudit } from './issuance-store';
import type { SqlRunner } from './pg-transaction';
import type { CertificateRecord } from './records';

/** Grouped intents and completions on one pool. */
export class IssuanceWrites {
  readonly intents: GroupCommit<IntentItem, CertificateRecord>;
  readonly completions: GroupCommit<CompletionItem, CertificateRecord>;

  constructor(sql: SqlRunner, limits: GroupCommitLimits = {}) {
    this.intents = new GroupCommit({
      one: (it) => recordIntentWithAudit(sql, it.c, it.communityId, it.events),
      many: (items) => recordIntentsWithAudit(sql, items),
    }, limits);
    this.completions = new GroupCommit({
      one: (it) => completeWithAudit(sql, it.pending, it.der, it.issuedAt, it.events),
      many: (items) => completeManyWithAudit(sql, items),
    }, limits);
  }
}
