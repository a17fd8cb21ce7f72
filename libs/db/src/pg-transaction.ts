import type { Pool, PoolClient } from 'pg';
import type { SqlRunner } from './audit-store';

/** A pg client as a SqlRunner. */
export function pgRunner(c: PoolClient): SqlRunner {
  return { query: async (text, params) => (await c.query(text, params)).rows };
}

/**
 * Runs `fn` on one pooled client that `fn` itself puts into a transaction (so it may fold BEGIN and
 * COMMIT into its own round trips); rolls back if `fn` throws, and discards the client if even the
 * rollback fails, so a broken connection never goes back to the pool. While checked out the client
 * has an 'error' listener: a connection the server closes mid-use (a restart, pg_terminate_backend)
 * fails the running query, and its 'error' event would otherwise crash the process.
 */
export async function onTransactionClient<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  const onError = (e: Error) => { broken = e; };
  c.on('error', onError);
  try {
    return await fn(c);
  } catch (err) {
    if (!broken) await c.query('ROLLBACK').catch((e: Error) => { broken = e; });
    throw err;
  } finally {
    c.removeListener('error', onError);
    c.release(broken);
  }
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
