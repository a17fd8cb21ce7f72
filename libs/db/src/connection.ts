import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from './generated/prisma/client';

/** Prisma client or the client of an interactive transaction. */
export type PrismaLike = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/** One pool shared by Prisma and the streaming/locking paths that use pg directly. */
export interface Connection {
  pool: Pool;
  prisma: PrismaClient;
}

/** Opens a pool of at most `max` connections for `url`. */
export function connect(url: string, max = 10): Connection {
  const pool = new Pool({ connectionString: url, max });
  // An idle client whose server connection drops (a PostgreSQL restart, an administrator's
  // pg_terminate_backend) is removed from the pool; without a listener its 'error' event would
  // crash the process. The next query opens a new connection, and an error in use reaches its caller.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { pool, prisma };
}
