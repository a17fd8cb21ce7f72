// Issuance while a large CRL is generated: does generating the CRL stall issuance from the same CA?
// This process issues from the CA, 16 in flight, without pause; a child process (the worker's side)
// generates the CA's CRL of 100k entries, idles as long as that took, and again. Every issuance's
// completion time is compared with the generation windows: the rate inside the windows against the
// rate outside them, in the same run, so load on the shared machine weighs on both alike. Target
// (issue): inside >= 0.8 x outside. pg_stat_activity is sampled meanwhile: an issuance statement
// waiting on a lock shows as wait_event_type 'Lock'; what remains is CPU and WAL flushes (a CRL row of
// several megabytes is WAL that the issuance commits flush behind). How much longer a CRL takes under
// the load than with the machine to itself is reported too, with how long the generation paused to
// leave the machine to issuance (libs/authority crl-pacing.ts, on by default).
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { issueCertificate, type Platform } from '@anchorage/authority';
import { toPem } from '@anchorage/pki';
import { runChild } from './lib/child';
import type { CrlLoopInput, CrlLoopOutput } from './lib/crl-loop-child';
import { makeCsrs } from './lib/csr';
import { createBenchDatabase, insertRevoked } from './lib/db';
import { ISSUANCE_WARMUP, QUICK } from './lib/env';
import { opensslVerifyCrl } from './lib/openssl-ca';
import { sampleWaits, type WaitCounts } from './lib/pg-waits';
import { benchCommunity, benchPlatformOptions, OPERATOR, openPlatform, removeBenchDir, type BenchCommunity } from './lib/platform';
import { Report } from './lib/report';
import { epochMs, fmt, fmtCount, fmtMs, median } from './lib/stats';

const ENTRIES = QUICK ? 20_000 : 100_000;
const ISSUANCES = QUICK ? 1200 : 6000;
const IN_FLIGHT = 16;
const WARMUP = ISSUANCE_WARMUP;
const TARGET = 0.8;
/** Position in the run summary (scripts/bench.sh). */
const ORDER = 10;
/** The issuance statements (libs/db issuance-store.ts): the intent and the completion. */
const ISSUANCE_STATEMENTS = ['WITH issuer AS', 'WITH upd AS'];

/** Issues every CSR, `IN_FLIGHT` at a time; returns each completion's epoch time. */
async function issueAll(p: Platform, c: BenchCommunity, csrs: string[]): Promise<number[]> {
  const done: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < csrs.length) {
      const out = await issueCertificate(p, { organizationId: c.organizationId, profile: 'udap-server', csr: csrs[next++] }, OPERATOR);
      if (out.certificate.status !== 'issued') throw new Error('issuance did not issue');
      done.push(epochMs());
    }
  }));
  return done;
}

/** Completions per second inside and outside `windows`, over [from, to]. */
function ratesAround(done: number[], windows: [number, number][], from: number, to: number): { inside: number; outside: number; insideMs: number } {
  const clipped = windows.map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as const).filter(([a, b]) => b > a);
  const insideMs = clipped.reduce((t, [a, b]) => t + (b - a), 0);
  const inWindow = (t: number) => clipped.some(([a, b]) => t >= a && t < b);
  const within = done.filter((t) => t >= from && t < to);
  const n = within.filter(inWindow).length;
  return { inside: (n * 1000) / insideMs, outside: ((within.length - n) * 1000) / (to - from - insideMs), insideMs };
}

