import type { Pool, PoolClient } from 'pg';

/** Anything that runs parameterized SQL: the pool, a pg client or a Prisma transaction. */
export interface SqlRunner {
  /**
   * Runs a statement and returns its rows. `name` makes it a prepared statement where the runner
   * can keep one (pg connections: planned once per connection, for the hot path's statements).
   */
  query<R = Record<string, unknown>>(sql: string, params: unknown[], name?: string): Promise<R[]>;
  /** Runs a statement and returns how many rows it changed. */
  execute(sql: string, params: unknown[]): Promise<number>;
}

/** A pg pool or client as a SqlRunner (on the pool, each query is a statement of its own). */
export function pgRunner(c: Pool | PoolClient): SqlRunner {
  return {
    query: async (text, values, name) => (await c.query(name ? { name, text, values } : { text, values })).rows,
    execute: async (text, values) => (await c.query(text, values)).rowCount ?? 0,
  };
}

/** What `withPooledClient` tells `fn` about its connection. */
export interface ConnectionGuard {
  /** The error that broke the connection, if one did. */
  broken(): Error | undefined;
  /** Marks the connection broken, so it is discarded instead of going back to the pool. */
  discard(err: Error): void;
}

/**
 * Runs `fn` on one pooled client. While checked out the client has an 'error' listener: a
 * connection the server closes mid-use (a restart, pg_terminate_backend) fails the running query,
 * and its 'error' event would otherwise crash the process. A broken connection is discarded, never
 * returned to the pool.
 */
export async function withPooledClient<T>(pool: Pool, fn: (c: PoolClient, guard: ConnectionGuard) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  const discard = (e: Error) => { broken ??= e; };
  c.on('error', discard);
  try {
    return await fn(c, { broken: () => broken, discard });
  } finally {
    c.removeListener('error', discard);
    c.release(broken);
  }
}

/**
 * Runs `fn` on one pooled client that `fn` itself puts into a transaction (so it may fold BEGIN and
 * COMMIT into its own round trips); rolls back if `fn` throws, and discards the client if even the
 * rollback fails (see withPooledClient).
 */
export function onTransactionClient<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  return withPooledClient(pool, async (c, guard) => {
    try {
      return await fn(c);
    } catch (err) {
      if (!guard.broken()) await c.query('ROLLBACK').catch(guard.discard);
      throw err;
    }
  });
}

/** Runs `fn` in a transaction on one pooled client; commits when it resolves, rolls back when it throws. */
export function pgTransaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  return onTransactionClient(pool, async (c) => {
    await c.query('BEGIN');
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  });
}
