// Access tokens: short-lived JWTs (RFC 7519) signed HS256 with a key derived from the KEK, so every
// API instance of the platform verifies them without a shared session store. They name the user, its
// role and scope, and the sign-in family the API checks is still live on every request.
import { jwtVerify, SignJWT } from 'jose';
import { userActorId } from '@anchorage/contracts';
import type { UserRecord } from '@anchorage/db';
import type { Actor } from '../deps';

const ISSUER = 'anchorage';
const AUDIENCE = 'anchorage-api';
/** Seconds an access token lives: short, since refresh is cheap and signing out must bite soon even offline. */
export const ACCESS_TOKEN_SECONDS = 600;

/** What an access token carries. */
export interface AccessClaims {
  userId: string;
  familyId: string;
  actor: Actor;
}

/** The actor a user acts as. */
export function actorOfUser(u: Pick<UserRecord, 'id' | 'email' | 'role' | 'organizationId' | 'allCommunities' | 'communityIds'>): Actor {
  return {
    id: userActorId(u.email, u.id),
    role: u.role,
    userId: u.id,
    ...(u.role === 'member-admin' && u.organizationId ? { organizationId: u.organizationId } : {}),
    ...(u.role === 'operator' && !u.allCommunities ? { communityIds: u.communityIds } : {}),
  };
}

/** Signs an access token for `user` in sign-in family `familyId`. */
export function signAccessToken(key: Uint8Array, user: UserRecord, familyId: string, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ fam: familyId, act: actorOfUser(user) })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setIssuer(ISSUER).setAudience(AUDIENCE).setSubject(user.id)
    .setIssuedAt(iat).setExpirationTime(iat + ACCESS_TOKEN_SECONDS)
    .sign(key);
}

/** Verifies an access token at `now`; null if it is malformed, forged, expired or for another audience. */
export async function verifyAccessToken(key: Uint8Array, token: string, now: Date): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], typ: 'at+jwt', currentDate: now, clockTolerance: 5,
    });
    const act = payload.act as Actor | undefined;
    if (typeof payload.sub !== 'string' || typeof payload.fam !== 'string' || !act || act.userId !== payload.sub) return null;
    return { userId: payload.sub, familyId: payload.fam, actor: act };
  } catch {
    return null;
  }
}
