// Operator API tokens recently found live, held in memory so that a scripted burst (bulk issuance, an
// operator's CI) does not look its token up in the database on every request.
//
// The cache is trusted only while this process listens for token changes: every revocation, new
// expiry, rename or deletion is announced by a database trigger at commit (any process, any tool), and
// empties the cache. Before the listener is up, and from the moment its connection drops until it
// listens again, nothing is cached and every request looks its token up. An entry also lives at most
// `ttlMs`, and a token's own expiry is checked on every request against the platform clock.
// A revocation served by this process empties its cache before it answers.
//
// Requests that miss together share one lookup (`lookup`): when an entry expires under load, every
// request in flight with that token would otherwise look it up at once, and each would also write its
// lastUsedAt to the same row, one after the other (measured at 64 requests in flight: 64 lookups every
// 10 s, each waiting about 120 ms).

/** What a cached token stands for. */
export interface CachedApiToken {
  id: string;
  name: string;
  expiresAt: Date | null;
}

/** Default lifetime of an entry (the announcement normally ends it much sooner). */
export const API_TOKEN_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 1000;

/** Token hash -> live token, while change announcements are being heard. */
export class ApiTokenCache {
  private readonly entries = new Map<string, { until: number; token: CachedApiToken }>();
  /** Lookups in flight, by token hash: requests that miss together share one. */
  private readonly loading = new Map<string, Promise<CachedApiToken | null>>();
  private listening = false;
  /** Bumped by clear(), so a lookup that started before a change does not cache what it read. */
  private generation = 0;

  constructor(private readonly ttlMs = API_TOKEN_CACHE_TTL_MS, private readonly monotonicMs: () => number = () => performance.now()) {}

  /** Whether entries are used: only while changes are being heard. */
  get live(): boolean {
    return this.listening && this.ttlMs > 0;
  }

  /** The listener is up (again): start caching, from empty. */
  listen(): void {
    this.clear();
    this.listening = true;
  }

  /** The listener is gone (dropped, stopped): stop caching, forget everything. */
  deaf(): void {
    this.listening = false;
    this.clear();
  }

  /** A token changed somewhere: forget everything (revocations are rare; one token's hash is not announced). */
  clear(): void {
    this.entries.clear();
    this.loading.clear();
    this.generation++;
  }

  /** The cached token of `tokenHash`, or undefined. */
  private get(tokenHash: string): CachedApiToken | undefined {
    if (!this.live) return undefined;
    const e = this.entries.get(tokenHash);
    if (!e) return undefined;
    if (e.until <= this.monotonicMs()) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return e.token;
  }

  /**
   * The token of `tokenHash`: the cached one, or what `load` finds (null: no live token), cached when
   * live. While changes are heard, requests that miss together share one `load`; a lookup that began
   * before a change is shared with no request that comes after it, and is not cached.
   */
  lookup(tokenHash: string, load: () => Promise<CachedApiToken | null>): Promise<CachedApiToken | null> {
    const hit = this.get(tokenHash);
    if (hit) return Promise.resolve(hit);
    if (!this.live) return load();
    const inFlight = this.loading.get(tokenHash);
    if (inFlight) return inFlight;
    const mark = this.generation;
    const p: Promise<CachedApiToken | null> = load().then((token) => {
      if (token) this.set(tokenHash, token, mark);
      return token;
    }).finally(() => {
      if (this.loading.get(tokenHash) === p) this.loading.delete(tokenHash);
    });
    this.loading.set(tokenHash, p);
    return p;
  }

  /** Caches a token found live by a lookup that began at generation `mark`. */
  private set(tokenHash: string, token: CachedApiToken, mark: number): void {
    if (!this.live || mark !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(tokenHash, { until: this.monotonicMs() + this.ttlMs, token });
  }
}
