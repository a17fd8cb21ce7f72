// Sign-in sessions: a short-lived access token (access-token.ts) and a refresh token that rotates
// on every use. The refresh token is random, kept only as a SHA-256 hash, and lives in an httpOnly
// cookie; presenting one that was already rotated away means a copy was stolen, so the whole
// sign-in family ends (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SessionView } from '@anchorage/contracts';
import type { UserRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { ACCESS_TOKEN_SECONDS, signAccessToken, verifyAccessToken } from './access-token';
import { identityKeys } from './keys';
import { userView } from './user-view';

/** A refresh token expires this long after it was issued unless used (and so rotated) before. */
export const REFRESH_IDLE_SECONDS = 12 * 3600;
/** No sign-in outlives this, however often it refreshes: then the password (and code) again. */
export const SESSION_MAX_SECONDS = 24 * 3600;
const REFRESH_PREFIX = 'anr_';

/** A session's tokens: the access token and view for the body, the refresh token for the cookie. */
export interface IssuedSession {
  view: SessionView;
  refreshToken: string;
  refreshExpiresAt: Date;
}

type Deps = Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys'>;

const hashRefresh = (token: string): string => createHash('sha256').update(token).digest('hex');
const newRefreshToken = (): string => REFRESH_PREFIX + randomBytes(32).toString('base64url');
const after = (d: Date, seconds: number): Date => new Date(d.getTime() + seconds * 1000);
const unauthorized = (why: string) => new DomainError('unauthorized', why);

async function sessionOf(deps: Deps, user: UserRecord, familyId: string, refreshToken: string, refreshExpiresAt: Date): Promise<IssuedSession> {
  const now = deps.clock.now();
  const accessToken = await signAccessToken(identityKeys(deps).sessionMacKey, user, familyId, now);
  return { view: { accessToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_SECONDS, user: userView(user) }, refreshToken, refreshExpiresAt };
}

/** Starts a new sign-in family for `user` (after its password, and code if any, were checked). */
export async function startSession(deps: Deps, user: UserRecord): Promise<IssuedSession> {
  const now = deps.clock.now();
  const familyId = randomUUID();
  const refreshToken = newRefreshToken();
  const expiresAt = after(now, REFRESH_IDLE_SECONDS);
  await deps.db.identity.createSession({
    id: randomUUID(), userId: user.id, familyId, refreshHash: hashRefresh(refreshToken), expiresAt, familyExpiresAt: after(now, SESSION_MAX_SECONDS),
  });
  return sessionOf(deps, user, familyId, refreshToken, expiresAt);
}

/** Trades a live refresh token for a new one and a new access token; anything else is a 401. */
export async function refreshSession(deps: Deps, refreshToken: string | undefined): Promise<IssuedSession> {
  identityKeys(deps);
  if (!refreshToken || !refreshToken.startsWith(REFRESH_PREFIX) || refreshToken.length > 100) throw unauthorized('no valid session: sign in again');
  const now = deps.clock.now();
  const next = newRefreshToken();
  const outcome = await deps.db.transaction((tx) =>
    tx.identity.rotateSession(hashRefresh(refreshToken), now, { id: randomUUID(), refreshHash: hashRefresh(next), expiresAt: after(now, REFRESH_IDLE_SECONDS) }));
  if (outcome.kind === 'reused') {
    await deps.db.audit.append({
      at: now, actor: 'system', action: 'user.session-reuse-detected', subjectType: 'session', subjectId: outcome.familyId, data: { familyRevoked: true },
    });
    throw unauthorized('this session was ended because its refresh token was used twice: sign in again');
  }
  if (outcome.kind !== 'rotated') throw unauthorized('the session has expired: sign in again');
  if (outcome.user.disabledAt) throw unauthorized('the account is disabled');
  return sessionOf(deps, outcome.user, outcome.session.familyId, next, outcome.session.expiresAt);
}

/** Ends the sign-in family of an access token's holder (and so every refresh token of it). */
export async function signOut(deps: Deps, actor: Actor, familyId: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.identity.revokeFamily(familyId, now);
  await deps.db.audit.append({ at: now, actor: actor.id, action: 'user.signed-out', subjectType: 'session', subjectId: familyId, data: {} });
}

/** Ends the sign-in family of a refresh token (sign-out with only the cookie left). */
export async function signOutByRefreshToken(deps: Deps, refreshToken: string | undefined): Promise<void> {
  if (!refreshToken || !refreshToken.startsWith(REFRESH_PREFIX)) return;
  const s = await deps.db.identity.sessionByRefreshHash(hashRefresh(refreshToken));
  if (!s) return;
  const now = deps.clock.now();
  await deps.db.identity.revokeFamily(s.familyId, now);
  await deps.db.audit.append({ at: now, actor: `user:${s.userId}`, action: 'user.signed-out', subjectType: 'session', subjectId: s.familyId, data: {} });
}

/** The actor of a valid access token whose sign-in is still live, with its family id; otherwise null. */
export async function authenticateAccessToken(deps: Deps, token: string): Promise<{ actor: Actor; familyId: string } | null> {
  if (!deps.identityKeys || token.length > 4096) return null;
  const now = deps.clock.now();
  const claims = await verifyAccessToken(deps.identityKeys.sessionMacKey, token, now);
  if (!claims) return null;
  if (!(await deps.db.identity.isFamilyLive(claims.familyId, claims.userId, now))) return null;
  return { actor: claims.actor, familyId: claims.familyId };
}
