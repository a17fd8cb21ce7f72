import type { AuthProvider } from 'react-admin';
import { API_URL, httpClient } from './http';
import { clearToken, getToken, setToken } from './token';

/** Signs in with an operator API token: the token is checked against the API, then kept for this tab. */
export const authProvider: AuthProvider = {
  async login({ token }: { token?: string }) {
    const candidate = (token ?? '').trim();
    if (!candidate) throw new Error('Enter an operator API token.');
    try {
      await httpClient(`${API_URL}/communities?range=${encodeURIComponent('[0,0]')}`, { token: candidate });
    } catch (err) {
      const e = err as { status?: number; message?: string };
      if (e.status === 401) throw new Error(`The API did not accept this token: ${e.message}`);
      throw new Error(`Could not check the token: ${e.message ?? String(err)}`);
    }
    setToken(candidate);
  },
  async logout() {
    clearToken();
  },
  async checkAuth() {
    if (!getToken()) throw new Error('Sign in with an operator API token.');
  },
  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      clearToken();
      throw new Error('The operator API token is no longer accepted.');
    }
  },
  async getIdentity() {
    return { id: 'operator', fullName: 'Operator' };
  },
};
