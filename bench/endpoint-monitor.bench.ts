// Benchmark 11: the endpoint conformance monitor. ~200 member servers on loopback (HTTPS, served by a
// child process so serving costs stay out of the monitor's figures), each a SAN URI of a live
// udap-server certificate with metadata signed by that certificate's key. A monitoring cycle runs the
// way the worker runs it: the conformance-scan job syncs the monitored set and queues one
// conformance-check job per endpoint through the outbox; the worker (in process, real Redis and
// PostgreSQL, 16 checks at a time) fetches each metadata through the outbound guard, checks the
// STU2 fields, verifies signed_metadata with libs/udap (chain, CRLs, claims), looks the signer up
// and records the check. Figures: checks per second over the cycle and CPU per check (this process:
// worker, relay, BullMQ, pg client; PostgreSQL's backends separately), against a baseline measured in
// the same run: per endpoint one raw HTTPS GET of the same bytes (a new TLS connection each, as the
// guard makes) and one crypto.verify of its signed_metadata, 16 at a time. Target: 10k endpoints an
// hour on one worker (2.78 checks/s).
import { generateKeyPair, randomUUID, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCommunity, createOrganization, issueCertificate, scanConformance, type Platform } from '@anchorage/authority';
import { CONFORMANCE_QUEUE, CONFORMANCE_SCAN } from '@anchorage/jobs';
import { loopbackTls, signedMetadataJwt, udapMetadata } from '@anchorage/testing';
import { startWorker, type RunningWorker } from '../apps/worker/src/worker';
import { buildCsr } from './lib/csr';
import { createBenchDatabase } from './lib/db';
import { QUICK, REPO_ROOT, tsNodeArgs } from './lib/env';
import { benchPlatformOptions, OPERATOR, openPlatform, removeBenchDir } from './lib/platform';
import { allPostgresCpuMs } from './lib/proc-cpu';
import { Report } from './lib/report';
import { fmt, fmtMs, median, msSince } from './lib/stats';

const ORDER = 11;
const ENDPOINTS = 200;
const PER_ORG = 50;
const CONCURRENCY = 16;
const ROUNDS = QUICK ? 2 : 5;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://localhost:6379';
/** 10,000 endpoints an hour. */
const TARGET_PER_SECOND = 10_000 / 3600;
const generateKeyPairAsync = promisify(generateKeyPair);

interface Load { perSecond: number; cpuMsPerCheck: number; pgCpuMsPerCheck: number }

/** Starts the metadata server child; resolves with its port. */
function startServerChild(configFile: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, tsNodeArgs(join(REPO_ROOT, 'bench/lib/metadata-server-child.ts')).concat(configFile), { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`metadata server exited with ${code}`)));
  });
}

/** Runs `fn` over `items`, `concurrency` at a time, measuring rate and CPU (this process and PostgreSQL). */
async function measure<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<Load> {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const pg0 = allPostgresCpuMs();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
  const ms = msSince(t0);
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (items.length * 1000) / ms, cpuMsPerCheck: (cpu.user + cpu.system) / 1000 / items.length, pgCpuMsPerCheck: (allPostgresCpuMs() - pg0) / items.length };
}

