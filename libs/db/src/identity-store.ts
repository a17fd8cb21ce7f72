// Users and sign-in sessions. Counters and one-time markers (failed sign-ins, the last TOTP step,
// a refresh token's rotation) are changed by single conditional UPDATEs, so two requests racing
// (two API instances, a replayed code) cannot both pass.
import type { PrismaLike } from './connection';
import { DbConflictError, isUniqueViolation } from './errors';
import type { ListOrder, NewUser, SessionRecord, UserRecord, UserRole } from './records';

type UserRow = {
  id: string; email: string; displayName: string; role: string; organizationId: string | null; allCommunities: boolean; passwordHash: string;
  totpSecretSealed: string | null; totpEnabledAt: Date | null; failedLogins: number; lockedUntil: Date | null;
  disabledAt: Date | null; createdAt: Date; communities: { communityId: string }[];
};

const withCommunities = { communities: { select: { communityId: true } } } as const;

function toUser(r: UserRow): UserRecord {
  return {
    id: r.id, email: r.email, displayName: r.displayName, role: r.role as UserRole, organizationId: r.organizationId, allCommunities: r.allCommunities,
    communityIds: r.communities.map((c) => c.communityId).sort(), passwordHash: r.passwordHash, totpSecretSealed: r.totpSecretSealed,
    totpEnabledAt: r.totpEnabledAt, failedLogins: r.failedLogins, lockedUntil: r.lockedUntil, disabledAt: r.disabledAt, createdAt: r.createdAt,
  };
}

const sessionSelect = { id: true, userId: true, familyId: true, expiresAt: true, familyExpiresAt: true, rotatedAt: true, revokedAt: true } as const;

/** What presenting a refresh token did. */
export type RotateOutcome =
  | { kind: 'rotated'; user: UserRecord; session: SessionRecord }
  | { kind: 'unknown' | 'expired' }
  /** The token was already rotated away or revoked: its whole family is now revoked. */
  | { kind: 'reused'; familyId: string };

/** Users, operator communities and sessions (see the file comment). */
export class IdentityStore {
  constructor(private readonly db: PrismaLike) {}

  /** Stores a user; a taken e-mail address is a DbConflictError 'user_email'. */
  async createUser(u: NewUser): Promise<UserRecord> {
    try {
      const r = await this.db.user.create({
        data: {
          id: u.id, email: u.email, displayName: u.displayName, role: u.role, organizationId: u.organizationId, allCommunities: u.allCommunities,
          passwordHash: u.passwordHash,
          totpSecretSealed: u.totpSecretSealed, totpEnabledAt: u.totpEnabledAt,
          communities: { create: u.communityIds.map((communityId) => ({ communityId })) },
        },
        include: withCommunities,
      });
      return toUser(r);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DbConflictError('user_email', `a user with e-mail ${u.email} already exists`, { email: u.email });
      throw err;
    }
  }

