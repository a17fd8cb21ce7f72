import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { revokeCertificate, type Platform } from '@anchorage/authority';
import { hasSerial } from '@anchorage/pki';
import { openssl, testRedisUrl, writePem } from '@anchorage/testing';
import { eventually, isolatedPlatform, OPERATOR, organizationWithCertificates, testCommunity } from './testing/fixture';
import { startWorker, type RunningWorker } from './worker';

// Publication to the publish directory is the worker's job: it never holds up a revocation, a failed
// write is retried (and visible on the outbox row and in the queue), and the file ends as the newest CRL.
describe('publication of CRLs, CA certificates and trust bundles', () => {
  let env: Awaited<ReturnType<typeof isolatedPlatform>>;
  let p: Platform;
  let w: RunningWorker;

  beforeAll(async () => {
    env = await isolatedPlatform('publication');
    p = env.p;
    w = await startWorker(p, { redisUrl: testRedisUrl(), crlRefreshSeconds: 600, prefix: `t-${randomUUID()}`, relayPollMs: 100, backoffMs: 200 });
  });
  afterAll(async () => {
    await w?.queue.obliterate({ force: true }).catch(() => undefined);
    await w?.close();
    await env?.close();
  });

  it('writes what relying parties fetch, survives an unwritable directory, and never blocks a revocation', async () => {
    const dir = env.options.publishDir;
    const c = await testCommunity(p, 'Publication');
    const crlFile = join(dir, 'crl', `${c.issuing.id}.crl`);
    await eventually('the first CRLs, CA certificates and trust bundle in the directory', async () => existsSync(crlFile) && existsSync(join(dir, 'communities', c.community.id, 'trust-bundle.pem')));
    expect(readFileSync(join(dir, 'ca', `${c.root.id}.cer`))).toEqual(Buffer.from(c.root.certificateDer!));
    expect(readFileSync(join(dir, 'communities', c.community.id, 'trust-bundle.pem'), 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);

    // the directory breaks: crl/ becomes a file, so no CRL can be written
    rmSync(join(dir, 'crl'), { recursive: true });
    writeFileSync(join(dir, 'crl'), 'in the way');
    const { certs } = await organizationWithCertificates(p, c.community.id, 2);
    const r = await revokeCertificate(p, { certificate: { certificateId: certs[0].id }, reason: 'keyCompromise' }, OPERATOR);
    expect(hasSerial(r.crl.der!, certs[0].serial)).toBe(true); // the revocation and its CRL are done regardless
    const jobId = `crl-publish.${c.issuing.id}.${r.crl.crlNumber}`;
    const failing = await eventually('the publication to fail visibly', async () => {
      const row = await p.db.outboxRelay.find(jobId);
      return row?.lastError ? row : null;
    });
    expect(failing.completedAt).toBeNull();
    expect(failing.lastError).toMatch(/ENOTDIR|EEXIST|not a directory/i);
    expect(w.counters.failed.get('crl-publish')).toBeGreaterThanOrEqual(1);

    // repaired: the retry writes the CRL, which is the newest and verifies with OpenSSL
    rmSync(join(dir, 'crl'));
    mkdirSync(join(dir, 'crl'));
    await eventually('the retried publication', async () => (await p.db.outboxRelay.find(jobId))?.completedAt);
    const newest = (await p.db.crls.latest(c.issuing.id, true))!;
    expect(readFileSync(crlFile)).toEqual(Buffer.from(newest.der!));
    const v = openssl(['crl', '-inform', 'DER', '-in', crlFile, '-CAfile', writePem(env.options.dir, 'issuing.pem', [c.issuing.certificateDer!]), '-verify', '-noout']);
    expect(v.stdout + v.stderr).toMatch(/verify OK/);
  });
});
