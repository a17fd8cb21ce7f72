import { randomBytes } from 'node:crypto';
import { createApiToken, systemClock } from '@anchorage/authority';
import { ConfigError, loadCliConfig } from '@anchorage/config';
import { Database } from '@anchorage/db';
import { runCli } from './cli';

async function main(): Promise<number> {
  const cfg = loadCliConfig();
  let db: Database | null = null;
  const code = await runCli(
    process.argv.slice(2),
    { out: (l) => console.log(l), err: (l) => console.error(l) },
    { apiUrl: cfg.apiUrl, apiToken: cfg.apiToken },
    async () => {
      if (!cfg.databaseUrl) throw new Error('token create talks to the database: set ANCHORAGE_DATABASE_URL');
      const opened = Database.open(cfg.databaseUrl, 2);
      db = opened;
      return {
        createToken: async (name, expiresInDays) => {
          const t = await createApiToken({ db: opened, clock: systemClock, random: (n) => randomBytes(n) }, name, { id: 'cli:local', role: 'operator' }, { expiresInDays });
          return { id: t.id, name: t.name, token: t.token, expiresAt: t.record.expiresAt?.toISOString() ?? null };
        },
      };
    },
  );
  if (db) await (db as Database).close();
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`);
    process.exit(1);
  },
);
