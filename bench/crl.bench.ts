// Benchmark 3: CRL generation from PostgreSQL at 1k / 10k / 100k / 1M revoked entries against
// `openssl ca -gencrl` over the same entries, and the peak RSS growth of one generation.
// Targets (issue): time <= 0.5 x OpenSSL's at 100k; peak RSS growth < 200 MB at 1M.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCrlInfo, toPem } from '@anchorage/pki';
import type { CrlChildInput, CrlChildOutput } from './lib/crl-child';
import { runChild } from './lib/child';
import { createBenchDatabase, insertRevoked } from './lib/db';
import { QUICK } from './lib/env';
import { makeOpensslCa, opensslVerifyCrl, removeOpensslCa, timeGencrl, type OpensslCa } from './lib/openssl-ca';
import { benchCommunity, benchPlatformOptions, openPlatform, removeBenchDir } from './lib/platform';
import { Report } from './lib/report';
import { fmt, fmtCount, fmtMs, median, msSince } from './lib/stats';

const SIZES = QUICK ? [1_000, 10_000] : [1_000, 10_000, 100_000, 1_000_000];
const RUNS = (n: number) => (n <= 100_000 ? 5 : 1);
const OPENSSL_TIMEOUT_MS = 120_000;
const TIME_TARGET = 0.5;
const TIME_TARGET_AT = 100_000;
const RSS_TARGET_MB = 200;
const RSS_TARGET_AT = 1_000_000;

/** DER of a PEM CRL (libs/pki's pemBlocks overflows the regex stack on multi-megabyte PEM). */
function pemCrlToDer(pem: string): Uint8Array {
  const m = /-----BEGIN X509 CRL-----([^-]*)-----END X509 CRL-----/.exec(pem);
  if (!m) throw new Error('no X509 CRL PEM block');
  return new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

async function main(): Promise<void> {
  const report = new Report('3 CRL generation');
  const db = await createBenchDatabase('crl');
  const opts = benchPlatformOptions(db.url);
  const cas: OpensslCa[] = [];
  try {
    const p = await openPlatform(opts);
    const c = await benchCommunity(p, 'crl', 'RSA-2048');
    await p.close();
    const issuingPem = join(opts.dir, 'issuing.pem');
    writeFileSync(issuingPem, toPem(c.issuing.certificateDer!, 'CERTIFICATE'));
    console.log(`bench 3: issuing CA ${c.issuing.id} (RSA-2048); sizes ${SIZES.map(fmtCount).join(', ')}`);

    let present = 0;
    for (const size of SIZES) {
      const t0 = process.hrtime.bigint();
      await insertRevoked(db.url, c.issuing.id, c.organizationId, size - present);
      present = size;
      console.log(`bench 3: ${fmtCount(size)} revoked rows in place (inserted in ${fmtMs(msSince(t0))})`);

      const derOut = join(opts.dir, `crl-${size}.der`);
      const ours = await runChild<CrlChildInput, CrlChildOutput>(
        join(__dirname, 'lib', 'crl-child.ts'),
        { options: opts, caId: c.issuing.id, warmCaId: c.root.id, runs: RUNS(size), derOut },
        { nodeArgs: ['--expose-gc'], timeoutMs: 600_000 },
      );
      if (ours.entryCount !== size) throw new Error(`the CRL lists ${ours.entryCount} entries, expected ${size}`);
      const verify = opensslVerifyCrl(derOut, issuingPem);
      console.log(`bench 3: generateCrl ${fmtCount(size)}: ${ours.ms.map((m) => fmtMs(m)).join(', ')}; growth ${fmt(ours.growthMb)} MB; openssl crl -verify: ${verify.output}`);

      const ca = await makeOpensslCa(db.url, c.issuing.id);
      cas.push(ca);
      if (ca.entries !== size) throw new Error(`index.txt has ${ca.entries} entries, expected ${size}`);
      const pemOut = join(ca.dir, 'crl.pem');
      const sslMs: number[] = [];
      let skipped = false;
      for (let i = 0; i < RUNS(size); i++) {
        const r = await timeGencrl(ca, pemOut, OPENSSL_TIMEOUT_MS);
        if (r.timedOut) {
          skipped = true;
          break;
        }
        sslMs.push(r.ms);
      }
      if (!skipped) {
        const sslEntries = readCrlInfo(pemCrlToDer(readFileSync(pemOut, 'utf8'))).entryCount;
        if (sslEntries !== size) throw new Error(`OpenSSL's CRL lists ${sslEntries} entries, expected ${size}`);
      }
      console.log(`bench 3: openssl ca -gencrl ${fmtCount(size)}: ${skipped ? `skipped (over ${OPENSSL_TIMEOUT_MS / 1000} s)` : sslMs.map((m) => fmtMs(m)).join(', ')}`);

      const oursMs = median(ours.ms);
      const sslMedian = skipped ? Number.NaN : median(sslMs);
      report.add({
        figure: `generateCrl ${fmtCount(size)} entries (median of ${ours.ms.length})`,
        value: fmtMs(oursMs),
        baseline: skipped ? `openssl ca -gencrl: skipped (> ${OPENSSL_TIMEOUT_MS / 1000} s)` : `${fmtMs(sslMedian)} openssl ca -gencrl (median of ${sslMs.length})`,
        ratio: skipped ? null : oursMs / sslMedian,
        target: size === TIME_TARGET_AT ? { op: '<=', limit: TIME_TARGET } : undefined,
        note: size === SIZES[SIZES.length - 1]
          ? 'generateCrl covers streaming rows from PostgreSQL, DER encoding, RSA-2048 signing with self-check, audit, storing the DER in PostgreSQL and publishing; OpenSSL covers loading index.txt and the CA key, building, signing and writing the PEM CRL (-crldays 7).'
          : undefined,
      });
      report.add({
        figure: `peak RSS growth, ${fmtCount(size)} entries (${fmt(ours.derBytes / 1048576)} MB CRL)`,
        value: `${fmt(ours.growthMb)} MB`,
        numeric: ours.growthMb,
        baseline: '',
        ratio: null,
        target: size === RSS_TARGET_AT ? { op: '<', limit: RSS_TARGET_MB, on: 'value', unit: 'MB' } : undefined,
        note: size === RSS_TARGET_AT || size === SIZES[SIZES.length - 1]
          ? `first call in a fresh child process after a warm-up on an empty CA: RSS before ${fmt(ours.rssBeforeMb)} MB, sampled peak ${fmt(ours.sampledPeakMb)} MB, getrusage maxRSS ${fmt(ours.maxRssBeforeMb)} -> ${fmt(ours.maxRssAfterMb)} MB.`
          : undefined,
      });
      report.add({ figure: `openssl crl -verify, ${fmtCount(size)} entries`, value: verify.ok ? 'verify OK' : `FAILED: ${verify.output}`, verdict: verify.ok ? 'PASS' : 'MISS' });
    }
  } finally {
    for (const ca of cas) removeOpensslCa(ca);
    await db.drop();
    removeBenchDir(opts);
  }
  report.finish(3);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
