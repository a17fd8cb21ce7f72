import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Runs this whole process at nice value `nice` (0-19): the worker's jobs are background work, and
 * at a lower priority a large CRL or a bulk revocation takes the CPU only when the API and the signer
 * leave it idle, so issuance is not stalled by them (bench/issuance-during-crl.bench.ts).
 *
 * Linux keeps a nice value per thread and a new thread takes its creator's: every thread that exists
 * now (/proc/self/task: the main thread, V8's and libuv's) is set, and the ones started later inherit
 * it. Elsewhere only the process is set. 0 changes nothing; raising priority back needs privileges,
 * so this is done once, at start. Returns the nice value of the main thread afterwards.
 */
export function lowerProcessPriority(nice: number): number {
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new RangeError(`nice value ${nice} is not 0 to 19`);
  if (nice === 0) return getPriority(0);
  let threads: number[] = [];
  try {
    threads = readdirSync('/proc/self/task').map(Number).filter((t) => Number.isInteger(t) && t > 0);
  } catch {
    threads = [];
  }
  if (threads.length === 0) setPriority(0, nice);
  for (const tid of threads) {
    // a thread that ended meanwhile has nothing to set
    try {
      if (getPriority(tid) < nice) setPriority(tid, nice);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  return getPriority(0);
}
