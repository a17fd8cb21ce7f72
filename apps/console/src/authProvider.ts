import type { AuthProvider, UserIdentity } from 'react-admin';
import type { PasskeyAnswer } from './authApi';
import { endCurrentSession, fetchMe, signIn, signOutCookie } from './authApi';
import { can, canCreateCommunity, permissionsOf, type ConsolePermissions } from './permissions';
import { lockKeys } from './pki/keyStore';
import { clearSession, getSession, setSession, userSession } from './session';

/** What the login page passes: e-mail, password and code, or an operator API token. */
export type LoginParams = { email?: string; password?: string; code?: string; passkey?: PasskeyAnswer } | { token: string };

/** The identity react-admin shows, plus what the user menu needs. */
export interface ConsoleIdentity extends UserIdentity {
  email: string;
  role: ConsolePermissions['role'];
  totpEnabled: boolean;
  /** Signed in with an operator API token rather than as a person. */
  apiToken: boolean;
}

const status = (err: unknown): number | undefined => (err as { status?: number })?.status;
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function loginWithApiToken(token: string): Promise<void> {
  const candidate = token.trim();
  if (!candidate) throw new Error('Enter an operator API token.');
  try {
    const user = await fetchMe(candidate);
    setSession({ kind: 'api-token', token: candidate, user });
  } catch (err) {
    if (status(err) === 401) throw new Error(`The API did not accept this token: ${message(err)}`);
    throw new Error(`Could not check the token: ${message(err)}`);
  }
}

async function loginWithPassword(p: { email?: string; password?: string; code?: string; passkey?: PasskeyAnswer }): Promise<void> {
  const email = (p.email ?? '').trim();
  const password = p.password ?? '';
  const code = (p.code ?? '').replace(/\s+/g, '');
  if (!email || !password) throw new Error('Enter your e-mail address and password.');
  try {
    setSession(userSession(await signIn({ email, password, ...(p.passkey ? { passkey: p.passkey } : code ? { code } : {}) })));
  } catch (err) {
    // 401 and 429 carry the API's own sentence (the same for every refusal, so it tells nothing away)
    throw new Error(status(err) === undefined ? `Could not reach the API: ${message(err)}` : `Could not sign in: ${message(err)}`);
  }
}

/**
 * Signs people in with e-mail, password and authenticator code (a ten-minute access token kept for the
 * tab, renewed through the API's httpOnly refresh cookie by `httpClient`), or with an operator API token.
 */
export const authProvider: AuthProvider = {
  async login(params: LoginParams) {
    clearSession();
    if ('token' in params) await loginWithApiToken(params.token);
    else await loginWithPassword(params);
  },
  async logout() {
    const s = getSession();
    clearSession();
    // the unwrapped keys go; the encrypted copies stay in this browser (they may be the member's only copy)
    lockKeys();
    if (s?.kind === 'user') {
      // Ending the session by its access token works even when the cookie is gone; the cookie
      // call ends it when the access token has expired, and clears the cookie either way.
      await endCurrentSession(s.accessToken).catch(() => undefined);
      await signOutCookie().catch(() => undefined);
    }
  },
  async checkAuth() {
    // react-admin shows the login page; no notification for simply not being signed in
    if (!getSession()) return Promise.reject({ message: false });
  },
  async checkError(error: { status?: number }) {
    // httpClient has already tried a refresh; a 403 is a refusal to show, not a reason to sign out
    if (error?.status === 401) {
      throw new Error(getSession()?.kind === 'api-token' ? 'The operator API token is no longer accepted.' : 'Your session has ended; sign in again.');
    }
  },
  async getIdentity(): Promise<ConsoleIdentity> {
    const s = getSession();
    if (!s) throw new Error('Not signed in.');
    const u = s.user;
    return {
      id: u.id, fullName: u.displayName || u.email, email: u.email, role: u.role, totpEnabled: u.totpEnabled, apiToken: s.kind === 'api-token',
    };
  },
  async getPermissions(): Promise<ConsolePermissions> {
    // Rejecting (rather than resolving null) when signed out matters: a permissions query that
    // resolves while react-admin logs out re-renders its router into a logout loop (react-admin #10764).
    const s = getSession();
    if (!s) throw new Error('Not signed in.');
    return permissionsOf(s.user);
  },
  async canAccess({ resource, action }: { resource: string; action: string }) {
    const s = getSession();
    const p = s ? permissionsOf(s.user) : null;
    // the API creates communities only for operators of every community
    if (resource === 'communities' && action === 'create') return canCreateCommunity(p);
    return can(p, resource, action);
  },
};
