import { assertKeysOpen, DomainError, openPlatform, publishPendingRevocations } from '@anchorage/authority';
import { ConfigError, loadConfig } from '@anchorage/config';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const platform = await openPlatform({
    ...config, outboundLog: (line) => console.error(line),
    // a check run on demand fetches with the monitor's limits
    conformanceFetch: { timeoutMs: config.worker.conformance.timeoutMs, maxBytes: config.worker.conformance.maxBytes },
  });
  // a key that does not open would fail every signature and sign-in later: refuse to start instead
  await assertKeysOpen(platform);
  const running = await startServer(platform, {
    host: config.host, port: config.port, consoleDir: config.consoleDir, queues: { redisUrl: config.redisUrl, prefix: config.worker.queuePrefix },
  });
  console.log(`anchorage api listening on ${running.url}`);
  // A revocation committed by a process that died before its CRL was stored: whichever process
  // starts first publishes it, instead of leaving it to the worker's next sweep.
  void publishPendingRevocations(platform, { id: 'api-start', role: 'system' }).then(
    (results) => results.forEach((r) => console.log(`pending revocations of CA ${r.caId}: ${r.action}${r.crlNumber ? ` (CRL ${r.crlNumber})` : ''}${r.error ? `: ${r.error}` : ''}`)),
    (err: Error) => console.error(`publishing pending revocations failed: ${err.message}`),
  );
  const stop = async () => {
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
