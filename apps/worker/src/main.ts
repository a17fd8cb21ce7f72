import { openPlatform } from '@anchorage/authority';
import { ConfigError, loadConfig } from '@anchorage/config';
import { startWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const platform = await openPlatform({ ...config, poolSize: 4 });
  const running = await startWorker(platform, { redisUrl: config.redisUrl, crlRefreshSeconds: config.crlRefreshSeconds });
  running.worker.on('completed', (job, result) => console.log(`job ${job.name} ${job.id} done: ${JSON.stringify(result)}`));
  running.worker.on('failed', (job, err) => console.error(`job ${job?.name} ${job?.id} failed: ${err.message}`));
  console.log(`anchorage worker started (CRL sweep every ${config.crlRefreshSeconds} s)`);
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
