import { randomBytes } from 'node:crypto';
import { createApiToken, systemClock } from '@anchorage/authority';
import { Database } from '@anchorage/db';
import type { LocalOps } from './cli';

/**
 * The operations that talk to the database directly, with the connection they opened. Loaded only
 * when a command needs them (main.ts imports this module dynamically), so the commands that talk to
 * the API never load Prisma or the authority's use cases.
 */
export function openLocalOps(databaseUrl: string): { ops: LocalOps; close: () => Promise<void> } {
  const db = Database.open(databaseUrl, 2);
  return {
    ops: {
      createToken: async (name, expiresInDays) => {
        const t = await createApiToken({ db, clock: systemClock, random: (n) => randomBytes(n) }, name, { id: 'cli:local', role: 'operator' }, { expiresInDays });
        return { id: t.id, name: t.name, token: t.token, expiresAt: t.record.expiresAt?.toISOString() ?? null };
      },
    },
    close: () => db.close(),
  };
}
