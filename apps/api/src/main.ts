import cluster from 'node:cluster';
import { assertKeysOpen, DomainError, openPlatform, publishPendingRevocations } from '@anchorage/authority';
import { ConfigError, loadConfig, type AppConfig } from '@anchorage/config';
import { startServer } from './server';

/** How long a crashed API process waits before it is started again. */
const RESTART_DELAY_MS = 1000;

/** One API process: the platform and the HTTP server. */
async function serve(config: AppConfig): Promise<void> {
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
  console.log(`anchorage api listening on ${running.url}${cluster.isWorker ? ` (process ${cluster.worker!.id} of ${config.apiProcesses}, pid ${process.pid})` : ''}`);
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

/**
 * ANCHORAGE_API_PROCESSES > 1: this process only starts that many API processes sharing the listen
 * address (node:cluster hands each new connection to the next one), starts again one that dies, and
 * stops them all on SIGTERM/SIGINT. Each is a whole API instance, as behind a load balancer: they
 * agree through PostgreSQL (CRL, community and token notifications), as separate hosts do.
 */
function supervise(config: AppConfig): void {
  let stopping = false;
  let listened = false;
  cluster.on('listening', () => { listened = true; });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    // one that could not even start (configuration, a key that does not open) would only fail again
    if (!listened) {
      console.error(`api process ${worker.id} could not start (${signal ?? code}); stopping`);
      stop();
      process.exitCode = code || 1;
      return;
    }
    console.error(`api process ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? code}); starting another in ${RESTART_DELAY_MS} ms`);
    setTimeout(() => cluster.fork(), RESTART_DELAY_MS).unref();
  });
  const stop = () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(process.exitCode ?? 0);
    for (const w of workers) w?.process.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (let i = 0; i < config.apiProcesses; i++) cluster.fork();
}

function main(): Promise<void> | void {
  const config = loadConfig();
  if (config.apiProcesses > 1 && cluster.isPrimary) return supervise(config);
  return serve(config);
}

Promise.resolve().then(main).catch((err) => {
  console.error(err instanceof ConfigError || err instanceof DomainError ? err.message : err);
  process.exit(1);
});
