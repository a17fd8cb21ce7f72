import type { ConnectionOptions } from 'bullmq';

/**
 * BullMQ connection options from a redis:// URL. Workers wait for Redis forever
 * (maxRetriesPerRequest null, as BullMQ requires); producers (`failFast`) get an error at once
 * while Redis is unreachable instead of queueing commands in memory, so the outbox relay leaves
 * its rows for the next round rather than hanging.
 */
export function redisConnection(url: string, o: { failFast?: boolean } = {}): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    ...(o.failFast ? { enableOfflineQueue: false } : {}),
    // reconnect quickly after a Redis restart, at most every 2 s
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
}