async function main(): Promise<void> {
  const report = new Report(`${ORDER} endpoint monitor`);
  const db = await createBenchDatabase('monitor');
  const opts = benchPlatformOptions(db.url);
  const tls = loopbackTls(opts.dir);
  const metaDir = join(opts.dir, 'metadata');
  mkdirSync(metaDir);
  const configFile = join(opts.dir, 'server.json');
  writeFileSync(configFile, JSON.stringify({ keyPem: tls.keyPem, certPem: tls.certPem, dir: metaDir }));
  let p: Platform | null = null;
  let w: RunningWorker | null = null;
  let server: ChildProcess | null = null;
  try {
    const started = await startServerChild(configFile);
    server = started.child;
    const base = (i: number) => `https://127.0.0.1:${started.port}/m${i}/r4`;
    p = await openPlatform({ ...opts, endpointCheckInsecure: true, outboundTlsCa: [tls.certPem], conformanceFetch: { timeoutMs: 10_000, maxBytes: 256 * 1024 } });
    const tag = randomUUID().slice(0, 8);
    const c = await createCommunity(p, {
      name: `Bench monitor ${tag}`, uri: `udap://monitor-${tag}.bench.example.org/`, caKeyType: 'RSA-2048', policy: { allowedLeafKeyTypes: ['RSA-2048'], maxLeafValidityDays: 365 },
    }, OPERATOR);
    const keys = await Promise.all(Array.from({ length: 8 }, () => generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })));
    const spkis = keys.map((k) => new Uint8Array(k.publicKey.export({ type: 'spki', format: 'der' })));
    const jwts: { jwt: string; key: KeyObject }[] = [];
    const setupStart = process.hrtime.bigint();
    for (let o = 0; o < ENDPOINTS / PER_ORG; o++) {
      const uris = Array.from({ length: PER_ORG }, (_, j) => base(o * PER_ORG + j));
      const org = await createOrganization(p, { communityId: c.community.id, name: `Bench member ${o}`, sanUris: uris }, OPERATOR);
      for (const [j, uri] of uris.entries()) {
        const k = (o * PER_ORG + j) % keys.length;
        const issued = await issueCertificate(p, { organizationId: org.id, profile: 'udap-server', csr: buildCsr(keys[k].privateKey, spkis[k], `bench-server-${o}-${j}`, uri) }, OPERATOR);
        const jwt = await signedMetadataJwt(uri, { keyPem: keys[k].privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, x5c: [issued.certificate.der!, c.issuing.certificateDer!] });
        writeFileSync(join(metaDir, `m${o * PER_ORG + j}.json`), JSON.stringify(udapMetadata(uri, jwt)));
        jwts.push({ jwt, key: keys[k].publicKey });
      }
    }
    const bytes = JSON.stringify(udapMetadata(base(0), jwts[0].jwt)).length;
    console.log(`bench ${ORDER}: ${ENDPOINTS} endpoints (${ENDPOINTS / PER_ORG} organizations, one udap-server certificate each, metadata ~${bytes} bytes) ready in ${fmtMs(msSince(setupStart))}; server child pid ${server.pid} on port ${started.port}`);

    // baseline: a raw HTTPS GET of the same bytes and one crypto.verify of its signed_metadata
    const urls = Array.from({ length: ENDPOINTS }, (_, i) => ({ url: `${base(i)}/.well-known/udap?community=x`, ...jwts[i] }));
    const rawCheck = (e: (typeof urls)[number]) => new Promise<void>((resolve, reject) => {
      httpsGet(e.url, { agent: false, ca: [tls.certPem] }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          try {
            const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { signed_metadata: string };
            const [h, pl, sig] = m.signed_metadata.split('.');
            if (!cryptoVerify('sha256', Buffer.from(`${h}.${pl}`), e.key, Buffer.from(sig, 'base64url'))) reject(new Error('baseline: signature does not verify'));
            else resolve();
          } catch (err) {
            reject(err as Error);
          }
        });
        res.on('error', reject);
      }).on('error', reject);
    });
    const due = () => p!.db.pool.query("UPDATE conformance_endpoint SET next_due_at = now() - interval '1 second'").then(() => undefined);

    // warm-up: one inline cycle (JIT, CRL cache, connections) and the baseline once
    await measure(urls, CONCURRENCY, rawCheck);
    const warm = await scanConformance(p, { intervalSeconds: 3600, dispatch: { kind: 'inline', concurrency: CONCURRENCY } });
    if (warm.checked !== ENDPOINTS || warm.failing !== 0) throw new Error(`warm-up cycle: ${warm.checked} checked, ${warm.failing} failing (want ${ENDPOINTS}, 0)`);
    const sample = (await p.db.conformance.list({}, 0, 1)).items[0];
    console.log(`bench ${ORDER}: warm-up cycle in process: ${warm.checked} checked, all passing (e.g. ${sample.baseUrl}: ${sample.status})`);

    w = await startWorker(p, { redisUrl: REDIS_URL, crlRefreshSeconds: 600, prefix: `bench-${randomUUID()}`, conformance: { scanSeconds: 3600, concurrency: CONCURRENCY }, caNoticeDays: [] });
    // the worker's startup scan: nothing is due yet (the warm-up took every endpoint for this cycle)
    await new Promise((r) => setTimeout(r, 1000));
    const queue = w.queues.get(CONFORMANCE_QUEUE)!;

    const rounds: { worker: Load; inline: Load; raw: Load; failing: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const raw = await measure(urls, CONCURRENCY, rawCheck);
      // the worker path: the scan job, then one check job per endpoint
      await due();
      const since = new Date();
      const workerLoad = await measure([0], 1, async () => {
        await queue.add(CONFORMANCE_SCAN.name, { reason: 'manual' }, { jobId: `conformance-scan.manual.${r}.${Date.now()}` });
        for (;;) {
          const n = await p!.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM conformance_endpoint WHERE last_checked_at >= $1', [since]);
          if (n.rows[0].n >= ENDPOINTS) break;
          await new Promise((res) => setTimeout(res, 50));
        }
      });
      const worker = { perSecond: workerLoad.perSecond * ENDPOINTS, cpuMsPerCheck: workerLoad.cpuMsPerCheck / ENDPOINTS, pgCpuMsPerCheck: workerLoad.pgCpuMsPerCheck / ENDPOINTS };
      const failing = (await p.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM conformance_endpoint WHERE status <> 'passing'")).rows[0].n;
      // the same checks in one process without the queue (the scan's inline dispatch)
      await due();
      let inlineOut = { checked: 0 };
      const inlineLoad = await measure([0], 1, async () => {
        inlineOut = await scanConformance(p!, { intervalSeconds: 3600, dispatch: { kind: 'inline', concurrency: CONCURRENCY } });
      });
      if (inlineOut.checked !== ENDPOINTS) throw new Error(`inline cycle checked ${inlineOut.checked}`);
      const inline = { perSecond: inlineLoad.perSecond * ENDPOINTS, cpuMsPerCheck: inlineLoad.cpuMsPerCheck / ENDPOINTS, pgCpuMsPerCheck: inlineLoad.pgCpuMsPerCheck / ENDPOINTS };
      rounds.push({ worker, inline, raw, failing });
      console.log(`bench ${ORDER}: round ${r + 1}/${ROUNDS}: worker ${fmt(worker.perSecond)} checks/s, ${fmtMs(worker.cpuMsPerCheck)} CPU/check (+${fmtMs(worker.pgCpuMsPerCheck)} PostgreSQL); `
        + `in process ${fmt(inline.perSecond)} /s, ${fmtMs(inline.cpuMsPerCheck)}; raw GET + verify ${fmt(raw.perSecond)} /s, ${fmtMs(raw.cpuMsPerCheck)}; not passing: ${failing}`);
    }
    const med = (f: (x: (typeof rounds)[number]) => number) => median(rounds.map(f));
    const workerRate = med((x) => x.worker.perSecond);
    const rawRate = med((x) => x.raw.perSecond);
    const workerCpu = med((x) => x.worker.cpuMsPerCheck);
    const rawCpu = med((x) => x.raw.cpuMsPerCheck);
    const pgCpu = med((x) => x.worker.pgCpuMsPerCheck);
    const inlineRate = med((x) => x.inline.perSecond);
    const inlineCpu = med((x) => x.inline.cpuMsPerCheck);
    const baseline = `${fmt(rawRate)} /s: raw HTTPS GET of the same bytes + one crypto.verify, ${CONCURRENCY} at a time`;
    report.add({
      figure: `monitoring cycle through the worker, ${ENDPOINTS} endpoints, ${CONCURRENCY} at a time`, value: `${fmt(workerRate)} checks/s`, numeric: workerRate,
      baseline, ratio: workerRate / rawRate, target: { op: '>=', limit: Number(TARGET_PER_SECOND.toFixed(2)), on: 'value', unit: 'checks/s (10k/hour)' },
      note: `median of ${ROUNDS} rounds, from adding the conformance-scan job to the last endpoint recorded: sync, lease and outbox (one transaction per 500), relay, BullMQ, and per endpoint the guarded HTTPS fetch (new connection), STU2 fields, libs/udap verification (JWS, path, CRLs of 2 levels, claims), signer lookup and the recording transaction.`,
    });
    report.add({
      figure: 'CPU per check, worker process', value: fmtMs(workerCpu), baseline: `${fmtMs(rawCpu)} per raw GET + verify`, ratio: workerCpu / rawCpu,
      note: `process.cpuUsage() of this process over the cycle / endpoints (the worker's relay, sequencer and BullMQ included; the metadata server is another process). One core at this cost checks ${fmt(1000 / workerCpu)} endpoints/s, ${fmt((3600 * 1000) / workerCpu / 1000)}k an hour.`,
    });
    report.add({ figure: 'PostgreSQL CPU per check (all backends)', value: fmtMs(pgCpu), note: 'utime+stime of every postgres process over the cycle / endpoints.' });
    report.add({ figure: `cycle in process (scan's inline dispatch), ${CONCURRENCY} at a time`, value: `${fmt(inlineRate)} checks/s`, baseline, ratio: inlineRate / rawRate, note: `${fmtMs(inlineCpu)} CPU per check in this process.` });
    const notPassing = Math.max(...rounds.map((x) => x.failing));
    report.add({ figure: 'endpoints passing after each cycle', value: `${ENDPOINTS - notPassing}/${ENDPOINTS}`, verdict: notPassing === 0 ? 'PASS' : 'MISS' });
  } finally {
    if (w) {
      for (const q of w.queues.values()) await q.obliterate({ force: true }).catch(() => undefined);
      await w.close();
    }
    await p?.close();
    server?.stdin?.end();
    server?.kill();
    await db.drop();
    removeBenchDir(opts);
  }
  report.finish(ORDER);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
