// Users and sign-in sessions. Counters and one-time markers (failed sign-ins, the last TOTP step,
// a refresh token's rotation) are changed by single conditional UPDATEs, so two requests racing
// (two API instances, a replayed code) cannot both pass.
import { DbConflictError, isUniqueViolation } from './errors';
import type { ListOrder, NewUser, SessionRecord, UserRecord, UserRole } from './records';
import type { StoreScope } from './scope';

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

/** A user row as findUserByEmail's SQL returns it. */
type UserSqlRow = {
  id: string; email: string; display_name: string; role: string; organization_id: string | null; all_communities: boolean; password_hash: string;
  totp_secret_sealed: string | null; totp_enabled_at: Date | null; failed_logins: number; locked_until: Date | null; disabled_at: Date | null;
  created_at: Date; community_ids: string[];
};

function fromSql(r: UserSqlRow): UserRecord {
  return {
    id: r.id, email: r.email, displayName: r.display_name, role: r.role as UserRole, organizationId: r.organization_id, allCommunities: r.all_communities,
    communityIds: r.community_ids, passwordHash: r.password_hash, totpSecretSealed: r.totp_secret_sealed, totpEnabledAt: r.totp_enabled_at,
    failedLogins: r.failed_logins, lockedUntil: r.locked_until, disabledAt: r.disabled_at, createdAt: r.created_at,
  };
}

/** A registered passkey (WebAuthn credential). */
export interface PasskeyRecord {
  credentialId: string; userId: string; name: string; publicKeySpki: string; algorithm: number; signCount: number; createdAt: Date; lastUsedAt: Date | null;
}
type PasskeyRow = {
  credential_id: string; user_id: string; name: string; public_key_spki: string; algorithm: number; sign_count: bigint; created_at: Date; last_used_at: Date | null;
};
const PASSKEY_SELECT = 'SELECT credential_id, user_id::text AS user_id, name, public_key_spki, algorithm, sign_count, created_at, last_used_at FROM passkey';
const toPasskey = (r: PasskeyRow): PasskeyRecord => ({
  credentialId: r.credential_id, userId: r.user_id, name: r.name, publicKeySpki: r.public_key_spki, algorithm: r.algorithm,
  signCount: Number(r.sign_count), createdAt: r.created_at, lastUsedAt: r.last_used_at,
});

/** An id no account has: the sign-in count statement for an unknown address matches no row. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

const sessionSelect = { id: true, userId: true, familyId: true, expiresAt: true, familyExpiresAt: true, rotatedAt: true, revokedAt: true } as const;

/** What presenting a refresh token did. */
export type RotateOutcome =
  | { kind: 'rotated'; user: UserRecord; session: SessionRecord }
  | { kind: 'unknown' | 'expired' }
  /** The token was already rotated away or revoked: its whole family is now revoked. */
  | { kind: 'reused'; familyId: string };

/** Users, operator communities and sessions (see the file comment). */
export class IdentityStore {
  constructor(private readonly s: StoreScope) {}

