// The operator API token lives in sessionStorage: it is gone when the tab closes.
const KEY = 'anchorage.operatorToken';

/** The stored operator API token, if signed in. */
export const getToken = (): string | null => sessionStorage.getItem(KEY);

/** Stores the operator API token for this tab. */
export const setToken = (token: string): void => sessionStorage.setItem(KEY, token);

/** Forgets the operator API token. */
export const clearToken = (): void => sessionStorage.removeItem(KEY);
