import type { JobsOptions } from 'bullmq';
import { JOBS } from '@anchorage/jobs';

/** BullMQ options of a job from its definition: attempts, exponential backoff (first delay `backoffMs` if given), retention. */
export function jobOptions(name: string, jobId: string, backoffMs?: number): JobsOptions {
  const def = JOBS[name];
  if (!def) throw new Error(`no job definition named ${name}`);
  return {
    jobId,
    attempts: def.attempts,
    backoff: { type: 'exponential', delay: backoffMs ?? def.backoffMs },
    // kept a week after success (a re-added id is then still a no-op) and a month after failure (the console lists them)
    removeOnComplete: { age: 7 * 86400, count: 10_000 },
    removeOnFail: { age: 30 * 86400, count: 10_000 },
  };
}
