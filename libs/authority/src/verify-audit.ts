import { AUDIT_GENESIS, auditHash, type ChainedAuditRecord, type Database } from '@anchorage/db';
import {
  AnchorCheck, auditPublicKey, CheckpointError, publishedCheckpointTexts, readCheckpoint, type CheckpointAnchor, type CheckpointSource,
} from './audit-checkpoint';
import type { AuditProblem } from '@anchorage/contracts';
import { AUDIT_LINK_BOUND_MS } from './audit-sequencer';
import type { AuthorityDeps } from './deps';


/** A signed checkpoint the chain was checked against. */
export interface CheckedCheckpoint {
  source: CheckpointSource;
  seq: string;
  hash: string;
  count: string;
  signedAt: string;
  keyId: string;
}

/** Result of checking the audit hash chain. */
export interface AuditVerification {
  ok: boolean;
  checked: number;
  lastSeq: string | null;
  lastHash: string;
  problem?: AuditProblem;
  /** The signed checkpoints checked; none means deleting the newest events could not have been noticed. */
  checkpoints: CheckedCheckpoint[];
  /** Committed events not linked into the chain yet (not checked), and how many of them for longer than the sequencer's bound. */
  unlinked: { count: number; overdue: number };
}

/** A place in the chain: after the event at chain position `seq` (0: before the first), whose hash is `hash`. */
export interface ChainPosition {
  seq: bigint;
  hash: string;
}

/** Before the first event. */
export const CHAIN_START: ChainPosition = { seq: 0n, hash: AUDIT_GENESIS };

/** What a walk along the chain found: events checked, the last one checked (or the start), the first problem. */
export interface ChainWalk {
  checked: number;
  last: ChainPosition;
  problem?: AuditProblem;
}

/**
 * Recomputes the chain after `start` up to the newest event: an edited row no longer matches its hash,
 * and a deleted row breaks the link to the next row's prevHash. `visit` sees each event that passed,
 * with how many did so far, and may stop the walk with a problem.
 */
export async function walkAuditChain(
  db: Database, start: ChainPosition, pageSize: number, visit?: (e: ChainedAuditRecord, checked: number) => AuditProblem | undefined,
): Promise<ChainWalk> {
  let prev = start.hash;
  let after = start.seq;
  let checked = 0;
  for (;;) {
    const page = await db.audit.readChain(after, pageSize);
    if (page.length === 0) break;
    for (const e of page) {
      if (e.prevHash !== prev) {
        return { checked, last: { seq: after, hash: prev }, problem: { seq: e.chainSeq.toString(), code: 'link-broken', message: 'link broken: an earlier event was deleted or altered' } };
      }
      if (auditHash(e.prevHash, e) !== e.hash) {
        return { checked, last: { seq: after, hash: prev }, problem: { seq: e.chainSeq.toString(), code: 'edited', message: 'event content does not match its hash: the row was edited' } };
      }
      prev = e.hash;
      after = e.chainSeq;
      checked++;
      const problem = visit?.(e, checked);
      if (problem) return { checked, last: { seq: after, hash: prev }, problem };
    }
  }
  return { checked, last: { seq: after, hash: prev } };
}

/**
 * Recomputes the linked audit hash chain from the first event and checks it against signed checkpoints
 * (audit-checkpoint.ts): `checkpoint` (a compact JWS an auditor kept, when given), the newest stored
 * one, and the published ones (held in memory, in the publish directory). Each must verify with the
 * audit key and name an event the log holds, with its hash and the count of events up to it: a log
 * whose newest events were deleted still links up, but no longer reaches a checkpoint.
 */
export async function verifyAuditChain(
  deps: Pick<AuthorityDeps, 'db' | 'signer'> & Partial<Pick<AuthorityDeps, 'repository'>>,
  opts: { checkpoint?: string; pageSize?: number } = {},
): Promise<AuditVerification> {
  let anchors: CheckpointAnchor[];
  try {
    anchors = await checkpointsToCheck(deps, opts.checkpoint);
  } catch (err) {
    if (!(err instanceof CheckpointError)) throw err;
    return { ok: false, checked: 0, lastSeq: null, lastHash: AUDIT_GENESIS, checkpoints: [], unlinked: await unlinked(deps.db), problem: { seq: null, code: err.code, message: err.message } };
  }
  const check = new AnchorCheck(anchors);
  const walk = await walkAuditChain(deps.db, CHAIN_START, opts.pageSize ?? 5000, (e, n) => check.onEvent(e.chainSeq, e.hash, n));
  const waiting = await unlinked(deps.db);
  const unqueued = await deps.db.audit.unqueued();
  const problem = walk.problem ?? check.atEnd(walk.checked ? walk.last.seq : null) ?? (unqueued.count > 0 ? {
    seq: unqueued.oldestSeq!.toString(), code: 'not-linked' as const,
    message: `${unqueued.count} committed event(s) neither linked into the chain nor waiting for the audit sequencer (the oldest: seq ${unqueued.oldestSeq}): rows were removed from its queue`,
  } : undefined) ?? (waiting.overdue > 0 ? {
    seq: null, code: 'not-linked' as const,
    message: `${waiting.overdue} committed event(s) not linked into the chain for over ${AUDIT_LINK_BOUND_MS / 1000} s: is the worker (the audit sequencer) running?`,
  } : undefined);
  return {
    ok: !problem,
    checked: walk.checked,
    lastSeq: walk.checked ? walk.last.seq.toString() : null,
    lastHash: walk.last.hash,
    ...(problem ? { problem } : {}),
    checkpoints: anchors.map((a) => ({ source: a.source, seq: a.seq.toString(), hash: a.hash, count: a.count.toString(), signedAt: a.at.toISOString(), keyId: a.keyId })),
    unlinked: { count: waiting.count, overdue: waiting.overdue },
  };
}

async function unlinked(db: Database): Promise<{ count: number; overdue: number }> {
  const u = await db.audit.unlinked(AUDIT_LINK_BOUND_MS);
  return { count: u.count, overdue: u.overdue };
}

async function checkpointsToCheck(deps: Pick<AuthorityDeps, 'db' | 'signer'> & Partial<Pick<AuthorityDeps, 'repository'>>, supplied?: string): Promise<CheckpointAnchor[]> {
  const stored = await deps.db.audit.checkpoints.latest();
  const texts: { source: CheckpointSource; jws: string }[] = [];
  if (supplied !== undefined) texts.push({ source: 'supplied', jws: supplied.trim() });
  if (stored) texts.push({ source: 'stored', jws: stored.jws });
  if (deps.repository) for (const jws of await publishedCheckpointTexts({ repository: deps.repository })) texts.push({ source: 'published', jws });
  if (texts.length === 0) return [];
  // the key is only opened with something to check: verifying an unanchored log must not create it
  if (!deps.signer.hasAuditKey) throw new CheckpointError('bad-signature', `a ${texts[0].source} checkpoint cannot be checked: no audit key is configured (it needs ANCHORAGE_KEK_FILE)`);
  const key = await auditPublicKey(deps.signer);
  const anchors: CheckpointAnchor[] = [];
  for (const t of texts) {
    if (anchors.some((a) => a.jws === t.jws)) continue;
    try {
      anchors.push({ ...(await readCheckpoint(t.jws, key)), source: t.source });
    } catch (err) {
      if (err instanceof CheckpointError) throw new CheckpointError(err.code, `${t.source} checkpoint: ${err.message}`);
      throw err;
    }
  }
  return anchors;
}
