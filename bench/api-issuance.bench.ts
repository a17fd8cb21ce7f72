// Benchmark 2: end-to-end issuance through the HTTP API (POST /api/v1/certificates, 64 in flight
// as under bulk onboarding, load from a separate process) against raw crypto.sign per second.
// Target (issue): >= 0.5.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiToken, type Platform } from '@anchorage/authority';
import { startServer, type RunningServer } from '../apps/api/src/server';
import { rawSignRate, signerShapedRsaKey } from './lib/baseline';
import { createBenchDatabase } from './lib/db';
import { ISSUANCE_WARMUP, QUICK } from './lib/env';
import { runLoad } from './lib/load';
import { benchCommunity, benchPlatformOptions, OPERATOR, openPlatform, removeBenchDir } from './lib/platform';
import { makeCsrs } from './lib/csr';
import { Report } from './lib/report';
import { fmt, fmtMs, median, quantile } from './lib/stats';

const N = QUICK ? 600 : 1800;
/** Requests before measuring, so the JIT has compiled the request path (a CA server runs for months; lib/env.ts). */
const WARMUP = ISSUANCE_WARMUP;
const CONCURRENCY = 64;
const BASELINE_MS = QUICK ? 1000 : 2000;
const ROUNDS = 3;
const TARGET = 0.5;

async function main(): Promise<void> {
  const report = new Report('2 HTTP API issuance');
  const db = await createBenchDatabase('api');
  const opts = benchPlatformOptions(db.url);
  let p: Platform | null = null;
  let srv: RunningServer | null = null;
  try {
    p = await openPlatform(opts);
    const c = await benchCommunity(p, 'api', 'RSA-2048');
    const { token } = await createApiToken(p, 'bench', OPERATOR);
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false });
    const port = Number(new URL(srv.url).port);
    const per = Math.ceil(N / ROUNDS);
    console.log(`bench 2: API on ${srv.url}; making ${per * ROUNDS + WARMUP} CSRs up front`);
    const csrs = await makeCsrs(per * ROUNDS + WARMUP, c.sanUri);
    const body = (csr: string) => JSON.stringify({ organizationId: c.organizationId, profile: 'udap-server', csr });
    const headers = { authorization: `Bearer ${token}` };

    const warmFile = join(opts.dir, 'bodies-warm-up.json');
    writeFileSync(warmFile, JSON.stringify(csrs.slice(0, WARMUP).map(body)));
    const warm = await runLoad({
      mode: 'post', host: '127.0.0.1', port, path: '/api/v1/certificates', headers, bodiesFile: warmFile, concurrency: 16, expectStatus: 201, timeoutMs: 300_000,
    });
    if ((warm.statuses['201'] ?? 0) !== WARMUP) throw new Error(`warm-up: expected ${WARMUP} answers 201, got ${JSON.stringify(warm.statuses)}: ${warm.errors.join(' | ')}`);
    const tbsBytes = (await p.db.certificates.list({ organizationId: c.organizationId }, 0, 1)).items[0].tbsDer.length;
    const key = signerShapedRsaKey(2048);
    // Paired rounds: raw signing measured right before and after each round's load (see bench 1).
    const rounds: { base: number; rps: number }[] = [];
    const latencies: number[] = [];
    let loadCpuMs = 0;
    let total = 0;
    let totalMs = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const bodiesFile = join(opts.dir, `bodies-${r}.json`);
      const slice = csrs.slice(WARMUP + r * per, WARMUP + (r + 1) * per);
      writeFileSync(bodiesFile, JSON.stringify(slice.map(body)));
      const before = rawSignRate(key, tbsBytes, BASELINE_MS / 2);
      const load = await runLoad({
        mode: 'post', host: '127.0.0.1', port, path: '/api/v1/certificates', headers, bodiesFile, concurrency: CONCURRENCY,
        expectStatus: 201, timeoutMs: 300_000,
      });
      const after = rawSignRate(key, tbsBytes, BASELINE_MS / 2);
      if ((load.statuses['201'] ?? 0) !== slice.length) throw new Error(`expected ${slice.length} answers 201, got ${JSON.stringify(load.statuses)}: ${load.errors.join(' | ')}`);
      latencies.push(...load.latenciesMs);
      loadCpuMs += load.cpuMs ?? 0;
      total += slice.length;
      totalMs += load.ms;
      rounds.push({ base: (before + after) / 2, rps: load.rps });
      console.log(`bench 2: round ${r + 1}/${ROUNDS}: raw crypto.sign ${fmt(before)} / ${fmt(after)} /s; ${fmt(load.rps)} issuances/s over HTTP`);
    }
    const baseline = median(rounds.map((x) => x.base));
    const rps = (total * 1000) / totalMs;

    report.add({
      figure: `POST /api/v1/certificates/s, ${CONCURRENCY} in flight (${total})`, value: `${fmt(rps)} /s`, baseline: `${fmt(baseline)} /s crypto.sign`,
      ratio: median(rounds.map((x) => x.rps / x.base)), target: { op: '>=', limit: TARGET },
      note: `${ROUNDS} rounds after ${WARMUP} warm-up requests, raw crypto.sign measured right before and after each; ratio = median of the per-round ratios (sign/s, HTTP issuances/s per round: ${rounds.map((x) => `${fmt(x.base)}, ${fmt(x.rps)}`).join('; ')}). Load generator: separate process, raw HTTP/1.1 on keep-alive sockets with every request serialized up front; the API token is checked (and its last use written) on every request.`,
    });
    report.add({
      figure: 'load generator CPU per request (same machine)', value: fmtMs(loadCpuMs / total), baseline: `${fmtMs(1000 / baseline)} per signature`,
      ratio: null, note: 'the client process runs on the same two cores as the server and PostgreSQL; on a real deployment the clients are elsewhere',
    });
    report.add({
      figure: 'HTTP issuance latency p50 / p99', value: `${fmtMs(median(latencies))} / ${fmtMs(quantile(latencies, 0.99))}`,
      baseline: `${fmtMs(1000 / baseline)} per signature`, ratio: (1000 / baseline) / median(latencies),
    });
  } finally {
    await srv?.close();
    await p?.close();
    await db.drop();
    removeBenchDir(opts);
  }
  report.finish(2);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
