// Sign-in attempts per client address, in memory: a sliding window that bounds password guessing
// from one address before the per-account lock (libs/authority sign-in.ts) even counts. Each API
// instance keeps its own window, so N instances allow N times the rate; the account lock is global.

import type { Request, Response } from 'express';
import { DomainError } from '@anchorage/authority';

/** Allows at most `limit` attempts per key in any `windowMs`. */
export class AttemptLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly maxKeys = 100_000) {}

  /** Counts an attempt from the request's address; over the limit, sets Retry-After and throws a 429 problem. */
  enforce(req: Request, res: Response, what: string): void {
    const wait = this.take(req.socket.remoteAddress ?? 'unknown', Date.now());
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new DomainError('too-many-requests', `too many ${what} from this address; try again in ${wait} s`);
    }
  }

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
