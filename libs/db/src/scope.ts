// Where a store's statements run. Every store is built on a StoreScope: the database as a whole (each
// statement a transaction of its own) or one open transaction, which `transaction` opens. That method
// is the one way business writes get a transaction: a store method called with a transaction's scope
// runs inside it, whichever store it belongs to, so a use case composes stores freely.
//
// Two ways to speak to PostgreSQL, each where it pays: `prisma` for typed CRUD (and the schema),
// `sql` for statements Prisma cannot express or that the hot path runs (prepared on the pool), in the
// same place as `prisma`. Paths that need a pg connection of their own use `pool` directly, and only
// those: CRL generation (its entries streamed as server-side concatenated chunks), bulk revocation
// batches and the audit sequencer's rounds (pgTransaction, measured), LISTEN, and session advisory locks.
import type { Pool } from 'pg';
import type { Connection, PrismaLike } from './connection';
import type { ContextCache } from './context-cache';
import { pgRunner, type SqlRunner } from './pg-transaction';
import type { PrismaClient } from './generated/prisma/client';

/** How long a transaction may run, and wait for a connection. */
const TRANSACTION_LIMITS = { timeout: 60_000, maxWait: 30_000 } as const;

/** The database as a whole, or one open transaction (see the file comment). */
export class StoreScope {
  readonly sql: SqlRunner;

  private constructor(
    private readonly conn: Connection,
    /** Typed CRUD, here. */
    readonly prisma: PrismaLike,
    /** True inside a transaction. */
    readonly inTransaction: boolean,
    /** The issuance-context cache, which writes that can change a context clear. */
    readonly contexts: ContextCache,
  ) {
    this.sql = inTransaction ? prismaRunner(prisma) : pgRunner(conn.pool);
  }

  /** The scope of the whole database. */
  static root(conn: Connection, contexts: ContextCache): StoreScope {
    return new StoreScope(conn, conn.prisma, false, contexts);
  }

  /** The pg pool: for the paths that need a connection of their own (see the file comment); never part of a transaction. */
  get pool(): Pool {
    return this.conn.pool;
  }

  /**
   * Runs `fn` in one transaction and passes it the transaction's scope: everything written through
   * that scope commits or nothing does. Inside a transaction already, `fn` joins it.
   */
  transaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return (this.conn.prisma as PrismaClient).$transaction(
      (tx) => fn(new StoreScope(this.conn, tx as PrismaLike, true, this.contexts)),
      TRANSACTION_LIMITS,
    );
  }
}

/** Raw SQL inside a Prisma transaction, as a SqlRunner. */
function prismaRunner(db: PrismaLike): SqlRunner {
  return {
    query: (text, params) => db.$queryRawUnsafe(text, ...params) as never,
    execute: (text, params) => db.$executeRawUnsafe(text, ...params),
  };
}
