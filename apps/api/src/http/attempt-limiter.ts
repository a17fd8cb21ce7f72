// Sign-in attempts per client address, in memory: a sliding window that bounds password guessing
// from one address before the per-account lock (libs/authority sign-in.ts) even counts. Each API
// instance keeps its own window, so N instances allow N times the rate; the account lock is global.

/** Allows at most `limit` attempts per key in any `windowMs`. */
export class AttemptLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly maxKeys = 100_000) {}

  /** Records an attempt for `key` at `now`; returns the seconds to wait if it is over the limit, else 0. */
  take(key: string, now: number): number {
    const since = now - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (list.length >= this.limit) {
      this.hits.set(key, list);
      return Math.max(1, Math.ceil((list[0] + this.windowMs - now) / 1000));
    }
    list.push(now);
    this.hits.delete(key); // re-insert: the map stays in least-recently-used order
    this.hits.set(key, list);
    if (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value as string);
    return 0;
  }
}