  /** The user with this (lowercased) e-mail address. */
  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const r = await this.db.user.findUnique({ where: { email }, include: withCommunities });
    return r ? toUser(r) : null;
  }

  /** The user with this id. */
  async findUser(id: string): Promise<UserRecord | null> {
    const r = await this.db.user.findUnique({ where: { id }, include: withCommunities });
    return r ? toUser(r) : null;
  }

  /** A page of users by e-mail (filter: organizationId, role; communityIds: member admins of those communities only). */
  async listUsers(filter: { organizationId?: string; role?: string; communityIds?: string[] }, skip: number, take: number, order?: ListOrder): Promise<{ items: UserRecord[]; total: number }> {
    const where = {
      organizationId: filter.organizationId, role: filter.role,
      ...(filter.communityIds ? { organization: { communityId: { in: filter.communityIds } } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.db.user.findMany({ where, orderBy: (order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { email: 'asc' as const }), skip, take, include: withCommunities }),
      this.db.user.count({ where }),
    ]);
    return { items: rows.map(toUser), total };
  }

  /**
   * Counts a failed sign-in; the `lockAfter`-th failure in a row locks the account until `lockUntil`.
   * Returns the failures in a row so far.
   */
  async recordSignInFailure(userId: string, lockAfter: number, lockUntil: Date): Promise<number> {
    const rows = await this.db.$queryRawUnsafe<{ failed_logins: number }[]>(
      `UPDATE app_user SET failed_logins = failed_logins + 1,
         locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
       WHERE id = $1::uuid RETURNING failed_logins`,
      userId, lockAfter, lockUntil,
    );
    return rows[0]?.failed_logins ?? 0;
  }

  /** Clears the failure count and any lock after a successful sign-in. */
  async recordSignInSuccess(userId: string): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { failedLogins: 0, lockedUntil: null } });
  }

  /** Marks TOTP step `step` used; false if it (or a later one) already was: the code is a replay. */
  async useTotpStep(userId: string, step: number): Promise<boolean> {
    const n = await this.db.$executeRawUnsafe(
      'UPDATE app_user SET totp_last_step = $2 WHERE id = $1::uuid AND (totp_last_step IS NULL OR totp_last_step < $2)',
      userId, BigInt(step),
    );
    return n === 1;
  }

  /** Stores a sealed TOTP secret; `enabledAt` null keeps it pending until a code confirms it; `lastStep` is the step already used. */
  async setTotp(userId: string, sealed: string | null, enabledAt: Date | null, lastStep: number | null = null): Promise<void> {
    await this.db.user.update({
      where: { id: userId }, data: { totpSecretSealed: sealed, totpEnabledAt: enabledAt, totpLastStep: lastStep === null ? null : BigInt(lastStep) },
    });
  }

  /** Stores the first refresh token of a sign-in (a new family). */
  async createSession(s: { id: string; userId: string; familyId: string; refreshHash: string; expiresAt: Date; familyExpiresAt: Date }): Promise<void> {
    await this.db.userSession.create({ data: s });
  }

  /**
   * Presents refresh token `refreshHash` at `now`: if it is live, marks it rotated and stores `next`
   * (same family, same hard end). A token already rotated or revoked revokes its whole family.
   * Run inside a transaction, so the rotation and the new token commit together.
   */
  async rotateSession(refreshHash: string, now: Date, next: { id: string; refreshHash: string; expiresAt: Date }): Promise<RotateOutcome> {
    // claim the token: only one concurrent presenter gets the row back
    const claimed = await this.db.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE user_session SET rotated_at = $2 WHERE refresh_hash = $1 AND rotated_at IS NULL AND revoked_at IS NULL
         AND expires_at > $2 AND family_expires_at > $2 RETURNING id`,
      refreshHash, now,
    );
    const s = await this.db.userSession.findUnique({ where: { refreshHash }, select: sessionSelect });
    if (!s) return { kind: 'unknown' };
    if (claimed.length === 0) {
      if (s.rotatedAt || s.revokedAt) {
        await this.revokeFamily(s.familyId, now);
        return { kind: 'reused', familyId: s.familyId };
      }
      return { kind: 'expired' };
    }
    const user = await this.findUser(s.userId);
    if (!user) return { kind: 'unknown' };
    const expiresAt = next.expiresAt < s.familyExpiresAt ? next.expiresAt : s.familyExpiresAt;
    await this.db.userSession.create({
      data: { id: next.id, userId: s.userId, familyId: s.familyId, refreshHash: next.refreshHash, expiresAt, familyExpiresAt: s.familyExpiresAt },
    });
    return { kind: 'rotated', user, session: { ...s, id: next.id, expiresAt, rotatedAt: null, revokedAt: null } };
  }

  /** The family of refresh token `refreshHash`, or null. */
  async sessionByRefreshHash(refreshHash: string): Promise<SessionRecord | null> {
    return this.db.userSession.findUnique({ where: { refreshHash }, select: sessionSelect });
  }

  /** Ends every refresh token of a sign-in. */
  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.db.userSession.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
  }

  /**
   * Whether the sign-in family `familyId` is still live at `now` (not signed out, not past its hard
   * end) for a user who is not disabled: checked on every request that carries an access token, so
   * signing out takes effect at once, not when the token expires.
   */
  async isFamilyLive(familyId: string, userId: string, now: Date): Promise<boolean> {
    const rows = await this.db.$queryRawUnsafe<{ live: boolean }[]>(
      `SELECT EXISTS (
         SELECT 1 FROM user_session s JOIN app_user u ON u.id = s.user_id
         WHERE s.family_id = $1::uuid AND s.user_id = $2::uuid AND s.revoked_at IS NULL AND s.family_expires_at > $3 AND u.disabled_at IS NULL
       ) AS live`,
      familyId, userId, now,
    );
    return rows[0]?.live === true;
  }

  /** Disables (`at`) or re-enables (null) an account; disabling also ends every session of it. */
  async setDisabled(userId: string, at: Date | null): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { disabledAt: at } });
    if (at) await this.db.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  }

  /** Lifts a lock after failed sign-ins. */
  async unlock(userId: string): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { failedLogins: 0, lockedUntil: null } });
  }
}
