// Signed checkpoints of the audit chain head: the external anchor of the audit log (docs/audit.md).
// The hash chain finds an edited or deleted row, but not the newest rows deleted by someone able to
// bypass the append-only trigger: what is left still links up. A checkpoint names the head (sequence
// number, hash, count of events up to it) at a time, signed with the audit key (libs/signer
// audit-key.ts); the log must contain that event, with that hash, for as long as it exists.
//
// Format: a compact JWS (RFC 7515 §7.1), EdDSA with Ed25519 (RFC 8037), so any JOSE library, or openssl
// over the ASCII `header.payload`, checks it with the published public key alone:
//   header  {"alg":"EdDSA","kid":"<RFC 7638 thumbprint of the audit key>","typ":"anchorage-audit-checkpoint+jws"}
//   payload {"at":"<ISO time>","count":"<events up to seq>","hash":"<hash of event seq>","platform":"<public base URL>","seq":"<seq>","v":1}
// Keys are sorted (canonical JSON) and numbers are decimal strings, so a bigint sequence number keeps
// every digit in any JSON reader.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, compactVerify, exportJWK, type CompactVerifyResult } from 'jose';
import { canonicalJson } from '@anchorage/db';
import { AUDIT_CHECKPOINT_TYP, type SigningService } from '@anchorage/signer';
import type { AuthorityDeps } from './deps';
import type { AuditProblem } from '@anchorage/contracts';

/** What a checkpoint states (its JWS payload). */
export interface CheckpointClaims {
  /** Sequence number of the head event. */
  seq: bigint;
  /** Chain hash of that event. */
  hash: string;
  /** Events in the log up to and including it (sequence numbers have gaps: a rolled-back append uses one). */
  count: bigint;
  /** When the checkpoint was signed. */
  at: Date;
  /** The platform's public base URL, so checkpoints of two platforms are never confused. */
  platform: string;
}

/** A checkpoint whose signature verified with the audit key. */
export interface VerifiedCheckpoint extends CheckpointClaims {
  jws: string;
  keyId: string;
}

/** Where a checkpoint came from: the caller (an auditor's copy), the database, or the published copy. */
export type CheckpointSource = 'supplied' | 'stored' | 'published';

/** A verified checkpoint and where it came from. */
export interface CheckpointAnchor extends VerifiedCheckpoint {
  source: CheckpointSource;
}

/** The audit public key in the forms verification and publication need. */
export interface AuditPublicKey {
  key: KeyObject;
  pem: string;
  /** RFC 7638 JWK thumbprint (SHA-256), the `kid` of every checkpoint it signs. */
  keyId: string;
}

