// Benchmark 1: in-process issuance per second against raw crypto.sign per second (RSA-2048 CA key).
// Target (issue): issuance/s >= 0.7 x raw signatures/s, sequential and with 4 in flight.
import { issueCertificate, type Platform } from '@anchorage/authority';
import { rawSignRate, rawSignRateAsync, signerShapedRsaKey } from './lib/baseline';
import { createBenchDatabase } from './lib/db';
import { QUICK } from './lib/env';
import { benchCommunity, benchPlatformOptions, OPERATOR, openPlatform, removeBenchDir, type BenchCommunity } from './lib/platform';
import { makeCsrs } from './lib/csr';
import { Report } from './lib/report';
import { fmt, fmtMs, median, msSince, quantile } from './lib/stats';

const N = QUICK ? 100 : 300;
const WARMUP = 10;
const BASELINE_MS = QUICK ? 1000 : 2000;
const ROUNDS = 3;
const TARGET = 0.7;

async function issueAll(p: Platform, c: BenchCommunity, csrs: string[], concurrency: number): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < csrs.length) {
      const csr = csrs[next++];
      const t0 = process.hrtime.bigint();
      const out = await issueCertificate(p, { organizationId: c.organizationId, profile: 'udap-server', csr }, OPERATOR);
      if (!out.created || out.certificate.status !== 'issued') throw new Error('issuance did not create an issued certificate');
      latencies.push(msSince(t0));
    }
  }));
  return { perSecond: (csrs.length * 1000) / msSince(start), latencies };
}

async function main(): Promise<void> {
  const report = new Report('1 in-process issuance');
  const db = await createBenchDatabase('issue');
  const opts = benchPlatformOptions(db.url);
  let p: Platform | null = null;
  try {
    p = await openPlatform(opts);
    const c = await benchCommunity(p, 'issue', 'RSA-2048');
    const per = Math.ceil(N / ROUNDS);
    console.log(`bench 1: community ${c.community.id} (RSA-2048 CA); making ${2 * per * ROUNDS + WARMUP} CSRs up front`);
    const csrs = await makeCsrs(2 * per * ROUNDS + WARMUP, c.sanUri);

    let tbsBytes = 0;
    for (const csr of csrs.slice(0, WARMUP)) {
      const out = await issueCertificate(p, { organizationId: c.organizationId, profile: 'udap-server', csr }, OPERATOR);
      tbsBytes = out.certificate.tbsDer.length;
    }
    const key = signerShapedRsaKey(2048);
    // Paired rounds: each round measures raw signing right before and after its issuances, so a burst
    // of other load on the shared machine hits both sides of that round's ratio.
    const rounds: { base: number; seq: number; par: number; asyncBase: number }[] = [];
    const seqLatencies: number[] = [];
    let seqTotal = 0;
    let parTotal = 0;
    let seqMs = 0;
    let parMs = 0;
    let offset = WARMUP;
    for (let r = 0; r < ROUNDS; r++) {
      const b1 = rawSignRate(key, tbsBytes, BASELINE_MS / 2);
      const seqCsrs = csrs.slice(offset, offset + per);
      const parCsrs = csrs.slice(offset + per, offset + 2 * per);
      offset += 2 * per;
      const seq = await issueAll(p, c, seqCsrs, 1);
      const par = await issueAll(p, c, parCsrs, 4);
      const b2 = rawSignRate(key, tbsBytes, BASELINE_MS / 2);
      const asyncBase = await rawSignRateAsync(key, tbsBytes, BASELINE_MS / 2, 4);
      seqLatencies.push(...seq.latencies);
      seqTotal += seqCsrs.length;
      parTotal += parCsrs.length;
      seqMs += (seqCsrs.length * 1000) / seq.perSecond;
      parMs += (parCsrs.length * 1000) / par.perSecond;
      rounds.push({ base: (b1 + b2) / 2, seq: seq.perSecond, par: par.perSecond, asyncBase });
      console.log(`bench 1: round ${r + 1}/${ROUNDS}: raw crypto.sign ${fmt(b1)} / ${fmt(b2)} /s (${tbsBytes}-byte TBS); issuance sequential ${fmt(seq.perSecond)} /s, 4 in flight ${fmt(par.perSecond)} /s`);
    }
    const baseline = median(rounds.map((x) => x.base));
    const seqRate = (seqTotal * 1000) / seqMs;
    const parRate = (parTotal * 1000) / parMs;
    const base = `${fmt(baseline)} /s crypto.sign`;
    const how = `${ROUNDS} rounds, each with raw crypto.sign measured right before and after its issuances; measured = all issuances / their total time, baseline = median of the rounds, ratio = median of the per-round ratios. Per round (sign/s, seq/s, 4-in-flight/s): ${rounds.map((x) => `${fmt(x.base)}, ${fmt(x.seq)}, ${fmt(x.par)}`).join('; ')}.`;

    report.add({
      figure: `issuance/s, sequential (${seqTotal})`, value: `${fmt(seqRate)} /s`, baseline: base, ratio: median(rounds.map((x) => x.seq / x.base)),
      target: { op: '>=', limit: TARGET }, note: how,
    });
    report.add({
      figure: `issuance/s, 4 in flight (${parTotal})`, value: `${fmt(parRate)} /s`, baseline: base, ratio: median(rounds.map((x) => x.par / x.base)),
      target: { op: '>=', limit: TARGET },
    });
    report.add({
      figure: 'issuance latency p50 / p99, sequential', value: `${fmtMs(median(seqLatencies))} / ${fmtMs(quantile(seqLatencies, 0.99))}`,
      baseline: `${fmtMs(1000 / baseline)} per signature`, ratio: (1000 / baseline) / median(seqLatencies),
    });
    report.add({
      figure: 'issuance/s, 4 in flight vs async crypto.sign x4', value: `${fmt(parRate)} /s`, baseline: `${fmt(median(rounds.map((x) => x.asyncBase)))} /s (thread pool)`,
      ratio: median(rounds.map((x) => x.par / x.asyncBase)),
    });
    await breakdown(p, c, report, tbsBytes, baseline);
  } finally {
    await p?.close();
    await db.drop();
    removeBenchDir(opts);
  }
  report.finish(1);
}

