// Two-factor recovery codes: ten single-use codes, each usable once in place of a TOTP code at sign-in
// (a lost or broken phone), shown once when they are made. Each has 80 random bits (16 base32
// characters, written in groups of four), so a SHA-256 bound to the user id is enough at rest: nobody
// can search 2^80 codes per user, and the hash of one user's code is useless for another.
// Regenerating replaces them all; using or regenerating is audited.
import { createHash, randomBytes } from 'node:crypto';
import type { RecoveryCodesView, RecoveryCodeStatusView } from '@anchorage/contracts';
import type { Database } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { base32Encode } from './totp';

/** How many codes a user gets each time. */
export const RECOVERY_CODE_COUNT = 10;
const CODE_CHARS = 16;

type Deps = Pick<AuthorityDeps, 'db' | 'clock'>;

/** The code as typed, in its canonical form (lowercase, no spaces or dashes), or null if it cannot be one. */
export function canonicalRecoveryCode(code: string): string | null {
  const c = code.replace(/[\s-]/g, '').toLowerCase();
  return /^[a-z2-7]{16}$/.test(c) ? c : null;
}

/** What is stored of a code: SHA-256 over the user id and the canonical code, hex. */
export function hashRecoveryCode(userId: string, canonical: string): string {
  return createHash('sha256').update(`anchorage-recovery-code:${userId}:${canonical}`).digest('hex');
}

/** A new code: 80 random bits as 16 base32 characters, in four groups ("abcd-efgh-ijkl-mnop"). */
function newRecoveryCode(): string {
  return base32Encode(randomBytes(10)).toLowerCase().slice(0, CODE_CHARS).replace(/(.{4})(?=.)/g, '$1-');
}

/** Makes a user's codes, replacing any earlier ones (run it in the caller's transaction); the codes themselves, to show once. */
export async function issueRecoveryCodes(db: Database, userId: string, now: Date): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.identity.replaceRecoveryCodes(userId, codes.map((c) => hashRecoveryCode(userId, canonicalRecoveryCode(c)!)), now);
  return codes;
}

/**
 * Uses `code` as a recovery code of `userId`: true (and the code is spent, atomically, so two
 * simultaneous sign-ins cannot both use it) or false. Audited with the number of codes left.
 */
export async function useRecoveryCode(deps: Deps, user: { id: string; email: string }, code: string): Promise<boolean> {
  const canonical = canonicalRecoveryCode(code);
  if (!canonical) return false;
  const now = deps.clock.now();
  if (!(await deps.db.identity.useRecoveryCode(user.id, hashRecoveryCode(user.id, canonical), now))) return false;
  const remaining = await deps.db.identity.countRecoveryCodes(user.id);
  await deps.db.audit.append({ at: now, actor: `user:${user.email}:${user.id}`, action: 'user.recovery-code-used', subjectType: 'user', subjectId: user.id, data: { remaining } });
  return true;
}

async function signedInWithTotp(deps: Deps, actor: Actor) {
  const user = actor.userId ? await deps.db.identity.findUser(actor.userId) : null;
  if (!user) throw new DomainError('forbidden', 'only a signed-in user has recovery codes (API tokens do not)');
  if (!user.totpEnabledAt) throw new DomainError('conflict', 'turn on two-factor authentication first: recovery codes stand in for its codes');
  return user;
}

/** How many unused codes the signed-in user has left. */
export async function recoveryCodeStatus(deps: Deps, actor: Actor): Promise<RecoveryCodeStatusView> {
  const user = await signedInWithTotp(deps, actor);
  return { remaining: await deps.db.identity.countRecoveryCodes(user.id), total: RECOVERY_CODE_COUNT };
}

/** New codes for the signed-in user; the old ones stop working. Audited as user.recovery-codes-regenerated. */
export async function regenerateRecoveryCodes(deps: Deps, actor: Actor): Promise<RecoveryCodesView> {
  const user = await signedInWithTotp(deps, actor);
  const now = deps.clock.now();
  const recoveryCodes = await deps.db.transaction(async (tx) => {
    const codes = await issueRecoveryCodes(tx, user.id, now);
    await tx.audit.append({ at: now, actor: actor.id, action: 'user.recovery-codes-regenerated', subjectType: 'user', subjectId: user.id, data: { count: codes.length } });
    return codes;
  });
  return { recoveryCodes, remaining: recoveryCodes.length, total: RECOVERY_CODE_COUNT };
}
