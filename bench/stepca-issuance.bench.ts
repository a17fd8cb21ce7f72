// Benchmark 8: HTTP issuance side by side with step-ca, one run, one server at a time.
//   platform  POST /api/v1/certificates on the real API entry point (apps/api/src/main.ts) with
//             ANCHORAGE_API_PROCESSES = BENCH_API_PROCESSES (default 1: on two cores, where PostgreSQL,
//             the signer and the load generator share the machine, a second API process measured
//             slower, 0.61 vs 0.62x step-ca), the CA key in the signer process, API token
//             checked on every request; PostgreSQL on this machine, over its Unix socket unless
//             BENCH_PG_TCP=1, as a single-host deployment connects; the audit sequencer linking
//             every audit row into the hash chain as it commits, as the worker does
//   step-ca   POST /1.0/sign, step-ca 0.19.0 built from Debian's Go sources (scripts/build-step-ca.sh),
//             JWK provisioner with one-time tokens minted before the clock starts, badger v2 database
// Both sign with the SAME RSA-2048 issuing key (the platform community's, exported to step-ca), get the
// SAME CSRs and the SAME load generator (bench/lib/load-worker.ts in its own process; TLS to step-ca,
// which serves nothing else, handshakes done before the clock), at 1 and 64 requests in flight.
// Baseline: raw crypto.sign with that key on one thread, right before and after every load.
// Targets (printed, never failing the run): platform/step-ca requests/s >= 1.0 at 64 and at 1 in
// flight; platform p99 at 64 in flight <= step-ca's.
// The verdicts take the median of paired rounds: each round loads both servers back to back (who goes
// first alternates), and its ratio divides the two rates, each normalized by crypto.sign measured around
// it. On a shared, drifting machine one pair can land 15% either way; the median of five shrugs off
// the odd disturbed pair, and the range printed beside it says how far the pairs spread.
// Env: BENCH_STEPCA_REQUESTS (per round, server and level; default 1200 at 64 in flight and 400 at 1,
// a third of that quick), BENCH_STEPCA_ROUNDS (5; 3 quick), BENCH_STEPCA_LEVELS (64,1).
import { createPrivateKey, createPublicKey, createSecretKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { AuditSequencer, createApiToken, PublicUrls, type Platform } from '@anchorage/authority';
import { loadKekFile } from '@anchorage/signer';
import { startApiProcess, startSignerProcess, type ApiProcess, type SignerProcess } from '@anchorage/testing';
import { keyFilePath, parseKeyFile, unsealKeyFile } from '../libs/signer/src/key-file';
import { parseSoftKeyRef } from '../libs/signer/src/key-ref';
import { rawSignRate } from './lib/baseline';
import { createBenchDatabase, localSocketUrl, withClient, type BenchDatabase } from './lib/db';
import { ADMIN_URL, ISSUANCE_WARMUP, QUICK, REPO_ROOT } from './lib/env';
import { runLoad, type LoadResult, type PostLoad } from './lib/load';
import { benchCommunity, benchPlatformOptions, OPERATOR, openPlatform, removeBenchDir, type BenchPlatformOptions } from './lib/platform';
import { makeCsrs } from './lib/csr';
import { allPostgresCpuMs, busyShare, cpuByPid, cpuDeltaMs, machineTimes, processCpuMs, processTree } from './lib/proc-cpu';
import { Report } from './lib/report';
import { freePort, startStepCa, STEP_CA_BIN, STEP_CA_DB, writeStepCaConfig, type RunningStepCa, type StepCaSetup } from './lib/step-ca';
import { fmt, fmtMs, median, quantile } from './lib/stats';

/** Requests of one server's load at `level` in flight in one round: about 1.5-2 s of load each on two cores. */
const requestsPerLoad = (level: number): number => {
  if (process.env.BENCH_STEPCA_REQUESTS) return Number(process.env.BENCH_STEPCA_REQUESTS);
  const n = level === 1 ? 400 : 1200;
  return QUICK ? Math.ceil(n / 3) : n;
};
const ROUNDS = Number(process.env.BENCH_STEPCA_ROUNDS ?? (QUICK ? 3 : 5));
/** Requests in flight, each level measured for both servers (BENCH_STEPCA_LEVELS, e.g. "1" to profile one level). */
const LEVELS = (process.env.BENCH_STEPCA_LEVELS ?? '64,1').split(',').map(Number);
/** API processes sharing the platform's address (ANCHORAGE_API_PROCESSES). */
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 1);
/** Requests before measuring, 16 in flight, for each server (JIT warm, pools open, badger tables mapped; lib/env.ts). */
const WARMUP = ISSUANCE_WARMUP;
const BASELINE_MS = QUICK ? 500 : 1000;
const LEAF_VALIDITY_DAYS = 365;
const ORDER = 8;

