// Child process of benchmark 3: times generateCrl for one CA and measures the peak RSS growth of
// the first call (a process of its own, so earlier sizes leave nothing behind).
import { writeFileSync } from 'node:fs';
import { generateCrl, openPlatform } from '@anchorage/authority';
import { readCrlInfo } from '@anchorage/pki';
import { childInput, childResult, maxRssMb, RssSampler, rssMb } from './child';
import { OPERATOR, type BenchPlatformOptions } from './platform';
import { msSince } from './stats';

/** What the parent asks for. */
export interface CrlChildInput {
  options: BenchPlatformOptions;
  caId: string;
  /** A CA of the same platform with no entries, used to warm up every code path first. */
  warmCaId: string;
  runs: number;
  derOut: string;
}

/** What the child measured. */
export interface CrlChildOutput {
  ms: number[];
  entryCount: number;
  derBytes: number;
  rssBeforeMb: number;
  sampledPeakMb: number;
  maxRssBeforeMb: number;
  maxRssAfterMb: number;
  /** Peak RSS during the first call minus RSS just before it. */
  growthMb: number;
}

async function main(): Promise<void> {
  const input = childInput<CrlChildInput>();
  const p = await openPlatform(input.options);
  try {
    const ca = await p.db.cas.find(input.caId);
    if (!ca) throw new Error(`CA ${input.caId} not found`);
    await p.signer.publicKey(ca.keyRef); // decrypts and caches the CA key, as a running API would have
    await generateCrl(p, input.warmCaId, OPERATOR); // warms Prisma, pg, the encoder and the signer
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const rssBeforeMb = rssMb();
    const maxRssBeforeMb = maxRssMb();
    const ms: number[] = [];
    const sampler = new RssSampler(10);
    let start = process.hrtime.bigint();
    let outcome = await generateCrl(p, input.caId, OPERATOR);
    ms.push(msSince(start));
    const sampledPeakMb = sampler.stop();
    const maxRssAfterMb = maxRssMb();
    // getrusage's high-water mark only says something when it moved during the call; the sampler
    // covers the rest (both are kernel counters that may lag by a few pages, hence the floor at 0)
    const peak = Math.max(sampledPeakMb, maxRssAfterMb > maxRssBeforeMb ? maxRssAfterMb : 0);
    for (let i = 1; i < input.runs; i++) {
      start = process.hrtime.bigint();
      outcome = await generateCrl(p, input.caId, OPERATOR);
      ms.push(msSince(start));
    }
    const der = outcome.crl.der!;
    writeFileSync(input.derOut, der);
    childResult({
      ms, entryCount: readCrlInfo(der).entryCount, derBytes: der.length, rssBeforeMb, sampledPeakMb, maxRssBeforeMb, maxRssAfterMb,
      growthMb: Math.max(0, peak - rssBeforeMb),
    } satisfies CrlChildOutput);
  } finally {
    await p.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
