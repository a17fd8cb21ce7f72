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
  entryCount: number;
}


async function main(): Promise<void> {
  const input = childInput<CrlLoopInput>();
  const p = await openPlatform(input.options);
  try {
    let out = await generateCrl(p, input.caId, OPERATOR); // warms every path: not counted
    writeFileSync(input.startedFile, 'started\n');
    const windows: [number, number][] = [];
    while (!existsSync(input.stopFile)) {
      const t0 = epochMs();
      out = await generateCrl(p, input.caId, OPERATOR);
      const t1 = epochMs();
      windows.push([t0, t1]);
      await new Promise((r) => setTimeout(r, t1 - t0));
    }
    childResult({ windows, entryCount: out.crl.entryCount } satisfies CrlLoopOutput);
  } finally {
    await p.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