type Peer = 'platform' | 'step-ca';

/** One timed load with what was read around it. */
interface Sample {
  peer: Peer;
  level: number;
  round: number;
  load: LoadResult;
  /** crypto.sign/s right before and right after the load. */
  signBefore: number;
  signAfter: number;
  /** CPU ms over the load: the API processes (the cluster's primary and its processes), our database's PostgreSQL backends, every postgres process, step-ca, the load generator, the audit sequencer (this process). */
  cpu: { api: number; signer: number; pgBackends: number; pgAll: number; stepCa: number; loadGen: number; sequencer: number };
  busy: number;
}

/** Waits until the audit sequencer has linked every committed audit row (at most 30 s). */
async function allLinked(p: Platform): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
    if ((await p.db.audit.unlinked(0)).count === 0) return;
  }
  throw new Error('the audit sequencer left rows unlinked for 30 s');
}

/** The platform's issuing key, read from its software key store the way SoftwareKeyBackend reads it. */
async function exportIssuingKey(opts: BenchPlatformOptions, keyRef: string, spkiDer: Uint8Array): Promise<KeyObject> {
  const keyId = parseSoftKeyRef(keyRef);
  const path = keyFilePath(opts.keyDir, keyId);
  const file = parseKeyFile(readFileSync(path, 'utf8'), keyId, path);
  const pkcs8 = unsealKeyFile(createSecretKey(await loadKekFile(opts.kekFile!)), file);
  try {
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    if (!createPublicKey(key).export({ type: 'spki', format: 'der' }).equals(Buffer.from(spkiDer))) {
      throw new Error('exported issuing key does not match the issuing CA certificate');
    }
    return key;
  } finally {
    pkcs8.fill(0);
  }
}

/** pids of the PostgreSQL backends serving `database` (read between loads). */
async function backendPids(database: string): Promise<number[]> {
  return withClient(ADMIN_URL, async (c) =>
    (await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database])).rows.map((r) => Number(r.pid)));
}

async function postgresDurability(): Promise<string> {
  return withClient(ADMIN_URL, async (c) => {
    const get = async (name: string) => (await c.query<{ v: string }>(`SELECT current_setting('${name}') AS v`)).rows[0].v;
    return `fsync=${await get('fsync')}, synchronous_commit=${await get('synchronous_commit')}`;
  });
}

