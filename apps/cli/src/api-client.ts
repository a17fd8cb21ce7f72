import type { ProblemDocument } from '@anchorage/contracts';

/** An API error, carrying the server's problem document. */
export class ApiError extends Error {
  constructor(public readonly problem: ProblemDocument) {
    super(`${problem.title} (${problem.status}): ${problem.detail ?? ''}${problem.errors?.length ? `\n${problem.errors.map((e) => `  - ${e.field}: ${e.message}`).join('\n')}` : ''}`);
  }
}

/** Minimal client of the admin API. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  /** Sends a request and returns the parsed JSON body; throws ApiError on a problem document. */
  async request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    if (!this.token) throw new Error('no API token: pass --token or set ANCHORAGE_API_TOKEN (create one with `token create`)');
    return this.send<T>(method, path, { authorization: `Bearer ${this.token}` }, body);
  }

  /** GET of a public path (the /pki routes relying parties read), without the token. */
  publicGet<T>(path: string): Promise<T> {
    return this.send<T>('GET', path, {});
  }

  private async send<T>(method: 'GET' | 'POST' | 'PUT', path: string, headers: Record<string, string>, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new Error(`cannot reach the API at ${this.baseUrl}: ${(err as Error).message}`);
    }
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const p = parsed as ProblemDocument | undefined;
      throw new ApiError(p && typeof p === 'object' && 'status' in p ? p : { type: 'about:blank', title: res.statusText, status: res.status, detail: text });
    }
    return parsed as T;
  }
}