  /** Stores a user; a taken e-mail address is a DbConflictError 'user_email'. */
  async createUser(u: NewUser): Promise<UserRecord> {
    try {
      const r = await this.s.prisma.user.create({
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

  /**
   * The user with this (lowercased) e-mail address. One statement whether or not the address is
   * known (Prisma's include would add a second query only for a hit), so sign-in costs the same.
   */
  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const rows = await this.s.prisma.$queryRawUnsafe<UserSqlRow[]>(
      `SELECT u.id::text AS id, u.email, u.display_name, u.role, u.organization_id::text AS organization_id, u.all_communities, u.password_hash,
         u.totp_secret_sealed, u.totp_enabled_at, u.failed_logins, u.locked_until, u.disabled_at, u.created_at,
         ARRAY(SELECT c.community_id::text FROM operator_community c WHERE c.user_id = u.id ORDER BY 1) AS community_ids
       FROM app_user u WHERE u.email = $1`,
      email,
    );
    return rows[0] ? fromSql(rows[0]) : null;
  }

  /** The user with this id. */
  async findUser(id: string): Promise<UserRecord | null> {
    const r = await this.s.prisma.user.findUnique({ where: { id }, include: withCommunities });
    return r ? toUser(r) : null;
  }

  /** A page of users, newest first unless `order` says otherwise (filter: organizationId, role; communityIds: member admins of those communities only). */
  async listUsers(filter: { organizationId?: string; role?: string; communityIds?: string[] }, skip: number, take: number, order?: ListOrder): Promise<{ items: UserRecord[]; total: number }> {
    const where = {
      organizationId: filter.organizationId, role: filter.role,
      ...(filter.communityIds ? { organization: { communityId: { in: filter.communityIds } } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.s.prisma.user.findMany({ where, orderBy: (order ? [{ [order.field]: order.direction }, { id: 'asc' as const }] : { createdAt: 'desc' as const }), skip, take, include: withCommunities }),
      this.s.prisma.user.count({ where }),
    ]);
    return { items: rows.map(toUser), total };
  }

  /**
   * Takes a place in the account's sign-in count before its password is checked, so simultaneous
   * attempts cannot all pass a "not locked" read: only `lockAfter` places exist between successes,
   * and the one that takes the last locks the account until `lockUntil`. After a lock has run out,
   * each further attempt takes the next place and locks again. Returns the place taken, or null:
   * the account is locked or disabled, or `userId` is null (no account; the same statement then runs
   * against no row, so an unknown address costs the same round trip).
   */
  async reserveSignInAttempt(userId: string | null, now: Date, lockAfter: number, lockUntil: Date): Promise<number | null> {
    const rows = await this.s.prisma.$queryRawUnsafe<{ failed_logins: number }[]>(
      `UPDATE app_user SET failed_logins = failed_logins + 1,
         locked_until = CASE WHEN failed_logins + 1 >= $3 THEN $4::timestamptz ELSE NULL END
       WHERE id = $1::uuid AND disabled_at IS NULL
         AND ((locked_until IS NULL AND failed_logins < $3) OR locked_until <= $2::timestamptz)
       RETURNING failed_logins`,
      userId ?? NO_USER, now, lockAfter, lockUntil,
    );
    return rows[0]?.failed_logins ?? null;
  }

  /**
   * Completes the sign-in that took place `place` (reserveSignInAttempt): clears the count and any
   * lock, unless the account was disabled meanwhile, or other attempts locked it while this one was
   * being checked (a lock set by this very place is its own, and a success lifts it). False: refuse.
   */
  async recordSignInSuccess(userId: string, place: number): Promise<boolean> {
    const n = await this.s.prisma.$executeRawUnsafe(
      `UPDATE app_user SET failed_logins = 0, locked_until = NULL
       WHERE id = $1::uuid AND disabled_at IS NULL AND (locked_until IS NULL OR failed_logins = $2)`,
      userId, place,
    );
    return n === 1;
  }

  /** Marks TOTP step `step` used; false if it (or a later one) already was: the code is a replay. */
  async useTotpStep(userId: string, step: number): Promise<boolean> {
    const n = await this.s.prisma.$executeRawUnsafe(
      'UPDATE app_user SET totp_last_step = $2 WHERE id = $1::uuid AND (totp_last_step IS NULL OR totp_last_step < $2)',
      userId, BigInt(step),
    );
    return n === 1;
  }

  /** Stores a sealed TOTP secret; `enabledAt` null keeps it pending until a code confirms it; `lastStep` is the step already used. */
  async setTotp(userId: string, sealed: string | null, enabledAt: Date | null, lastStep: number | null = null): Promise<void> {
    await this.s.prisma.user.update({
      where: { id: userId }, data: { totpSecretSealed: sealed, totpEnabledAt: enabledAt, totpLastStep: lastStep === null ? null : BigInt(lastStep) },
    });
  }

  /** Stores the first refresh token of a sign-in (a new family). */
  async createSession(s: { id: string; userId: string; familyId: string; refreshHash: string; expiresAt: Date; familyExpiresAt: Date }): Promise<void> {
    await this.s.prisma.userSession.create({ data: s });
  }

  /**
   * Presents refresh token `refreshHash` at `now`: if it is live, marks it rotated and stores `next`
   * (same family, same hard end). A token already rotated or revoked revokes its whole family.
   * Run inside a transaction, so the rotation and the new token commit together.
   */
  async rotateSession(refreshHash: string, now: Date, next: { id: string; refreshHash: string; expiresAt: Date }): Promise<RotateOutcome> {
    // claim the token: only one concurrent presenter gets the row back
    const claimed = await this.s.prisma.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE user_session SET rotated_at = $2 WHERE refresh_hash = $1 AND rotated_at IS NULL AND revoked_at IS NULL
         AND expires_at > $2 AND family_expires_at > $2 RETURNING id`,
      refreshHash, now,
    );
    const s = await this.s.prisma.userSession.findUnique({ where: { refreshHash }, select: sessionSelect });
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
    await this.s.prisma.userSession.create({
      data: { id: next.id, userId: s.userId, familyId: s.familyId, refreshHash: next.refreshHash, expiresAt, familyExpiresAt: s.familyExpiresAt },
    });
    return { kind: 'rotated', user, session: { ...s, id: next.id, expiresAt, rotatedAt: null, revokedAt: null } };
  }

  /** The family of refresh token `refreshHash`, or null. */
  async sessionByRefreshHash(refreshHash: string): Promise<SessionRecord | null> {
    return this.s.prisma.userSession.findUnique({ where: { refreshHash }, select: sessionSelect });
  }

  /** Ends every refresh token of a sign-in. */
  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.s.prisma.userSession.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
  }

  /**
   * Whether the sign-in family `familyId` is still live at `now` (not signed out, not past its hard
   * end) for a user who is not disabled: checked on every request that carries an access token, so
   * signing out takes effect at once, not when the token expires.
   */
  async isFamilyLive(familyId: string, userId: string, now: Date): Promise<boolean> {
    const rows = await this.s.prisma.$queryRawUnsafe<{ live: boolean }[]>(
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
    await this.s.prisma.user.update({ where: { id: userId }, data: { disabledAt: at } });
    if (at) await this.s.prisma.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  }

  /** Replaces every recovery code of a user with these hashes (none: the user has no codes). */
  async replaceRecoveryCodes(userId: string, hashes: string[], at: Date): Promise<void> {
    await this.s.prisma.$executeRawUnsafe('DELETE FROM recovery_code WHERE user_id = $1::uuid', userId);
    if (hashes.length === 0) return;
    await this.s.prisma.$executeRawUnsafe(
      'INSERT INTO recovery_code (user_id, code_hash, created_at) SELECT $1::uuid, h, $3 FROM unnest($2::text[]) AS h',
      userId, hashes, at,
    );
  }

  /** Spends the unused recovery code with this hash: false if there is none (unknown, or used already). One conditional UPDATE. */
  async useRecoveryCode(userId: string, hash: string, at: Date): Promise<boolean> {
    const n = await this.s.prisma.$executeRawUnsafe(
      'UPDATE recovery_code SET used_at = $3 WHERE user_id = $1::uuid AND code_hash = $2 AND used_at IS NULL',
      userId, hash, at,
    );
    return n === 1;
  }

  /** How many unused recovery codes a user has. */
  async countRecoveryCodes(userId: string): Promise<number> {
    const rows = await this.s.prisma.$queryRawUnsafe<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM recovery_code WHERE user_id = $1::uuid AND used_at IS NULL', userId,
    );
    return rows[0]?.n ?? 0;
  }

  /** Stores a registered passkey; a credential id already registered is a DbConflictError 'passkey'. */
  async addPasskey(p: { credentialId: string; userId: string; name: string; publicKeySpki: string; algorithm: number; signCount: number; at: Date }): Promise<PasskeyRecord> {
    try {
      await this.s.prisma.$executeRawUnsafe(
        `INSERT INTO passkey (credential_id, user_id, name, public_key_spki, algorithm, sign_count, created_at) VALUES ($1, $2::uuid, $3, $4, $5, $6, $7)`,
        p.credentialId, p.userId, p.name, p.publicKeySpki, p.algorithm, BigInt(p.signCount), p.at,
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new DbConflictError('passkey', 'this passkey is registered already', {});
      throw err;
    }
    return (await this.findPasskey(p.credentialId))!;
  }

  /** A user's passkeys, oldest first. */
  async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    const rows = await this.s.prisma.$queryRawUnsafe<PasskeyRow[]>(`${PASSKEY_SELECT} WHERE user_id = $1::uuid ORDER BY created_at, credential_id`, userId);
    return rows.map(toPasskey);
  }

  /** The passkey with this credential id (base64url), or null. */
  async findPasskey(credentialId: string): Promise<PasskeyRecord | null> {
    const rows = await this.s.prisma.$queryRawUnsafe<PasskeyRow[]>(`${PASSKEY_SELECT} WHERE credential_id = $1`, credentialId);
    return rows[0] ? toPasskey(rows[0]) : null;
  }

  /** Records a use: the counter moves from `from` to `to` only if nobody moved it meanwhile (a replayed or cloned assertion). */
  async usePasskey(credentialId: string, from: number, to: number, at: Date): Promise<boolean> {
    const n = await this.s.prisma.$executeRawUnsafe(
      'UPDATE passkey SET sign_count = $3, last_used_at = $4 WHERE credential_id = $1 AND sign_count = $2',
      credentialId, BigInt(from), BigInt(to), at,
    );
    return n === 1;
  }

  /** Stores a challenge (and drops expired ones). */
  async createWebauthnChallenge(c: { id: string; userId: string | null; purpose: string; challenge: string; expiresAt: Date; now: Date }): Promise<void> {
    await this.s.prisma.$executeRawUnsafe('DELETE FROM webauthn_challenge WHERE expires_at <= $1', c.now);
    await this.s.prisma.$executeRawUnsafe(
      'INSERT INTO webauthn_challenge (id, user_id, purpose, challenge, expires_at) VALUES ($1::uuid, $2::uuid, $3, $4, $5)',
      c.id, c.userId, c.purpose, c.challenge, c.expiresAt,
    );
  }

  /** Takes a live challenge of `purpose` once: it is deleted whether or not the ceremony then passes. */
  async takeWebauthnChallenge(id: string, purpose: string, now: Date): Promise<{ userId: string | null; challenge: string } | null> {
    const rows = await this.s.prisma.$queryRawUnsafe<{ user_id: string | null; challenge: string }[]>(
      'DELETE FROM webauthn_challenge WHERE id = $1::uuid AND purpose = $2 AND expires_at > $3 RETURNING user_id::text AS user_id, challenge',
      id, purpose, now,
    );
    return rows[0] ? { userId: rows[0].user_id, challenge: rows[0].challenge } : null;
  }

  /** Ends every session of an account (its refresh tokens stop working, and so do its access tokens). */
  async endSessions(userId: string, at: Date): Promise<void> {
    await this.s.prisma.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  }

  /** Lifts a lock after failed sign-ins. */
  async unlock(userId: string): Promise<void> {
    await this.s.prisma.user.update({ where: { id: userId }, data: { failedLogins: 0, lockedUntil: null } });
  }

  /**
   * The newest sealed TOTP secret and the newest sealed webhook secret, with the ids they are sealed
   * to, or null where there is none: opening them proves the web key is the one they were sealed under.
   */
  async newestSealedSecrets(): Promise<{ totp: { userId: string; sealed: string } | null; webhook: { organizationId: string; sealed: string } | null }> {
    const [totp] = await this.s.sql.query<{ id: string; sealed: string }>(
      'SELECT id::text AS id, totp_secret_sealed AS sealed FROM app_user WHERE totp_secret_sealed IS NOT NULL ORDER BY created_at DESC LIMIT 1', [],
    );
    const [webhook] = await this.s.sql.query<{ id: string; sealed: string }>(
      'SELECT id::text AS id, webhook_secret_sealed AS sealed FROM organization WHERE webhook_secret_sealed IS NOT NULL ORDER BY created_at DESC LIMIT 1', [],
    );
    return { totp: totp ? { userId: totp.id, sealed: totp.sealed } : null, webhook: webhook ? { organizationId: webhook.id, sealed: webhook.sealed } : null };
  }
}