/** A checkpoint that cannot be trusted: its signature does not verify, or it is not a checkpoint. */
export class CheckpointError extends Error {
  constructor(
    readonly code: 'bad-signature' | 'bad-checkpoint',
    message: string,
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/** Path of the newest checkpoint in the publish directory (and under /pki/ over HTTP, public-repository.ts). */
const PUBLISHED_CHECKPOINT_PATH = 'audit/checkpoint.jws';
/** Path of the audit public key in the publish directory (and under /pki/ over HTTP). */
const PUBLISHED_KEY_PATH = 'audit/key.pem';
/** Path of the checkpoint of event `seq` in the publish directory: every checkpoint stays there. */
function publishedCheckpointPath(seq: bigint): string {
  return `audit/checkpoints/${seq}.jws`;
}

/** How long caches may keep the newest checkpoint before asking again: it is replaced whenever the head moves. */
const CHECKPOINT_FRESH_MS = 60_000;

const publicKeys = new WeakMap<SigningService, Promise<AuditPublicKey>>();

/** The audit public key of `signer` (the signer creates the key on first use). */
export function auditPublicKey(signer: SigningService): Promise<AuditPublicKey> {
  let pending = publicKeys.get(signer);
  if (!pending) {
    pending = (async () => {
      const key = createPublicKey({ key: Buffer.from(await signer.auditPublicKey()), format: 'der', type: 'spki' });
      return { key, pem: key.export({ type: 'spki', format: 'pem' }).toString(), keyId: await calculateJwkThumbprint(await exportJWK(key), 'sha256') };
    })();
    publicKeys.set(signer, pending);
    pending.catch(() => publicKeys.delete(signer));
  }
  return pending;
}

/** Signs `claims` with the audit key into a compact JWS (see the file comment). */
export async function signCheckpoint(signer: SigningService, key: AuditPublicKey, claims: CheckpointClaims): Promise<string> {
  const header = canonicalJson({ alg: 'EdDSA', kid: key.keyId, typ: AUDIT_CHECKPOINT_TYP });
  const payload = canonicalJson({
    at: claims.at.toISOString(), count: claims.count.toString(), hash: claims.hash, platform: claims.platform, seq: claims.seq.toString(), v: 1,
  });
  const input = `${Buffer.from(header).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  const signature = await signer.signAuditCheckpoint(Buffer.from(input, 'ascii'));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

const DECIMAL = /^[1-9]\d{0,18}$/;

/** Verifies `jws` with the audit key and reads its claims; throws CheckpointError when it cannot be trusted. */
export async function readCheckpoint(jws: string, key: AuditPublicKey): Promise<VerifiedCheckpoint> {
  let verified: CompactVerifyResult;
  try {
    verified = await compactVerify(jws, key.key, { algorithms: ['EdDSA'] });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
      const kid = kidOf(jws);
      throw new CheckpointError('bad-signature', kid && kid !== key.keyId
        ? `the checkpoint is signed by key ${kid}, not by this platform's audit key ${key.keyId}`
        : `the checkpoint's signature does not verify with the audit key ${key.keyId}: it was altered or forged`);
    }
    throw new CheckpointError('bad-checkpoint', `not a signed audit checkpoint: ${(err as Error).message}`);
  }
  if (verified.protectedHeader.typ !== AUDIT_CHECKPOINT_TYP) throw new CheckpointError('bad-checkpoint', `not an audit checkpoint (typ ${String(verified.protectedHeader.typ)})`);
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(Buffer.from(verified.payload).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new CheckpointError('bad-checkpoint', 'the checkpoint payload is not JSON');
  }
  const at = typeof p.at === 'string' ? new Date(p.at) : new Date(NaN);
  if (p.v !== 1 || typeof p.seq !== 'string' || !DECIMAL.test(p.seq) || typeof p.count !== 'string' || !DECIMAL.test(p.count)
    || typeof p.hash !== 'string' || !/^[0-9a-f]{64}$/.test(p.hash) || typeof p.platform !== 'string' || Number.isNaN(at.getTime())) {
    throw new CheckpointError('bad-checkpoint', 'the checkpoint payload lacks seq, count, hash, at or platform, or has them malformed');
  }
  return { seq: BigInt(p.seq), count: BigInt(p.count), hash: p.hash, at, platform: p.platform, jws, keyId: key.keyId };
}

function kidOf(jws: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid.slice(0, 100) : undefined;
  } catch {
    return undefined;
  }
}

/** "stored checkpoint 12 signed at …": how messages name a checkpoint. */
export function describeCheckpoint(cp: CheckpointAnchor): string {
  return `${cp.source} checkpoint ${cp.seq} signed at ${cp.at.toISOString()}`;
}

/**
 * Checks the events of a walk along the whole chain against checkpoints: each must name an event of the
 * log, with the hash the log has, and the number of events up to it. Fed every event in order (onEvent),
 * then told where the log ends (atEnd).
 */
export class AnchorCheck {
  private readonly pending: CheckpointAnchor[];
  private previousSeq: bigint | null = null;

  constructor(anchors: CheckpointAnchor[]) {
    this.pending = [...anchors].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  }

  /** Checks event `seq` with chain hash `hash`, the `count`-th event of the log; the first problem found, if any. */
  onEvent(seq: bigint, hash: string, count: number): AuditProblem | undefined {
    try {
      for (;;) {
        const cp = this.pending[0];
        if (!cp || cp.seq > seq) return undefined;
        if (cp.seq < seq) {
          return { seq: cp.seq.toString(), code: 'missing-event', message: `${describeCheckpoint(cp)} names event ${cp.seq}, which is not in the log (it goes from ${this.previousSeq ?? 'its start'} to ${seq}): events were deleted and the log went on` };
        }
        if (cp.hash !== hash) {
          return { seq: cp.seq.toString(), code: 'hash-mismatch', message: `${describeCheckpoint(cp)} names event ${cp.seq} with hash ${cp.hash}, but the log's event ${seq} has hash ${hash}: the log was rewritten from there` };
        }
        if (cp.count !== BigInt(count)) {
          return { seq: cp.seq.toString(), code: 'count-mismatch', message: `${describeCheckpoint(cp)} counts ${cp.count} events up to event ${cp.seq}, but the log has ${count}` };
        }
        this.pending.shift();
      }
    } finally {
      this.previousSeq = seq;
    }
  }

