import type { ProblemDocument } from '@anchorage/contracts';

/** An API error, carrying the server's problem document. */
export class ApiError extends Error {
  constructor(public readonly problem: ProblemDocument) {
    super(`${problem.title} (${problem.status}): ${problem.detail ?? ''}${problem.errors?.length ? `\n${problem.errors.map((e) => `  - ${e.field}: ${e.message}`).join('\n')}` : ''}`);
  }
}

/**
 * A failure on this side of the API, with the kind of problem it is (the `type` of the problem
 * document `--json` prints for it: https://anchorage.dev/problems/cli-<kind>).
 */
export class LocalProblem extends Error {
  constructor(
    readonly kind: 'usage' | 'unreachable' | 'no-token' | 'fingerprint-mismatch' | 'bad-response' | 'error',
    message: string,
  ) {
    super(message);
  }
}

/** One page of a list and the total the API reported in Content-Range (null when it sent none). */
export interface Page<T> {
  items: T[];
  total: number | null;
}

/** Minimal client of the admin API. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  /** Sends a request and returns the parsed JSON body; throws ApiError on a problem document. */
  async request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    return (await this.send<T>(method, path, body)).body;
  }

  /** GETs a list and the total of its Content-Range header (`<resource> first-last/total`). */
  async list<T>(path: string): Promise<Page<T>> {
    const { body, res } = await this.send<T[]>('GET', path);
    if (!Array.isArray(body)) throw new LocalProblem('bad-response', `GET ${path} did not answer a list`);
    const total = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
    return { items: body, total: total ? Number(total[1]) : null };
  }

  /** GETs a public document (no token: what anyone may fetch, e.g. under /pki/) as bytes. */
  async fetchPublic(path: string): Promise<Buffer> {
    const res = await this.fetch(path, { method: 'GET' });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (!res.ok) throw new ApiError(problemOf(res, bytes.toString('utf8')));
    return bytes;
  }

  /** GET of a public path (the /pki routes relying parties read) as JSON, without the token. */
  async publicGet<T>(path: string): Promise<T> {
    const text = (await this.fetchPublic(path)).toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new LocalProblem('bad-response', `GET ${path} answered a body that is not JSON`);
    }
  }

  private async send<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<{ body: T; res: Response }> {
    if (!this.token) throw new LocalProblem('no-token', 'no API token: pass --token or set ANCHORAGE_API_TOKEN (create one with `token create`)');
    const res = await this.fetch(path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new ApiError(problemOf(res, text));
    try {
      return { body: (text ? JSON.parse(text) : undefined) as T, res };
    } catch {
      throw new LocalProblem('bad-response', `${method} ${path} answered ${res.status} with a body that is not JSON`);
    }
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, init);
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new LocalProblem('unreachable', `cannot reach the API at ${this.baseUrl}: ${(err as Error).message}${cause ? ` (${cause})` : ''}`);
    }
  }
}

/** The problem document of an error answer, or one made from its status when it carried none. */
function problemOf(res: Response, text: string): ProblemDocument {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed === 'object' && 'status' in parsed && 'title' in parsed) return parsed as ProblemDocument;
  return { type: 'about:blank', title: res.statusText || `HTTP ${res.status}`, status: res.status, ...(text ? { detail: text.slice(0, 500) } : {}) };
}
