import { assertKeysOpen, DomainError, openPlatform } from '@anchorage/authority';
import { ConfigError, loadConfig } from '@anchorage/config';
import { QueueInspector } from '@anchorage/jobs';
import { startMetricsServer } from './metrics';
import { startWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const c = config.worker.conformance;
  const platform = await openPlatform({
    ...config, poolSize: 4, outboundLog: (line) => console.error(line), conformanceFetch: { timeoutMs: c.timeoutMs, maxBytes: c.maxBytes },
  });
  // a key that does not open would fail every signature and sign-in later: refuse to start instead
  await assertKeysOpen(platform);
  const w = config.worker;
  const running = await startWorker(platform, {
    redisUrl: config.redisUrl, crlRefreshSeconds: config.crlRefreshSeconds, prefix: w.queuePrefix, jobLockSeconds: w.jobLockSeconds,
    relayPollMs: w.relayPollMs, bulkBatchSize: w.bulkBatchSize, log: (line) => console.error(line),
    expiryScanSeconds: w.expiryScanSeconds, noticeDays: w.noticeDays, caNoticeDays: w.caNoticeDays,
    auditCheckpointSeconds: w.auditCheckpointSeconds, auditCheckpointEvents: w.auditCheckpointEvents,
    conformance: { scanSeconds: c.scanSeconds, concurrency: c.concurrency, retentionDays: c.retentionDays, graceDays: c.graceDays },
  });
  for (const worker of running.workers) worker.on('completed', (job) => console.log(`job ${job.name} ${job.id} done`));
  const inspector = new QueueInspector(config.redisUrl, w.queuePrefix);
  const metrics = w.metricsPort === null ? null : await startMetricsServer(platform, inspector, running, w.metricsHost, w.metricsPort);
  console.log(`anchorage worker started (CRL sweep every ${config.crlRefreshSeconds} s, queue prefix ${w.queuePrefix}${metrics ? `, metrics at ${metrics.url}/metrics` : ''})`);
  const stop = async () => {
    await metrics?.close();
    await inspector.close();
    await running.close();
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof DomainError ? err.message : err);
  process.exit(1);
});
