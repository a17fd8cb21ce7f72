// Benchmark 9: SignerClient.signTbs through the signer process's Unix socket (apps/signer, as deployed:
// a separate process holding the RSA-2048 CA key), 1 and 32 in flight, against raw crypto.sign per
// second with an RSA-2048 key held the same way, measured in the same run. Every call signs another
// lint-clean leaf TBS (a fresh serial), so the signer's checks and serial journal run as in issuance.
// No target set: figures for information, with the CPU each side spends per call.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKeyFile, SignerClient, type SignatureAudit } from '@anchorage/signer';
import { startSignerProcess, type SignerProcess } from '@anchorage/testing';
import { leafTbsFactory } from '../libs/signer/src/testing/test-signer';
import { rawSignRate, signerShapedRsaKey } from './lib/baseline';
import { QUICK } from './lib/env';
import { processCpuMs } from './lib/proc-cpu';
import { Report } from './lib/report';
import { fmt, fmtMs, median, msSince, quantile } from './lib/stats';

const ORDER = 9;
/** Calls per round at each level. */
const SIZES = QUICK ? { one: 300, many: 1200 } : { one: 1000, many: 4000 };
const MANY = 32;
/** Calls before measuring, MANY in flight: the JIT has compiled both sides by then. */
const WARMUP = QUICK ? 500 : 1500;
const BASELINE_MS = QUICK ? 1000 : 2000;
const ROUNDS = 3;

const noAudit: SignatureAudit = { before: async () => undefined, after: async () => undefined };

interface Load { perSecond: number; latencies: number[]; clientCpuMs: number; signerCpuMs: number }

/** Signs every TBS of `tbss` through `client`, `concurrency` in flight; rate, latencies and CPU of both processes. */
async function signAll(client: SignerClient, signerPid: number, keyRef: string, tbss: Uint8Array[], concurrency: number): Promise<Load> {
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const signer0 = processCpuMs(signerPid);
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < tbss.length) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      const signature = await client.signTbs(keyRef, tbss[i], 'sha256WithRSAEncryption', noAudit, { purpose: 'certificate', subject: `bench:${i}`, profile: 'udap-server' });
      if (signature.length !== 256) throw new Error(`an RSA-2048 signature has 256 bytes, got ${signature.length}`);
      latencies.push(msSince(t0));
    }
  }));
  const ms = msSince(start);
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (tbss.length * 1000) / ms, latencies, clientCpuMs: (cpu.user + cpu.system) / 1000, signerCpuMs: processCpuMs(signerPid) - signer0 };
}

interface Round { base: number; one: Load; many: Load }

