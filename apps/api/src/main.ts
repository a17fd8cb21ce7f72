import { openPlatform } from '@anchorage/authority';
import { ConfigError, loadConfig } from '@anchorage/config';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const platform = await openPlatform(config);
  const running = await startServer(platform, {
    host: config.host, port: config.port, consoleDir: config.consoleDir, queues: { redisUrl: config.redisUrl, prefix: config.worker.queuePrefix },
  });
  console.log(`anchorage api listening on ${running.url}`);
  const stop = async () => {
    await running.close();
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
