// Benchmark 6: bulk revocation. An organization holding 10k live certificates is suspended; the
// worker (in process, real Redis, default relay and batch settings) takes the job from the outbox,
// revokes them in batches and generates the CRL that lists them all. Figures: time from the
// suspension call to the completed bulk revocation (the complete CRL committed), and certificates
// revoked per second over the run. Baselines in the same run: `openssl ca -gencrl` over the same
// revoked entries (what producing the CRL alone costs OpenSSL), and one raw SQL UPDATE flipping the
// same rows to revoked in PostgreSQL (the floor of the database work; rolled back).
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate, suspendOrganization, type Platform } from '@anchorage/authority';
import { hasSerial, toPem } from '@anchorage/pki';
import { startWorker, type RunningWorker } from '../apps/worker/src/worker';
import { createBenchDatabase, withClient } from './lib/db';
import { QUICK } from './lib/env';
import { makeOpensslCa, opensslVerifyCrl, removeOpensslCa, timeGencrl, type OpensslCa } from './lib/openssl-ca';
import { benchCommunity, benchPlatformOptions, OPERATOR, openPlatform, removeBenchDir } from './lib/platform';
import { makeCsrs } from './lib/csr';
import { Report } from './lib/report';
import { fmt, fmtCount, fmtMs, median, msSince } from './lib/stats';

const N = QUICK ? 2_000 : 10_000;
const ISSUE_IN_FLIGHT = 32;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://localhost:6379';

async function main(): Promise<void> {
  const report = new Report('6 bulk revocation');
  const db = await createBenchDatabase('bulk');
  const opts = benchPlatformOptions(db.url);
  let p: Platform | null = null;
  let w: RunningWorker | null = null;
  let ca: OpensslCa | null = null;
  try {
    p = await openPlatform(opts);
    const c = await benchCommunity(p, 'bulk', 'RSA-2048');
    const csrs = await makeCsrs(N, c.sanUri);
    const serials: Uint8Array[] = [];
    let next = 0;
    const issueStart = process.hrtime.bigint();
    await Promise.all(Array.from({ length: ISSUE_IN_FLIGHT }, async () => {
      while (next < csrs.length) {
        const csr = csrs[next++];
        serials.push((await issueCertificate(p!, { organizationId: c.organizationId, profile: 'udap-client', csr }, OPERATOR)).certificate.serial);
      }
    }));
    console.log(`bench 6: issued ${fmtCount(N)} certificates to one organization in ${fmtMs(msSince(issueStart))}`);

    // baseline: PostgreSQL flipping the same rows in one statement, rolled back
    const sqlMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      sqlMs.push(await withClient(db.url, async (cl) => {
        await cl.query('BEGIN');
        const t = process.hrtime.bigint();
        const r = await cl.query("UPDATE certificate SET status = 'revoked', revoked_at = now(), revocation_reason = 9, crl_entry_der = '\\x00', revocation_published = false WHERE organization_id = $1 AND status = 'issued'", [c.organizationId]);
        const ms = msSince(t);
        await cl.query('ROLLBACK');
        if (r.rowCount !== N) throw new Error(`baseline UPDATE touched ${r.rowCount} rows, expected ${N}`);
        return ms;
      }));
    }
    const sqlRate = N / (median(sqlMs) / 1000);

    w = await startWorker(p, { redisUrl: REDIS_URL, crlRefreshSeconds: 600, prefix: `bench-${randomUUID()}` });
    const org = (await p.db.organizations.find(c.organizationId))!;
    const t0 = process.hrtime.bigint();
    const { bulkRevocation } = await suspendOrganization(p, org, 'bench: membership terminated', OPERATOR);
    const suspendMs = msSince(t0);
    let rec = bulkRevocation!;
    while (rec.status !== 'completed') {
      if (rec.status === 'failed') throw new Error(`bulk revocation failed: ${rec.lastError}`);
      await new Promise((r) => setTimeout(r, 10));
      rec = (await p.db.bulkRevocations.find(rec.id))!;
    }
    const toCrlMs = msSince(t0);
    const runMs = rec.finishedAt!.getTime() - rec.startedAt!.getTime();
    if (rec.revoked !== N) throw new Error(`revoked ${rec.revoked}, expected ${N}`);

    const crl = (await p.db.crls.latest(c.issuing.id, true))!;
    const listed = serials.filter((s) => hasSerial(crl.der!, s)).length;
    const issuingPem = join(opts.dir, 'issuing.pem');
    writeFileSync(issuingPem, toPem(c.issuing.certificateDer!, 'CERTIFICATE'));
    const crlPath = join(opts.dir, 'bulk.crl');
    writeFileSync(crlPath, crl.der!);
    const verify = opensslVerifyCrl(crlPath, issuingPem);

    ca = await makeOpensslCa(db.url, c.issuing.id);
    const sslMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await timeGencrl(ca, join(ca.dir, 'crl.pem'), 120_000);
      if (run.timedOut) throw new Error('openssl ca -gencrl timed out');
      sslMs.push(run.ms);
    }
    const ssl = median(sslMs);
    const rate = N / (runMs / 1000);
    console.log(`bench 6: suspension -> complete CRL ${fmtMs(toCrlMs)} (suspend call ${fmtMs(suspendMs)}, run ${fmtMs(runMs)}, ${rec.batches} batches); ${fmt(rate)} certificates/s; openssl ca -gencrl ${fmtCount(ca.entries)}: ${fmtMs(ssl)}; raw UPDATE ${fmt(sqlRate)} rows/s`);

    report.add({
      figure: `suspension -> complete CRL, ${fmtCount(N)} certificates`, value: fmtMs(toCrlMs),
      baseline: `${fmtMs(ssl)} openssl ca -gencrl over the same ${fmtCount(ca.entries)} entries (median of 3)`, ratio: toCrlMs / ssl,
      note: `from the suspendOrganization call (${fmtMs(suspendMs)}) through the outbox relay (woken by the outbox NOTIFY; it also polls every 500 ms), ${rec.batches} batch transactions of 500 (conditional UPDATE, one audit event per certificate, progress row) and the CRL generation, to the completed row.`,
    });
    report.add({
      figure: `bulk revocation throughput, ${fmtCount(N)} certificates`, value: `${fmt(rate)} /s`,
      baseline: `${fmt(sqlRate)} rows/s: one raw UPDATE of the same rows (median of 3, rolled back)`, ratio: rate / sqlRate,
      note: 'certificates / (finishedAt - startedAt) of the bulk revocation row: the batches and the final CRL, without relay latency.',
    });
    report.add({ figure: 'serials on the final CRL', value: `${listed}/${N}`, verdict: listed === N ? 'PASS' : 'MISS' });
    report.add({ figure: 'openssl crl -verify of the final CRL', value: verify.ok ? 'verify OK' : `FAILED: ${verify.output}`, verdict: verify.ok ? 'PASS' : 'MISS' });
  } finally {
    if (ca) removeOpensslCa(ca);
    if (w) {
      for (const q of w.queues.values()) await q.obliterate({ force: true }).catch(() => undefined);
      await w.close();
    }
    await p?.close();
    await db.drop();
    removeBenchDir(opts);
  }
  report.finish(6);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
