// Child process of the issuance-during-CRL benchmark: the worker's side. From the moment it writes
// `startedFile` until `stopFile` appears, generates one CA's CRL, then idles as long as that took,
// and again; reports when each generation ran (epoch milliseconds, the clock both processes share).
import { existsSync, writeFileSync } from 'node:fs';
import { generateCrl, openPlatform } from '@anchorage/authority';
import { childInput, childResult } from './child';
import { OPERATOR, type BenchPlatformOptions } from './platform';
import { epochMs } from './stats';

/** What the parent asks for. */
export interface CrlLoopInput {
  options: BenchPlatformOptions;
  caId: string;
  startedFile: string;
  stopFile: string;
}

/** What the child did. */
export interface CrlLoopOutput {
  /** Each generation's [start, end], epoch milliseconds. */
  windows: [number, number][];
  /** CPU time this process spent in the generations (user + system, ms). */
  cpuMs: number;
  entryCount: number;
  /** A warm generation's duration before the issuance load began (ms). */
  aloneMs: number;
  /** Time the generations during the load paused for it (crl-pacing.ts), in all (ms). */
  pausedMs: number;
  /** Time the generation before the load paused (ms; 0 on a quiet machine). */
  alonePausedMs: number;
}


async function main(): Promise<void> {
  const input = childInput<CrlLoopInput>();
  const p = await openPlatform(input.options);
  try {
    // warms every path, not counted; the second is timed, as the generation with the machine to itself
    await generateCrl(p, input.caId, OPERATOR);
    const alone0 = epochMs();
    let out = await generateCrl(p, input.caId, OPERATOR);
    const aloneMs = epochMs() - alone0;
    const alonePausedMs = out.pausedMs;
    writeFileSync(input.startedFile, 'started\n');
    const windows: [number, number][] = [];
    let cpuMs = 0;
    let pausedMs = 0;
    while (!existsSync(input.stopFile)) {
      const t0 = epochMs();
      const cpu0 = process.cpuUsage();
      out = await generateCrl(p, input.caId, OPERATOR);
      const cpu = process.cpuUsage(cpu0);
      cpuMs += (cpu.user + cpu.system) / 1000;
      pausedMs += out.pausedMs;
      const t1 = epochMs();
      windows.push([t0, t1]);
      await new Promise((r) => setTimeout(r, t1 - t0));
    }
    childResult({ windows, cpuMs, entryCount: out.crl.entryCount, aloneMs, pausedMs, alonePausedMs } satisfies CrlLoopOutput);
  } finally {
    await p.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