  /** After the last event (`lastSeq`, null for an empty log): a checkpoint of an event beyond it means truncation. */
  atEnd(lastSeq: bigint | null): AuditProblem | undefined {
    const cp = this.pending[0];
    if (!cp) return undefined;
    return {
      seq: cp.seq.toString(), code: 'truncated',
      message: `${describeCheckpoint(cp)} names event ${cp.seq}, but the log ends at ${lastSeq === null ? 'no event (it is empty)' : `event ${lastSeq}`}: the newest events were deleted`,
    };
  }
}

/** The published checkpoints: the one the repository holds in memory and the one in the publish directory (unverified JWS texts, without repeats). */
export async function publishedCheckpointTexts(deps: Pick<AuthorityDeps, 'repository'>): Promise<string[]> {
  const held = deps.repository.auditCheckpoint()?.body ?? null;
  const file = await deps.repository.readFromDirectory(PUBLISHED_CHECKPOINT_PATH);
  const texts = [held, file].map((b) => b?.toString('ascii').trim() ?? '').filter((t) => t !== '');
  return [...new Set(texts)];
}

/**
 * Publishes a verified checkpoint: into memory (served at /pki/audit/checkpoint.jws), and to the publish
 * directory as `audit/checkpoints/<seq>.jws` (kept for good), `audit/key.pem` and `audit/checkpoint.jws`,
 * each written atomically and only when it differs. The newest file is replaced under a lock shared by
 * every process and only by a later checkpoint, so it never goes back. Returns the paths written.
 */
export async function publishAuditCheckpoint(deps: Pick<AuthorityDeps, 'db' | 'repository' | 'clock'>, cp: VerifiedCheckpoint, key: AuditPublicKey): Promise<string[]> {
  const repo = deps.repository;
  repo.acceptAuditKey(key.pem);
  repo.acceptAuditCheckpoint(cp.seq, cp.jws, new Date(deps.clock.now().getTime() + CHECKPOINT_FRESH_MS));
  const written: string[] = [];
  const write = async (path: string, body: Buffer) => {
    if ((await repo.readFromDirectory(path))?.equals(body)) return;
    if (await repo.writeToDirectoryPath(path, body)) written.push(path);
  };
  const jws = Buffer.from(cp.jws, 'ascii');
  await write(publishedCheckpointPath(cp.seq), jws);
  await write(PUBLISHED_KEY_PATH, Buffer.from(key.pem));
  await deps.db.audit.checkpoints.withPublishLock(async () => {
    // one that does not verify throws: an altered external anchor is for a person to look at, not to overwrite
    const current = await repo.readFromDirectory(PUBLISHED_CHECKPOINT_PATH);
    if (current && (await readCheckpoint(current.toString('ascii').trim(), key)).seq >= cp.seq) return;
    await write(PUBLISHED_CHECKPOINT_PATH, jws);
  });
  return written;
}

/**
 * Takes the newest stored checkpoint into memory, after verifying it (what each API instance serves at
 * /pki/audit/checkpoint.jws); with no audit key configured there is nothing to serve. Returns it, if any.
 */
export async function loadAuditCheckpoint(deps: Pick<AuthorityDeps, 'db' | 'signer' | 'repository' | 'clock'>): Promise<VerifiedCheckpoint | null> {
  if (!deps.signer.hasAuditKey) return null;
  const key = await auditPublicKey(deps.signer);
  deps.repository.acceptAuditKey(key.pem);
  const latest = await deps.db.audit.checkpoints.latest();
  if (!latest) return null;
  const cp = await readCheckpoint(latest.jws, key);
  deps.repository.acceptAuditCheckpoint(cp.seq, cp.jws, new Date(deps.clock.now().getTime() + CHECKPOINT_FRESH_MS));
  return cp;
}