/** Where an issuance's time goes: the signer's audited signature alone, and one audit append alone. */
async function breakdown(p: Platform, c: BenchCommunity, report: Report, tbsBytes: number, baseline: number): Promise<void> {
  const issuing = c.issuing;
  const tbs = new Uint8Array(tbsBytes);
  tbs[0] = 0x30;
  const noAudit = { before: async () => undefined, after: async () => undefined };
  const count = QUICK ? 50 : 150;
  let start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await p.signer.signTbs(issuing.keyRef, tbs, 'sha256WithRSAEncryption', noAudit, { purpose: 'certificate', subject: `bench:${i}` });
  }
  const signerRate = (count * 1000) / msSince(start);
  start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await p.db.appendAudit({ at: new Date(), actor: 'bench', action: 'bench.audit', subjectType: 'bench', subjectId: String(i), data: { i } });
  }
  const auditRate = (count * 1000) / msSince(start);
  report.add({
    figure: 'breakdown: Signer.signTbs (sign + self-check, no audit)', value: `${fmt(signerRate)} /s`, baseline: `${fmt(baseline)} /s crypto.sign`, ratio: signerRate / baseline,
    note: `an issuance makes 2 transactions (intent + signature.before before signing; certificate + signature.after + issued after), each taking the audit chain's advisory lock last; db.appendAudit alone runs at ${fmt(auditRate)} /s (${fmtMs(1000 / auditRate)} each).`,
  });
  report.add({ figure: 'breakdown: db.appendAudit (1 transaction)', value: `${fmt(auditRate)} /s`, baseline: '', ratio: null });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