/** File system type under `dir` (where step-ca's database lives: a tmpfs would make its fsyncs free). */
function fsType(dir: string): string {
  try {
    return execFileSync('findmnt', ['-n', '-o', 'FSTYPE', '-T', dir], { encoding: 'utf8' }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * One issuance through step-ca outside any timing, checked: the leaf is signed by the platform's issuing
 * CA (same key, same certificate) and carries the SAN URI and the profile's extensions.
 */
async function checkStepCaLeaf(setup: StepCaSetup, csr: string, cn: string, sanUri: string, issuingDer: Uint8Array): Promise<string> {
  const body = JSON.stringify({ csr, ott: setup.mint(cn, [sanUri]) });
  const text = await new Promise<string>((resolve, reject) => {
    const req = httpsRequest({
      host: '127.0.0.1', port: setup.port, path: '/1.0/sign', method: 'POST', servername: 'localhost', ca: readFileSync(setup.rootFile),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      let out = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (out += d));
      res.on('end', () => (res.statusCode === 201 ? resolve(out) : reject(new Error(`step-ca answered ${res.statusCode}: ${out.slice(0, 300)}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
  const leaf = new X509Certificate((JSON.parse(text) as { crt: string }).crt);
  const issuing = new X509Certificate(Buffer.from(issuingDer));
  if (!leaf.checkIssued(issuing) || !leaf.verify(issuing.publicKey)) throw new Error('step-ca leaf is not signed by the platform issuing CA');
  if (!(leaf.subjectAltName ?? '').includes(sanUri)) throw new Error(`step-ca leaf lacks SAN ${sanUri}: ${leaf.subjectAltName}`);
  if (leaf.ca) throw new Error('step-ca leaf is a CA certificate');
  return `${leaf.subject.replace(/\n/g, ', ')}, ${leaf.subjectAltName}, signed by ${issuing.subject.replace(/\n/g, ', ')}`;
}


function skip(reason: string): void {
  console.log(`bench ${ORDER}: step-ca peer SKIPPED: ${reason}`);
  const report = new Report(`${ORDER} issuance vs step-ca`);
  report.add({ figure: 'HTTP issuance, platform vs step-ca', value: '', verdict: 'skipped', note: reason });
  report.finish(ORDER);
}

async function main(): Promise<void> {
  if (process.env.BENCH_STEPCA_SKIP) return skip(process.env.BENCH_STEPCA_SKIP);
  try {
    execFileSync(STEP_CA_BIN, ['--version'], { stdio: 'ignore' });
  } catch {
    return skip(`no runnable step-ca at ${STEP_CA_BIN}; build it with bash scripts/build-step-ca.sh (Debian packages golang-go and golang-github-smallstep-certificates-dev)`);
  }
  const report = new Report(`${ORDER} issuance vs step-ca`);
  let db: BenchDatabase | null = null;
  let opts: BenchPlatformOptions | null = null;
  let p: Platform | null = null;
  let api: ApiProcess | null = null;
  let step: RunningStepCa | null = null;
  let pgTransport = '';
  let signerProc!: SignerProcess;
  let sequencer: AuditSequencer | null = null;
  mkdirSync(join(REPO_ROOT, 'bench', '.peers'), { recursive: true });
  const stepDir = mkdtempSync(join(REPO_ROOT, 'bench', '.peers', 'run-'));
  try {
    db = await createBenchDatabase('stepca');
    const pg = localSocketUrl(db.url);
    pgTransport = pg.transport;
    opts = benchPlatformOptions(pg.url);
    p = await openPlatform(opts);
    const c = await benchCommunity(p, 'stepca', 'RSA-2048');
    const { token } = await createApiToken(p, 'bench', OPERATOR);
    await p.close();
    // as deployed: the CA keys in the signer process, reached over its socket
    signerProc = await startSignerProcess({ dir: opts.dir, kekFile: opts.kekFile!, keyDir: opts.keyDir });
    p = await openPlatform({ ...opts, kekFile: null, signer: { socketPath: signerProc.socketPath, tokenFile: signerProc.tokenFile } });
    // as deployed, the audit sequencer links every audit row into the hash chain shortly after it
    // commits (the worker runs it; here this process, on its own connections to the same database):
    // its work and its PostgreSQL backend's are part of the platform's cost per issuance
    sequencer = new AuditSequencer(p);
    sequencer.start();
    const webKeyFile = join(opts.dir, 'web-key');
    writeFileSync(webKeyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    api = await startApiProcess({
      ANCHORAGE_DATABASE_URL: pg.url, ANCHORAGE_PUBLIC_BASE_URL: opts.publicBaseUrl, ANCHORAGE_PUBLISH_DIR: opts.publishDir!, ANCHORAGE_WEB_KEY_FILE: webKeyFile,
      ANCHORAGE_HOST: '127.0.0.1', ANCHORAGE_PORT: '0', ANCHORAGE_API_PROCESSES: String(API_PROCESSES), ...signerProc.clientEnv,
    });
    const apiPort = Number(new URL(api.url).port);
    const listening = () => (api!.output().match(/listening on/g) ?? []).length;
    for (const deadline = Date.now() + 60_000; listening() < API_PROCESSES && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    if (listening() < API_PROCESSES) throw new Error(`only ${listening()} of ${API_PROCESSES} API processes started: ${api.output()}`);
    const apiPids = processTree(api.proc.pid!);

    const issuingKey = await exportIssuingKey(opts, c.issuing.keyRef, c.issuing.spkiDer);
    if (!c.root.certificateDer || !c.issuing.certificateDer) throw new Error('the community has no root or issuing CA certificate');
    const urls = new PublicUrls(opts.publicBaseUrl);
    const setup: StepCaSetup = writeStepCaConfig({
      dir: stepDir, port: await freePort(), rootDer: c.root.certificateDer, issuingDer: c.issuing.certificateDer, issuingKey,
      crlUrl: urls.crl(c.issuing.id), caIssuersUrl: urls.caCertificate(c.issuing.id), leafValidityHours: LEAF_VALIDITY_DAYS * 24,
    });
    step = await startStepCa(setup);
    const stepVersion = execFileSync(STEP_CA_BIN, ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
    const pgDurability = await postgresDurability();
    console.log(`bench ${ORDER}: platform API on ${api.url} (${API_PROCESSES} process${API_PROCESSES > 1 ? 'es' : ''}, pids ${apiPids.join(', ')}); ${stepVersion} on https://127.0.0.1:${setup.port} (pid ${step.pid}, db ${STEP_CA_DB} in ${setup.dbDir}, ${fsType(stepDir)}); PostgreSQL ${pgDurability} over ${pgTransport}`);

    const total = WARMUP + ROUNDS * LEVELS.reduce((a, level) => a + requestsPerLoad(level), 0) + 1; // the last one is for the leaf check
    console.log(`bench ${ORDER}: making ${total} CSRs up front (the same ones go to both servers)`);
    const csrs = await makeCsrs(total, c.sanUri);
    const cnOf = (i: number) => `bench-leaf-${i}`; // makeCsrs names subject i this way

    const platformLoad = (bodiesFile: string, concurrency: number): PostLoad => ({
      mode: 'post', host: '127.0.0.1', port: apiPort, path: '/api/v1/certificates', headers: { authorization: `Bearer ${token}` },
      bodiesFile, concurrency, expectStatus: 201, timeoutMs: 600_000,
    });
    const stepLoad = (bodiesFile: string, concurrency: number): PostLoad => ({
      mode: 'post', host: '127.0.0.1', port: setup.port, path: '/1.0/sign', headers: {}, bodiesFile, concurrency, expectStatus: 201,
      timeoutMs: 600_000, tls: { caFile: setup.rootFile, servername: 'localhost' },
    });
    /** Request bodies for CSRs [from, to): step-ca tokens are minted here, before any clock starts. */
    const writeBodies = (peer: Peer, from: number, to: number, tag: string): string => {
      const file = join(opts!.dir, `bodies-${peer}-${tag}.json`);
      const bodies = csrs.slice(from, to).map((csr, k) => (peer === 'platform'
        ? JSON.stringify({ organizationId: c.organizationId, profile: 'udap-server', csr })
        : JSON.stringify({ csr, ott: setup.mint(cnOf(from + k), [c.sanUri]) })));
      writeFileSync(file, JSON.stringify(bodies));
      return file;
    };
    const check = (what: string, r: LoadResult, n: number) => {
      if ((r.statuses['201'] ?? 0) !== n) throw new Error(`${what}: expected ${n} answers 201, got ${JSON.stringify(r.statuses)}: ${r.errors.join(' | ')}`);
    };

    for (const peer of ['platform', 'step-ca'] as const) {
      const file = writeBodies(peer, 0, WARMUP, 'warm-up');
      const r = await runLoad(peer === 'platform' ? platformLoad(file, 16) : stepLoad(file, 16));
      check(`${peer} warm-up`, r, WARMUP);
      console.log(`bench ${ORDER}: ${peer} warm-up: ${WARMUP} issuances, ${fmt(r.rps)} /s at 16 in flight`);
    }
    const leafInfo = await checkStepCaLeaf(setup, csrs[total - 1], cnOf(total - 1), c.sanUri, c.issuing.certificateDer);
    console.log(`bench ${ORDER}: step-ca leaf checked: ${leafInfo}`);
    const tbsBytes = (await p.db.certificates.list({ organizationId: c.organizationId }, 0, 1)).items[0].tbsDer.length;

    const samples: Sample[] = [];
    let off = WARMUP;
    let lastSign: number | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [li, level] of LEVELS.entries()) {
        const from = off;
        const to = off + requestsPerLoad(level);
        off = to;
        // who goes first alternates by round and level, so drift in the machine's load hits both alike
        const order: Peer[] = (round + li) % 2 === 0 ? ['platform', 'step-ca'] : ['step-ca', 'platform'];
        for (const peer of order) {
          const file = writeBodies(peer, from, to, `r${round}-c${level}`);
          // the reading right after a load is the one right before the next (nothing runs in between)
          const signBefore = lastSign ?? rawSignRate(issuingKey, tbsBytes, BASELINE_MS);
          const pids = await backendPids(db.name);
          const pg0 = cpuByPid(pids);
          const pgAll0 = allPostgresCpuMs();
          const step0 = processCpuMs(step.pid);
          const signer0 = processCpuMs(signerProc.proc.pid!);
          const m0 = machineTimes();
          const api0 = cpuByPid(apiPids);
          const seq0 = process.cpuUsage();
          const load = await runLoad(peer === 'platform' ? platformLoad(file, level) : stepLoad(file, level));
          // the rows of the load's last sequencer interval: linked before the CPU is read, so each load's
          // linking is counted in its own window (and never in the next server's)
          if (peer === 'platform') await allLinked(p);
          const seq1 = process.cpuUsage(seq0);
          const api1 = cpuByPid(apiPids);
          const m1 = machineTimes();
          const step1 = processCpuMs(step.pid);
          const signer1 = processCpuMs(signerProc.proc.pid!);
          const pgAll1 = allPostgresCpuMs();
          const pg1 = cpuByPid([...new Set([...pids, ...(await backendPids(db.name))])]);
          const signAfter = rawSignRate(issuingKey, tbsBytes, BASELINE_MS);
          lastSign = signAfter;
          check(`${peer} round ${round + 1}, ${level} in flight`, load, to - from);
          rmSync(file, { force: true });
          const s: Sample = {
            peer, level, round, load, signBefore, signAfter, busy: busyShare(m0, m1),
            cpu: {
              api: cpuDeltaMs(api0, api1), signer: signer1 - signer0, pgBackends: cpuDeltaMs(pg0, pg1), pgAll: pgAll1 - pgAll0, stepCa: step1 - step0, loadGen: load.cpuMs ?? 0,
              sequencer: peer === 'platform' ? (seq1.user + seq1.system) / 1000 : 0,
            },
          };
          samples.push(s);
          const n = to - from;
          console.log(`bench ${ORDER}: round ${round + 1}/${ROUNDS} ${peer} ${level} in flight: ${fmt(load.rps)} /s, p50 ${fmtMs(median(load.latenciesMs))}, p99 ${fmtMs(quantile(load.latenciesMs, 0.99))}; `
            + `crypto.sign ${fmt(signBefore)} / ${fmt(signAfter)} /s; CPU per issuance: ${peer === 'platform' ? `API ${fmtMs(s.cpu.api / n)}, signer ${fmtMs(s.cpu.signer / n)}, PostgreSQL backends ${fmtMs(s.cpu.pgBackends / n)}, audit sequencer ${fmtMs(s.cpu.sequencer / n)}` : `step-ca ${fmtMs(s.cpu.stepCa / n)}`}, `
            + `all postgres ${fmtMs(s.cpu.pgAll / n)}, load generator ${fmtMs(s.cpu.loadGen / n)}; machine ${fmt(s.busy * 100)}% busy`);
        }
      }
    }

    // ---- figures
    const base = (s: Sample) => (s.signBefore + s.signAfter) / 2;
    const signRate = median(samples.map(base));
    const of = (peer: Peer, level: number) => samples.filter((s) => s.peer === peer && s.level === level);
    const pooled = (ss: Sample[]) => {
      const n = ss.reduce((a, s) => a + s.load.requests, 0);
      const ms = ss.reduce((a, s) => a + s.load.ms, 0);
      const lat = ss.flatMap((s) => s.load.latenciesMs);
      const cpu = (k: keyof Sample['cpu']) => ss.reduce((a, s) => a + s.cpu[k], 0) / n;
      return {
        n, rps: (n * 1000) / ms, p50: median(lat), p99: quantile(lat, 0.99), busy: median(ss.map((s) => s.busy)),
        vsSign: median(ss.map((s) => s.load.rps / base(s))),
        cpu: { api: cpu('api'), signer: cpu('signer'), pgBackends: cpu('pgBackends'), pgAll: cpu('pgAll'), stepCa: cpu('stepCa'), loadGen: cpu('loadGen'), sequencer: cpu('sequencer') },
      };
    };
    /** platform/step-ca per round, each normalized by the crypto.sign rate measured around it. */
    const pairRatios = (level: number) => Array.from({ length: ROUNDS }, (_, r) => {
      const a = samples.find((s) => s.peer === 'platform' && s.level === level && s.round === r)!;
      const b = samples.find((s) => s.peer === 'step-ca' && s.level === level && s.round === r)!;
      return (a.load.rps / base(a)) / (b.load.rps / base(b));
    });

    report.add({
      figure: 'raw crypto.sign/s, the shared RSA-2048 issuing key, one thread', value: `${fmt(signRate)} /s`,
      note: `median of the readings right before and after each of the ${samples.length} timed loads (${fmt(Math.min(...samples.map(base)))} to ${fmt(Math.max(...samples.map(base)))} /s); the same key both servers sign with, held as a KeyObject from PKCS#8 as the software signer holds it`,
    });
    const targets: string[] = [];
    for (const level of LEVELS) {
      const a = pooled(of('platform', level));
      const b = pooled(of('step-ca', level));
      const ratios = pairRatios(level);
      const ratio = median(ratios);
      const range = `${fmt(Math.min(...ratios))}-${fmt(Math.max(...ratios))}`;
      report.add({
        figure: `HTTP issuance/s, ${level} in flight: platform vs step-ca`, value: `${fmt(a.rps)} /s`, baseline: `${fmt(b.rps)} /s step-ca`,
        ratio, target: { op: '>=', limit: 1.0 },
        note: `${a.n} requests each, in ${ROUNDS} paired rounds of ${requestsPerLoad(level)} (who goes first alternating); ratio = median over the pairs of (platform/s ÷ its crypto.sign/s) ÷ (step-ca/s ÷ its crypto.sign/s): ${ratios.map((x) => fmt(x)).join(', ')} (range ${range}); raw ratio of the pooled rates ${fmt(a.rps / b.rps)}; machine busy (median) ${fmt(a.busy * 100)}% / ${fmt(b.busy * 100)}%`,
      });
      targets.push(`HTTP issuance at ${level} in flight >= 1.0x step-ca: ${ratio >= 1 ? 'PASS' : 'MISS'} (${fmt(ratio)}x, median of ${ROUNDS} pairs; range ${range})`);
      report.add({ figure: `platform POST /api/v1/certificates/s, ${level} in flight`, value: `${fmt(a.rps)} /s`, baseline: `${fmt(signRate)} /s crypto.sign`, ratio: a.vsSign });
      report.add({ figure: `step-ca POST /1.0/sign/s, ${level} in flight`, value: `${fmt(b.rps)} /s`, baseline: `${fmt(signRate)} /s crypto.sign`, ratio: b.vsSign });
      const p99Ratio = a.p99 / b.p99;
      report.add({
        figure: `latency p50 / p99, ${level} in flight: platform vs step-ca`, value: `${fmtMs(a.p50)} / ${fmtMs(a.p99)}`,
        baseline: `${fmtMs(b.p50)} / ${fmtMs(b.p99)} step-ca`, ratio: p99Ratio, target: level === 64 ? { op: '<=', limit: 1.0 } : undefined,
        note: `ratio = platform p99 / step-ca p99 (p50 ratio ${fmt(a.p50 / b.p50)}); latency from write of the request to the last byte of the response, pooled over rounds`,
      });
      if (level === 64) targets.push(`p99 at 64 in flight <= step-ca's: ${p99Ratio <= 1 ? 'PASS' : 'MISS'} (${fmtMs(a.p99)} vs ${fmtMs(b.p99)}, ${fmt(p99Ratio)}x)`);
      const platformCpu = a.cpu.api + a.cpu.signer + a.cpu.pgBackends + a.cpu.sequencer;
      report.add({
        figure: `CPU per issuance, ${level} in flight: platform (API + signer + PostgreSQL backends + audit sequencer) vs step-ca`,
        value: `${fmtMs(a.cpu.api)} + ${fmtMs(a.cpu.signer)} + ${fmtMs(a.cpu.pgBackends)} + ${fmtMs(a.cpu.sequencer)} = ${fmtMs(platformCpu)}`, baseline: `${fmtMs(b.cpu.stepCa)} step-ca`, ratio: platformCpu / b.cpu.stepCa,
        note: `utime+stime deltas from /proc over each timed load, divided by its requests. API = the ${API_PROCESSES} API process${API_PROCESSES > 1 ? 'es and their cluster primary' : ''} (apps/api/src/main.ts, ANCHORAGE_API_PROCESSES=${API_PROCESSES}); signer = the signer process, which holds the CA key and signs; PostgreSQL backends = the backends of this benchmark's database (the audit sequencer's included); audit sequencer = this process, which runs it (every 250 ms, as the worker does) and otherwise waits for the load; every postgres process on the machine, which includes WAL writer, checkpointer and other users' sessions: ${fmtMs(a.cpu.pgAll)} during platform loads, ${fmtMs(b.cpu.pgAll)} during step-ca loads; load generator ${fmtMs(a.cpu.loadGen)} / ${fmtMs(b.cpu.loadGen)} (TLS to step-ca); one signature = ${fmtMs(1000 / signRate)} of crypto.sign`,
      });
    }
    report.add({
      figure: 'setup', value: '', verdict: 'info',
      note: `${stepVersion}, built by scripts/build-step-ca.sh from Debian's golang-github-smallstep-certificates-dev with Go from golang-go; JWK provisioner, one-time tokens (ES256) minted before each load, each token's jti recorded by step-ca against reuse; database ${STEP_CA_DB} (badger 2.2007 with SyncWrites on: every commit fsynced; ${fsType(stepDir)}), leaves from an x509 template with the platform profile's extensions, ${LEAF_VALIDITY_DAYS} days; step-ca serves HTTPS only (keep-alive TLS, handshakes before the clock), the platform's API plain HTTP; no request logging on either; platform PostgreSQL ${pgDurability}, reached over ${pgTransport}. ${WARMUP} warm-up requests each at 16 in flight.`,
    });
    const linked = sequencer.counters.linked;
    await sequencer.stop();
    const left = await p.db.audit.unlinked(0);
    if (left.count !== 0 || sequencer.counters.errors !== 0) throw new Error(`audit sequencer: ${left.count} rows left unlinked, ${sequencer.counters.errors} failed rounds (${sequencer.counters.lastError})`);
    report.add({
      figure: 'audit rows linked into the hash chain while the platform issued', value: fmt(linked), verdict: 'info',
      note: `the audit sequencer ran throughout (every 250 ms, one try-locked round at a time); after each platform load the benchmark waited until no row was left unlinked before reading the CPU counters, and none was left at the end`,
    });
    console.log(`\nbench ${ORDER} targets (a MISS never fails the run):\n${targets.map((t) => `  ${t}`).join('\n')}`);
  } finally {
    await sequencer?.stop();
    await step?.stop();
    await api?.stop();
    await p?.close();
    await signerProc?.stop();
    await db?.drop();
    if (opts) removeBenchDir(opts);
    rmSync(stepDir, { recursive: true, force: true });
  }
  report.finish(ORDER);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
