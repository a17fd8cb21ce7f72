import {
  auditPublicKey, CheckpointError, describeCheckpoint, publishAuditCheckpoint, publishedCheckpointTexts, readCheckpoint, signCheckpoint,
  type AuditPublicKey, type CheckpointAnchor,
} from './audit-checkpoint';
import { linkAuditChain } from './audit-sequencer';
import type { AuthorityDeps } from './deps';
import { CHAIN_START, walkAuditChain, type ChainPosition } from './verify-audit';

/** What one checkpoint run did. */
export interface AuditCheckpointOutcome {
  /** 'unchanged': the head has not moved since the newest checkpoint; 'too-few-events': fewer than asked for. */
  action: 'created' | 'unchanged' | 'empty' | 'too-few-events';
  /** The newest checkpoint's event and count after the run (decimal), if there is one. */
  seq: string | null;
  count: string | null;
  /** Paths written to the publish directory. */
  written: string[];
}

/**
 * Links the committed audit rows (audit-sequencer.ts), then signs a checkpoint of the chain head and publishes it (the worker's audit-checkpoint job, every
 * few minutes, at start, and once `minEvents` events arrived). Idempotent: when the head has not moved
 * since the newest checkpoint nothing is signed, and that checkpoint is published again only where it is
 * missing. Before signing, the log must still hold the event of the newest checkpoint, stored or
 * published, with its hash, and link up from there to the head; otherwise it throws and signs nothing,
 * so a truncated or rewritten log is never anchored.
 */
export async function createAuditCheckpoint(
  deps: Pick<AuthorityDeps, 'db' | 'signer' | 'clock' | 'urls' | 'repository'>,
  o: { minEvents?: number; pageSize?: number } = {},
): Promise<AuditCheckpointOutcome> {
  const key = await auditPublicKey(deps.signer);
  // link what has committed first, so the checkpoint covers it rather than the sequencer's last round
  await linkAuditChain(deps);
  const anchor = await newestCheckpoint(deps, key);
  const head = await deps.db.audit.checkpoints.head();
  const outcome = (action: AuditCheckpointOutcome['action'], written: string[] = []): AuditCheckpointOutcome => ({
    action, seq: anchor?.seq.toString() ?? null, count: anchor?.count.toString() ?? null, written,
  });
  if (anchor && (!head || head.seq < anchor.seq)) {
    throw new Error(`${describeCheckpoint(anchor)} names event ${anchor.seq}, but the log ends at ${head ? `event ${head.seq}` : 'no event'}: the newest events were deleted; no checkpoint signed`);
  }
  if (!head) return outcome('empty');
  let start: ChainPosition & { count: bigint } = { ...CHAIN_START, count: 0n };
  if (anchor) {
    const [event] = await deps.db.audit.readChain(anchor.seq - 1n, 1);
    if (event?.chainSeq !== anchor.seq || event.hash !== anchor.hash) {
      throw new Error(`${describeCheckpoint(anchor)} names event ${anchor.seq} with hash ${anchor.hash}, but the log ${event?.chainSeq === anchor.seq ? `has hash ${event.hash} there` : 'no longer holds it'}; no checkpoint signed`);
    }
    if (head.seq === anchor.seq) return outcome('unchanged', await publishAuditCheckpoint(deps, anchor, key));
    start = { seq: anchor.seq, hash: anchor.hash, count: anchor.count };
  }
  if (head.seq - start.seq < BigInt(Math.max(1, o.minEvents ?? 1))) return outcome('too-few-events');
  const walk = await walkAuditChain(deps.db, start, o.pageSize ?? 5000);
  if (walk.problem) throw new Error(`audit chain broken at event ${walk.problem.seq}: ${walk.problem.message}; no checkpoint signed`);
  if (walk.checked === 0) return outcome('unchanged'); // the head read above is gone: the next run finds out why
  const claims = { seq: walk.last.seq, hash: walk.last.hash, count: start.count + BigInt(walk.checked), at: deps.clock.now(), platform: deps.urls.base };
  const jws = await signCheckpoint(deps.signer, key, claims);
  // another worker may have stored a checkpoint of the same event first: that one is the checkpoint
  const { checkpoint, created } = await deps.db.audit.checkpoints.record({ seq: claims.seq, eventHash: claims.hash, eventCount: claims.count, signedAt: claims.at, keyId: key.keyId, jws });
  const stored = await readCheckpoint(checkpoint.jws, key);
  const written = await publishAuditCheckpoint(deps, stored, key);
  return { action: created ? 'created' : 'unchanged', seq: stored.seq.toString(), count: stored.count.toString(), written };
}

/** The newest of the stored and the published checkpoints (a superuser can delete rows, not the published copy); a bad one throws. */
async function newestCheckpoint(deps: Pick<AuthorityDeps, 'db' | 'repository'>, key: AuditPublicKey): Promise<CheckpointAnchor | null> {
  const stored = await deps.db.audit.checkpoints.latest();
  const texts = [...(stored ? [{ source: 'stored' as const, jws: stored.jws }] : []), ...(await publishedCheckpointTexts(deps)).map((jws) => ({ source: 'published' as const, jws }))];
  let newest: CheckpointAnchor | null = null;
  for (const t of texts) {
    let cp: CheckpointAnchor;
    try {
      cp = { ...(await readCheckpoint(t.jws, key)), source: t.source };
    } catch (err) {
      if (err instanceof CheckpointError) throw new Error(`${t.source} checkpoint: ${err.message}; no checkpoint signed`);
      throw err;
    }
    if (!newest || cp.seq > newest.seq) newest = cp;
  }
  return newest;
}
