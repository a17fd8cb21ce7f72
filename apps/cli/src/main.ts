import { ConfigError, loadCliConfig } from '@anchorage/config';
import { runCli } from './cli';

async function main(): Promise<number> {
  const cfg = loadCliConfig();
  let close: (() => Promise<void>) | null = null;
  const code = await runCli(
    process.argv.slice(2),
    { out: (l) => console.log(l), err: (l) => console.error(l) },
    { apiUrl: cfg.apiUrl, apiToken: cfg.apiToken, configDir: cfg.configDir },
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
    // runCli prints its own failures; these are the settings' (and the unexpected)
    const args = process.argv.slice(2);
    const end = args.indexOf('--');
    if ((end < 0 ? args : args.slice(0, end)).includes('--json')) {
      const kind = err instanceof ConfigError ? 'config' : 'error';
      console.log(JSON.stringify({ type: `https://anchorage.dev/problems/cli-${kind}`, title: kind === 'config' ? 'Invalid settings' : 'Error', detail: (err as Error).message }, null, 2));
    } else {
      console.error(err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`);
    }
    process.exit(1);
  },
);
