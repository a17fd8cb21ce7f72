import { ConfigError, loadCliConfig } from '@anchorage/config';
import { runCli } from './cli';

async function main(): Promise<number> {
  const cfg = loadCliConfig();
  let close: (() => Promise<void>) | null = null;
  const code = await runCli(
    process.argv.slice(2),
    { out: (l) => console.log(l), err: (l) => console.error(l) },
    { apiUrl: cfg.apiUrl, apiToken: cfg.apiToken },
    async () => {
      if (!cfg.databaseUrl) throw new Error('token create talks to the database: set ANCHORAGE_DATABASE_URL');
      // loaded here, not at start-up: only the commands that talk to the database pay for it
      const { openLocalOps } = await import('./local-ops');
      const local = openLocalOps(cfg.databaseUrl);
      close = local.close;
      return local.ops;
    },
  );
  if (close) await (close as () => Promise<void>)();
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`);
    process.exit(1);
  },
);
