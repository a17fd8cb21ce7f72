import type { SessionView } from '@anchorage/contracts';
import { HttpError } from 'react-admin';
import { problemMessage } from './problem';
import { getSession, getToken, setSession, userSession } from './session';

/** Base URL of the admin API, on the console's own origin. */
export const API_URL = '/api/v1';

/** What react-admin's data provider expects back from an HTTP call. */
export interface HttpResult {
  status: number;
  headers: Headers;
  body: string;
  json: unknown;
}

/**
 * Options of one call: fetch's, plus an explicit bearer token (null for none), used by sign-in,
 * sign-out and the API token check. A call with an explicit token is never retried after a refresh.
 */
export type HttpOptions = RequestInit & { token?: string | null };

function parseJson(body: string): unknown {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

/** The HttpError of a non-2xx answer: the problem document's detail (and when to retry a 429). */
function httpErrorOf(res: Response, json: unknown): HttpError {
  let message = problemMessage(json, res.status, res.statusText);
  const retryAfter = res.headers.get('Retry-After');
  if (res.status === 429 && retryAfter && !/try again/i.test(message)) message += ` (try again in ${retryAfter} s)`;
  return new HttpError(message, res.status, json);
}

async function send(url: string, init: RequestInit, token: string | null): Promise<HttpResult> {
  const headers = new Headers(init.headers);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
  if (typeof init.body === 'string' && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  if (token) headers.set('Authorization', `Bearer ${token}`);
  // same-origin (fetch's default) sends the httpOnly refresh cookie to /api/v1/auth, and nowhere else
  const res = await fetch(url, { ...init, headers, credentials: 'same-origin' });
  const body = await res.text();
  const json = parseJson(body);
  if (!res.ok) throw httpErrorOf(res, json);
  return { status: res.status, headers: res.headers, body, json };
}

let refreshing: Promise<boolean> | null = null;
/** An access token whose refresh already failed: no second attempt for it. */
let unrefreshable: string | null = null;

/**
 * Trades the refresh cookie for a new access token, once for all the calls that failed with `stale`
 * (the API rotates the cookie and treats a reused one as theft, so two refreshes must never race).
 * Resolves true when a newer access token is stored.
 */
export function refreshAccessToken(stale: string): Promise<boolean> {
  const s = getSession();
  if (s?.kind !== 'user' || stale === unrefreshable) return Promise.resolve(false);
  if (s.accessToken !== stale) return Promise.resolve(true); // another call refreshed meanwhile
  refreshing ??= (async () => {
    try {
      const view = (await send(`${API_URL}/auth/refresh`, { method: 'POST' }, null)).json as SessionView;
      // The cookie is shared by the browser's tabs: if another tab signed in as someone else since,
      // this tab must not become that person.
      if (view.user.id !== s.user.id) throw new Error('the refresh cookie belongs to another sign-in');
      setSession(userSession(view));
      return true;
    } catch {
      unrefreshable = stale;
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/**
 * fetch with the session's bearer token; a non-2xx answer becomes `HttpError(detail, status, problem)`,
 * so every notification shows the problem document's `detail` rather than the status text or JSON.
 * A 401 with a user's access token (it lives ten minutes) is retried once after one refresh.
 */
export async function httpClient(url: string, options: HttpOptions = {}): Promise<HttpResult> {
  const { token, ...init } = options;
  const bearer = token === undefined ? getToken() : token;
  try {
    return await send(url, init, bearer);
  } catch (err) {
    const retry = token === undefined && bearer !== null && err instanceof HttpError && err.status === 401;
    if (retry && (await refreshAccessToken(bearer))) return send(url, init, getToken());
    throw err;
  }
}

/**
 * Fetches a binary file (a CRL's DER) with the session's bearer token in the Authorization header,
 * never in the URL; a 401 is retried once after a refresh, like httpClient. A non-2xx answer becomes
 * an HttpError with the problem's detail.
 */
export async function fetchBlob(url: string): Promise<Blob> {
  const get = async (bearer: string | null): Promise<Response> => {
    const headers = new Headers({ Accept: 'application/pkix-crl, application/octet-stream, application/problem+json' });
    if (bearer) headers.set('Authorization', `Bearer ${bearer}`);
    return fetch(url, { headers, credentials: 'same-origin' });
  };
  const bearer = getToken();
  let res = await get(bearer);
  if (res.status === 401 && bearer !== null && (await refreshAccessToken(bearer))) res = await get(getToken());
  if (!res.ok) throw httpErrorOf(res, parseJson(await res.text()));
  return res.blob();
}
