import { HttpError } from 'react-admin';
import { problemMessage } from './problem';
import { getToken } from './token';

/** Base URL of the admin API, on the console's own origin. */
export const API_URL = '/api/v1';

/** What react-admin's data provider expects back from an HTTP call. */
export interface HttpResult {
  status: number;
  headers: Headers;
  body: string;
  json: unknown;
}

/** Options of one call: fetch's, plus an explicit token (used by login before the token is stored). */
export type HttpOptions = RequestInit & { token?: string | null };

/**
 * fetch with the operator's bearer token; a non-2xx answer becomes `HttpError(detail, status, problem)`,
 * so every notification shows the problem document's `detail` rather than the status text or JSON.
 */
export async function httpClient(url: string, options: HttpOptions = {}): Promise<HttpResult> {
  const { token = getToken(), ...init } = options;
  const headers = new Headers(init.headers);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
  if (typeof init.body === 'string' && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const res = await fetch(url, { ...init, headers });
  const body = await res.text();
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) throw new HttpError(problemMessage(json, res.status, res.statusText), res.status, json);
  return { status: res.status, headers: res.headers, body, json };
}