async function main(): Promise<void> {
  const report = new Report(`${ORDER} signer socket`);
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-bench-signer-'));
  const kekFile = join(dir, 'kek');
  writeFileSync(kekFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  mkdirSync(join(dir, 'keys'));
  let proc: SignerProcess | null = null;
  let client: SignerClient | null = null;
  try {
    proc = await startSignerProcess({ dir, kekFile, keyDir: join(dir, 'keys') });
    const pid = proc.proc.pid!;
    client = await SignerClient.connect({ socketPath: proc.socketPath, token: await loadKeyFile(proc.tokenFile, 'signer token') });
    const ca = await client.generateKey('software', 'RSA-2048', 'bench signer socket');
    const leafTbs = leafTbsFactory(ca.spkiDer);
    const total = WARMUP + ROUNDS * (SIZES.one + SIZES.many);
    const tbss = Array.from({ length: total }, () => leafTbs());
    const tbsBytes = tbss[0].length;
    console.log(`bench ${ORDER}: signer process ${pid}, CA key ${ca.keyRef}; ${total} leaf TBSs of ${tbsBytes} bytes made up front`);
    let offset = 0;
    const take = (n: number) => tbss.slice(offset, (offset += n));
    const warm = await signAll(client, pid, ca.keyRef, take(WARMUP), MANY);
    console.log(`bench ${ORDER}: warm-up ${WARMUP} calls at ${fmt(warm.perSecond)} /s`);

    const key = signerShapedRsaKey(2048);
    // Paired rounds: raw signing right before and after each round's loads, as in issuance.bench.ts.
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const b1 = rawSignRate(key, tbsBytes, BASELINE_MS / 2);
      const one = await signAll(client, pid, ca.keyRef, take(SIZES.one), 1);
      const many = await signAll(client, pid, ca.keyRef, take(SIZES.many), MANY);
      const b2 = rawSignRate(key, tbsBytes, BASELINE_MS / 2);
      rounds.push({ base: (b1 + b2) / 2, one, many });
      console.log(`bench ${ORDER}: round ${r + 1}/${ROUNDS}: raw crypto.sign ${fmt(b1)} / ${fmt(b2)} /s; signTbs 1 in flight ${fmt(one.perSecond)} /s, ${MANY} in flight ${fmt(many.perSecond)} /s; `
        + `CPU per call at ${MANY}: signer ${fmtMs(many.signerCpuMs / SIZES.many)}, client ${fmtMs(many.clientCpuMs / SIZES.many)}`);
    }

    const baseline = median(rounds.map((x) => x.base));
    const base = `${fmt(baseline)} /s crypto.sign`;
    const perSign = 1000 / baseline;
    const rate = (k: 'one' | 'many') => (ROUNDS * SIZES[k] * 1000) / rounds.reduce((s, x) => s + (SIZES[k] * 1000) / x[k].perSecond, 0);
    const cpuPer = (k: 'one' | 'many', side: 'signerCpuMs' | 'clientCpuMs') => rounds.reduce((s, x) => s + x[k][side], 0) / (ROUNDS * SIZES[k]);
    const how = `${ROUNDS} rounds after ${WARMUP} warm-up calls; each call signs a distinct ${tbsBytes}-byte udap-server leaf TBS (the signer lints it, journals its serial, signs and self-checks), no audit hooks; raw crypto.sign (one thread, synchronous, same-size input) measured right before and after each round; measured = all calls / their total time, ratio = median of the per-round ratios. Per round (sign/s, 1 in flight/s, ${MANY} in flight/s): ${rounds.map((x) => `${fmt(x.base)}, ${fmt(x.one.perSecond)}, ${fmt(x.many.perSecond)}`).join('; ')}.`;
    report.add({ figure: `signTbs/s over the socket, ${MANY} in flight (${ROUNDS * SIZES.many})`, value: `${fmt(rate('many'))} /s`, baseline: base, ratio: median(rounds.map((x) => x.many.perSecond / x.base)), note: how });
    report.add({ figure: `signTbs/s over the socket, 1 in flight (${ROUNDS * SIZES.one})`, value: `${fmt(rate('one'))} /s`, baseline: base, ratio: median(rounds.map((x) => x.one.perSecond / x.base)) });
    const one = rounds.flatMap((x) => x.one.latencies);
    report.add({ figure: 'signTbs latency p50 / p99, 1 in flight', value: `${fmtMs(median(one))} / ${fmtMs(quantile(one, 0.99))}`, baseline: `${fmtMs(perSign)} per signature`, ratio: perSign / median(one) });
    for (const k of ['many', 'one'] as const) {
      const level = k === 'many' ? `${MANY} in flight` : '1 in flight';
      report.add({
        figure: `CPU per signTbs, signer process, ${level}`, value: fmtMs(cpuPer(k, 'signerCpuMs')), baseline: `${fmtMs(perSign)} per crypto.sign`, ratio: cpuPer(k, 'signerCpuMs') / perSign,
        ...(k === 'many' ? { note: 'utime+stime from /proc of the signer process (all threads: the RSA signature runs on the libuv pool) and process.cpuUsage() of this process (the client) over each timed load, divided by its calls; ratio = CPU per call / one synchronous crypto.sign' } : {}),
      });
      report.add({ figure: `CPU per signTbs, client, ${level}`, value: fmtMs(cpuPer(k, 'clientCpuMs')), baseline: `${fmtMs(perSign)} per crypto.sign`, ratio: cpuPer(k, 'clientCpuMs') / perSign });
    }
  } finally {
    await client?.close();
    await proc?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  report.finish(ORDER);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