async function main(): Promise<void> {
  const report = new Report(`${ORDER} issuance during CRL generation`);
  const db = await createBenchDatabase('issue_crl');
  const opts = benchPlatformOptions(db.url);
  let p: Platform | null = null;
  try {
    p = await openPlatform(opts);
    const c = await benchCommunity(p, 'issue-crl', 'RSA-2048');
    await insertRevoked(db.url, c.issuing.id, c.organizationId, ENTRIES);
    console.log(`bench: ${fmtCount(ENTRIES)} revoked rows on the issuing CA; making ${WARMUP + ISSUANCES} CSRs`);
    const csrs = await makeCsrs(WARMUP + ISSUANCES, c.sanUri);
    await issueAll(p, c, csrs.slice(0, WARMUP));

    const tag = randomBytes(4).toString('hex');
    const startedFile = join(opts.dir, `crl-loop-${tag}.started`);
    const stopFile = join(opts.dir, `crl-loop-${tag}.stop`);
    const child = runChild<CrlLoopInput, CrlLoopOutput>(
      join(__dirname, 'lib', 'crl-loop-child.ts'), { options: opts, caId: c.issuing.id, startedFile, stopFile }, { timeoutMs: 1_800_000 },
    );
    let failed: Error | null = null;
    child.catch((err: Error) => { failed = err; });
    while (!existsSync(startedFile)) {
      if (failed) throw failed;
      await new Promise((r) => setTimeout(r, 50));
    }
    const sampler = await sampleWaits(db.url, ISSUANCE_STATEMENTS);
    const from = epochMs();
    const done = await issueAll(p, c, csrs.slice(WARMUP));
    const to = epochMs();
    const waits: WaitCounts = await sampler.stop();
    writeFileSync(stopFile, 'stop\n');
    const crls = await child;
    if (crls.entryCount < ENTRIES) throw new Error(`the CRL lists ${crls.entryCount} entries, expected at least ${ENTRIES}`);
    const r = ratesAround(done, crls.windows, from, to);
    if (r.insideMs === 0) throw new Error('no CRL generation overlapped the issuances: nothing was measured');
    const windowsMs = crls.windows.map(([a, b]) => b - a);
    console.log(`bench: ${ISSUANCES} issuances in ${fmtMs(to - from)}; ${crls.windows.length} CRLs generated (${windowsMs.map(fmtMs).join(', ')}); issuance ${fmt(r.inside)} /s during generation, ${fmt(r.outside)} /s between`);

    const ca = (await p.db.cas.find(c.issuing.id))!;
    const crl = (await p.db.crls.latest(ca.id, true))!;
    const issuingPem = join(opts.dir, 'issuing.pem');
    const crlDer = join(opts.dir, 'last.crl');
    writeFileSync(issuingPem, toPem(ca.certificateDer!, 'CERTIFICATE'));
    writeFileSync(crlDer, crl.der!);
    const verify = opensslVerifyCrl(crlDer, issuingPem);

    const share = (n: number) => (waits.samples ? `${fmt((100 * n) / waits.samples, 2)}%` : 'n/a');
    report.add({
      figure: `issuance/s while the CA's ${fmtCount(ENTRIES)}-entry CRL is generated`, value: `${fmt(r.inside)} /s`, baseline: `${fmt(r.outside)} /s between generations`,
      ratio: r.inside / r.outside, target: { op: '>=', limit: TARGET },
      note: `${ISSUANCES} issuances, ${IN_FLIGHT} in flight, in this process; a child process (the worker's side) generated the CRL, then idled as long, ${crls.windows.length} times; issuances completed inside the generation windows (${fmtMs(r.insideMs)} in all) against those between them.`,
    });
    report.add({
      figure: 'issuance statements waiting on a lock while issuing', value: `${waits.byKind.Lock} of ${waits.samples} samples`,
      baseline: '', ratio: null, verdict: waits.samples > 0 && waits.byKind.Lock === 0 ? 'PASS' : waits.samples === 0 ? 'info' : 'MISS',
      note: `pg_stat_activity sampled every 10 ms: the intent and completion statements were on CPU ${share(waits.byKind.cpu)}, waiting for a WAL flush ${share(waits.byKind.WAL)}, on a lock ${share(waits.byKind.Lock)}, on anything else ${share(waits.byKind.other)} of the samples${Object.keys(waits.lockedStatements).length ? `; lock waits in: ${JSON.stringify(waits.lockedStatements)}` : ''}.`,
    });
    const windowTotal = windowsMs.reduce((a, b) => a + b, 0);
    report.add({
      figure: `CRL generation during issuance, ${fmtCount(ENTRIES)} entries (median)`, value: fmtMs(median(windowsMs)), baseline: `${fmtMs(crls.aloneMs)} before the load`, ratio: median(windowsMs) / crls.aloneMs,
      note: `the generating process was on CPU ${fmt((100 * crls.cpuMs) / windowTotal, 2)}% of its generation windows (${availableParallelism()} CPUs on this machine; PostgreSQL's work for the CRL comes on top): that share of the machine is not there for issuance while a CRL is made, whatever the locking. The generations paused ${fmtMs(crls.pausedMs)} in all to leave the machine to issuance (crl-pacing.ts, ANCHORAGE_CRL_PACING_DUTY default); with the machine to itself it paused ${fmtMs(crls.alonePausedMs)}.`,
    });
    report.add({ figure: 'openssl crl -verify, last CRL', value: verify.ok ? 'verify OK' : `FAILED: ${verify.output}`, verdict: verify.ok ? 'PASS' : 'MISS' });
  } finally {
    await p?.close();
    await db.drop();
    removeBenchDir(opts);
  }
  report.finish(ORDER);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
