import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { platformEnv, startWorkerProcess, testRedisUrl, type WorkerProcess } from '@anchorage/testing';
import { isolatedPlatform } from './testing/fixture';

/** The nice value of every thread of a process (field 19 of /proc/PID/task/TID/stat). */
function threadNiceValues(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
    try {
      // the command name (field 2) is in parentheses and may hold spaces: count fields after it
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

// The real worker process lowers its own CPU priority (ANCHORAGE_WORKER_NICE, default 10) so its
// background jobs, a large CRL above all, leave the CPU to issuance under load.
describe('worker process priority', () => {
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  const procs: WorkerProcess[] = [];
  const ours = getPriority(0);

  beforeAll(async () => {
    env = await isolatedPlatform('priority');
  });
  afterAll(async () => {
    for (const w of procs) await w.stop();
    await env?.close();
  });

  const start = async (extra: Record<string, string>) => {
    const w = await startWorkerProcess({
      ...platformEnv({ ...env.options, databaseUrl: env.fresh.url, publishDir: env.options.publishDir }),
      ANCHORAGE_REDIS_URL: testRedisUrl(), ANCHORAGE_QUEUE_PREFIX: `t-${randomUUID()}`, ANCHORAGE_METRICS_PORT: 'off', ...extra,
    });
    procs.push(w);
    return w;
  };

  it('runs every thread at nice 10 by default, and says so', async () => {
    const w = await start({});
    const values = threadNiceValues(w.proc.pid!);
    expect(values.length).toBeGreaterThan(4); // the main thread, V8's and libuv's
    expect(new Set(values)).toEqual(new Set([Math.max(10, ours)]));
    expect(w.output()).toContain(`nice ${Math.max(10, ours)}`);
  });

  it('takes another value from ANCHORAGE_WORKER_NICE, and 0 leaves it as started', async () => {
    const low = await start({ ANCHORAGE_WORKER_NICE: '17' });
    expect(new Set(threadNiceValues(low.proc.pid!))).toEqual(new Set([Math.max(17, ours)]));
    const asStarted = await start({ ANCHORAGE_WORKER_NICE: '0' });
    expect(new Set(threadNiceValues(asStarted.proc.pid!))).toEqual(new Set([ours]));
  });
});
