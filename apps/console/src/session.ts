// The console's sign-in lives in sessionStorage, so it is gone when the tab closes: either a user's
// short-lived access token (the refresh token stays in the API's httpOnly cookie, out of reach of
// scripts) or an operator API token. Both are kept with the user they stand for.
import type { SessionView, UserView } from '@anchorage/contracts';

/** What this tab is signed in with. */
export type Session =
  | { kind: 'user'; accessToken: string; /** epoch ms */ expiresAt: number; user: UserView }
  | { kind: 'api-token'; token: string; user: UserView };

const KEY = 'anchorage.session';

/** The stored session, if signed in (a damaged entry counts as signed out). */
export function getSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Session;
    if ((s.kind === 'user' && s.accessToken) || (s.kind === 'api-token' && s.token)) return s;
  } catch {
    // fall through
  }
  sessionStorage.removeItem(KEY);
  return null;
}

/** Keeps `session` for this tab. */
export const setSession = (session: Session): void => sessionStorage.setItem(KEY, JSON.stringify(session));

/** Forgets the session of this tab. */
export const clearSession = (): void => sessionStorage.removeItem(KEY);

/** The session of a sign-in or refresh answer. */
export const userSession = (view: SessionView): Session => ({
  kind: 'user', accessToken: view.accessToken, expiresAt: Date.now() + view.expiresIn * 1000, user: view.user,
});

/** The bearer token of the stored session: the access token, or the operator API token. */
export function getToken(): string | null {
  const s = getSession();
  if (!s) return null;
  return s.kind === 'user' ? s.accessToken : s.token;
}

/** Updates the stored user (e.g. after turning on two-factor authentication). */
export function updateSessionUser(patch: Partial<UserView>): void {
  const s = getSession();
  if (s) setSession({ ...s, user: { ...s.user, ...patch } });
}

/** Whom keys generated in this browser are kept for: the signed-in user (see pki/keyStore.ts). */
export function keyOwner(): { id: string; email: string } | null {
  const s = getSession();
  return s ? { id: s.user.id, email: s.user.email } : null;
}
