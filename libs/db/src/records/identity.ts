// People who sign in, their sessions, and operator API tokens.

/** Roles of people who sign in (API tokens act as operators of every community). */
export type UserRole = 'operator' | 'auditor' | 'member-admin';

/** A stored user (the password hash and sealed TOTP secret stay inside libs/authority's identity code). */
export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  organizationId: string | null;
  /** Whether an operator runs every community, present and future. */
  allCommunities: boolean;
  /** Communities an operator runs when not all of them (empty for other roles). */
  communityIds: string[];
  passwordHash: string;
  totpSecretSealed: string | null;
  totpEnabledAt: Date | null;
  failedLogins: number;
  lockedUntil: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}

/** A new user as the authority stores it. */
export type NewUser = Omit<UserRecord, 'failedLogins' | 'lockedUntil' | 'disabledAt' | 'createdAt'>;

/** One refresh token of a sign-in session family. */
export interface SessionRecord {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  familyExpiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

/** A stored operator API token (never its secret: only a hash is stored, and not handed upward). */
export interface ApiTokenRecord {
  id: string;
  name: string;
  createdAt: Date;
  /** Actor id of who created it (null for tokens made before this was recorded, or by the database CLI). */
  createdBy: string | null;
  lastUsedAt: Date | null;
  /** After this instant the token no longer authenticates (null: no expiry). */
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}
