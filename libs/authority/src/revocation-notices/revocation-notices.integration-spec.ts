import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMigratedDatabase, type FreshDatabase } from '@anchorage/db';
import { encodeCrlEntry, hasSerial, readCertificateParts } from '@anchorage/pki';
import { openssl, opensslCsr, opensslVerify, tempDir, writePem, testDatabaseUrl, testPlatformOptions } from '@anchorage/testing';
import { createCommunity, type CreatedCommunity } from '../create-community';
import { createOrganization } from '../create-organization';
import type { Actor } from '../deps';
import { generateCrl } from '../generate-crl';
import { issueCertificate } from '../issue-certificate';
import { openPlatform, type Platform } from '../platform';
import { endIssuingCa } from '../retire-issuing-ca';
import { releaseHold, revokeCertificate } from '../revoke-certificate';
import { expectDomainError } from '../testing/expect-domain-error';
import { deliverRevocationNotice, PAUSE_AFTER_FAILURES } from './deliver-revocation-notice';
import { pauseRevocationSubscription } from './pause-subscription';
import { resumeRevocationSubscription } from './resume-subscription';
import { subscribeToRevocations } from './subscribe';

const operator: Actor = { id: 'test-operator', role: 'operator' };

// The notices the CRL transaction records, and what delivery failures do to a subscription, without
// a worker: deliveries are run by hand here (the worker's path is apps/worker's test).
describe('revocation notices: recording with the CRL, and failing receivers (PostgreSQL)', () => {
  let fresh: FreshDatabase;
  let p: Platform;
  let closedPort = 0;
  let hook: Server;

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_rp_notices`.slice(0, 63));
    p = await openPlatform({ ...testPlatformOptions(), databaseUrl: fresh.url, poolSize: 3, endpointCheckInsecure: true, outboundLog: () => undefined });
    const gone = createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', () => r()));
    closedPort = (gone.address() as AddressInfo).port;
    await new Promise<void>((r) => gone.close(() => r()));
    hook = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(204).end()); });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    await p?.close();
    await fresh?.drop();
    hook?.closeAllConnections();
    await new Promise<void>((r) => (hook ? hook.close(() => r()) : r()));
  });

  const community = async (): Promise<CreatedCommunity> => {
    const tag = randomUUID().slice(0, 8);
    return createCommunity(p, { name: `RpN ${tag}`, uri: `udap://rpn-${tag}.example.org/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, operator);
  };
  const certificate = async (c: CreatedCommunity) => {
    const tag = randomUUID().slice(0, 8);
    const org = await createOrganization(p, { communityId: c.community.id, name: `RpN Org ${tag}`, sanUris: [`https://n-${tag}.example.org/fhir`] }, operator);
    return (await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: opensslCsr(tempDir(), { curve: 'P-256', sans: org.sanUris }).csrPem, validityDays: 10 }, operator)).certificate;
  };
  const notices = async (caId: string) =>
    (await p.db.pool.query<{ id: string; crl_number: string; serial_count: number; released: string[]; serials: { serial: string; reason: number; revokedAt: string }[] }>(
      'SELECT id, crl_number, serial_count, released, serials FROM revocation_notice WHERE ca_id = $1 ORDER BY crl_number', [caId],
    )).rows;

  it('records nothing without an active subscription, and a notice per CRL with one: revocations, a release from hold, a refresh', async () => {
    const c = await community();
    const cert = await certificate(c);
    await revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'certificateHold' }, operator);
    expect(await notices(c.issuing.id)).toEqual([]);
    const sub = await subscribeToRevocations(p, { communityId: c.community.id, callbackUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/n`, relyingParty: 'RP' }, operator);
    const released = await releaseHold(p, { certificateId: cert.id }, operator);
    const refreshed = await generateCrl(p, c.issuing.id, operator);
    const rows = await notices(c.issuing.id);
    expect(rows.map((r) => [r.crl_number, r.serial_count, r.released])).toEqual([
      [released.crl.crlNumber.toString(), 0, [Buffer.from(cert.serial).toString('hex')]],
      [refreshed.crl.crlNumber.toString(), 0, []],
    ]);
    // one delivery per notice, each with its job in the outbox under the delivery id
    const deliveries = (await p.db.revocationSubscriptions.listDeliveries(sub.subscription.id)).items;
    expect(deliveries.map((d) => d.crlNumber).sort()).toEqual([released.crl.crlNumber, refreshed.crl.crlNumber].sort());
    for (const d of deliveries) expect((await p.db.outboxRelay.find(`revocation-notice.${d.id}`))?.payload).toEqual({ deliveryId: d.id });
    expect(await deliverRevocationNotice(p, deliveries[0].id)).toBe('delivered');
    expect(await deliverRevocationNotice(p, deliveries[0].id)).toBe('already-delivered');
  });

  it('shows a subscription failing, ends a delivery failed at its last attempt, and pauses the subscription after repeated failures', async () => {
    const c = await community();
    const sub = await subscribeToRevocations(p, { communityId: c.community.id, callbackUrl: `http://127.0.0.1:${closedPort}/gone`, relyingParty: 'Gone RP' }, operator);
    const cert = await certificate(c);
    await revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'keyCompromise' }, operator);
    const [d] = (await p.db.revocationSubscriptions.listDeliveries(sub.subscription.id)).items;
    await expectDomainError(deliverRevocationNotice(p, d.id), 'webhook-failed', /connect-failed/);
    expect(await p.db.revocationSubscriptions.find(sub.subscription.id)).toMatchObject({ status: 'active', consecutiveFailures: 1, lastError: 'connect-failed' });
    expect(await p.db.revocationSubscriptions.findDelivery(d.id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'connect-failed' });
    await expectDomainError(deliverRevocationNotice(p, d.id, { final: true }), 'webhook-failed', /connect-failed/);
    expect(await p.db.revocationSubscriptions.findDelivery(d.id)).toMatchObject({ status: 'failed', attempts: 2 });
    for (let i = 2; i < PAUSE_AFTER_FAILURES; i++) await expectDomainError(deliverRevocationNotice(p, d.id), 'webhook-failed', /connect-failed/);
    expect(await p.db.revocationSubscriptions.find(sub.subscription.id)).toMatchObject({ status: 'paused', pausedReason: 'failing', consecutiveFailures: PAUSE_AFTER_FAILURES });
    // paused: the next run skips instead of posting; no notice is recorded for later CRLs
    expect(await deliverRevocationNotice(p, d.id)).toBe('skipped');
    await generateCrl(p, c.issuing.id, operator);
    expect((await p.db.revocationSubscriptions.listDeliveries(sub.subscription.id)).total).toBe(1);
    // resumed: the count starts afresh, and the next CRL is a notice again
    expect(await resumeRevocationSubscription(p, sub.subscription.id, operator)).toMatchObject({ status: 'active', consecutiveFailures: 0 });
    await generateCrl(p, c.issuing.id, operator);
    expect((await p.db.revocationSubscriptions.listDeliveries(sub.subscription.id)).total).toBe(2);
  });
  it("lists an issuing CA revoked on its root's CRL in the notice of that CRL, once", async () => {
    const c = await community();
    const leaf = await certificate(c);
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/ca`;
    await subscribeToRevocations(p, { communityId: c.community.id, callbackUrl: hookUrl, relyingParty: 'RP CA' }, operator);
    const dir = tempDir();
    const crlOf = async (caId: string) => (await p.db.crls.latest(caId, true))!.der!;
    const issuingSerial = readCertificateParts(c.issuing.certificateDer!).serial;
    const ended = await endIssuingCa(p, c.issuing.id, { as: 'compromised', reason: 'key found on a lost laptop' }, operator);
    const rootNotices = await notices(c.root.id);
    expect(rootNotices.map((r) => r.crl_number)).toEqual([ended.parentCrlNumber]);
    expect(rootNotices[0].serial_count).toBe(1);
    expect(rootNotices[0].serials).toEqual([{ serial: Buffer.from(issuingSerial).toString('hex'), reason: 2, revokedAt: ended.ca.revokedAt!.toISOString() }]);
    // the notice agrees with the CRL: OpenSSL rejects the branch at the issuing CA with the root's CRL
    expect(hasSerial(await crlOf(c.root.id), issuingSerial)).toBe(true);
    const verified = opensslVerify(dir, { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: [await crlOf(c.root.id), await crlOf(c.issuing.id)], leaf: leaf.der! });
    expect(verified.status).not.toBe(0);
    expect(verified.stdout + verified.stderr).toMatch(/certificate revoked/);
    // the next root CRL still lists it, but its notice adds nothing: it was on the previous one
    const refreshed = await generateCrl(p, c.root.id, operator);
    expect(hasSerial(refreshed.crl.der!, issuingSerial)).toBe(true);
    const again = (await notices(c.root.id)).find((r) => r.crl_number === refreshed.crl.crlNumber.toString())!;
    expect([again.serial_count, again.serials]).toEqual([0, []]);
  });

  it('a root CRL refreshed only if something is pending publishes a revoked issuing CA that no CRL lists yet', async () => {
    const c = await community();
    const issuingSerial = readCertificateParts(c.issuing.certificateDer!).serial;
    // nothing pending: no CRL
    expect((await generateCrl(p, c.root.id, operator, { onlyIfPending: true })).generated).toBe(false);
    // the CA ended but its parent CRL not generated (a crash between the two): the pending refresh lists it
    await p.db.transaction((tx) => tx.cas.end(c.issuing.id, ['active'], 'retired', { revokedAt: new Date(), reason: 5, crlEntryDer: encodeCrlEntry(issuingSerial, new Date(), 5) }));
    const out = await generateCrl(p, c.root.id, operator, { onlyIfPending: true });
    expect(out.generated).toBe(true);
    expect(hasSerial(out.crl.der!, issuingSerial)).toBe(true);
    const dir = tempDir();
    const crlPath = join(dir, 'root.crl');
    writeFileSync(crlPath, out.crl.der!);
    const text = openssl(['crl', '-inform', 'DER', '-in', crlPath, '-CAfile', writePem(dir, 'root.pem', [c.root.certificateDer!]), '-verify', '-noout', '-text']);
    expect(text.stderr + text.stdout).toMatch(/verify OK/);
    expect(text.stdout.replace(/\s/g, '')).toContain(`SerialNumber:${Buffer.from(issuingSerial).toString('hex').toUpperCase()}`);
    expect(text.stdout).toMatch(/Cessation Of Operation/);
    expect((await generateCrl(p, c.root.id, operator, { onlyIfPending: true })).generated).toBe(false);
  });
  describe('a subscription and a CRL generation of its community in flight at the same time', () => {
    /** A gate: `entered` resolves when the gated step is reached, and the step waits for `open()`. */
    const gate = () => {
      let entered!: () => void;
      let open!: () => void;
      const reached = new Promise<void>((r) => (entered = r));
      const opened = new Promise<void>((r) => (open = r));
      return { reached, open, pass: async () => { entered(); await opened; } };
    };
    /** Waits until some session of this test's database waits for a row lock (fails after 10 s). */
    const someoneWaitsForALock = async () => {
      for (let i = 0; i < 200; i++) {
        const r = await p.db.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if (r.rows[0].n > 0) return;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error('no session is waiting for a lock');
    };
    const deliveriesOf = async (subscriptionId: string) => (await p.db.revocationSubscriptions.listDeliveries(subscriptionId)).items;
    const hookUrl = () => `http://127.0.0.1:${(hook.address() as AddressInfo).port}/race`;

    it('a CRL generation that decided before the subscription: the subscription waits for its CRL, and gets every notice after it', async () => {
      const c = await community();
      const [first, second] = [await certificate(c), await certificate(c)];
      // the CRL generation stops while signing: its CA row is locked and it has decided (no subscription: no notice)
      const signing = gate();
      const signer = new Proxy(p.signer, {
        get: (t, k) => (k === 'signTbs'
          ? async (...args: Parameters<typeof t.signTbs>) => { await signing.pass(); return t.signTbs(...args); }
          : (Reflect.get(t, k) as unknown)),
      });
      const revoking = revokeCertificate({ ...p, signer }, { certificate: { certificateId: first.id }, reason: 'keyCompromise' }, operator);
      await signing.reached;
      let subscribed = false;
      const subscribing = subscribeToRevocations(p, { communityId: c.community.id, callbackUrl: hookUrl(), relyingParty: 'Racing RP' }, operator)
        .then((x) => { subscribed = true; return x; });
      await someoneWaitsForALock();
      expect(subscribed).toBe(false);
      signing.open();
      const [revoked, sub] = await Promise.all([revoking, subscribing]);
      // the CRL in flight committed first and had no subscriber: the subscriber starts from it (the CRL at
      // crlUrl lists the first serial), and the next CRL's notice reaches it, saying which CRL came before
      expect(hasSerial(revoked.crl.der!, first.serial)).toBe(true);
      expect(await notices(c.issuing.id)).toEqual([]);
      const next = await revokeCertificate(p, { certificate: { certificateId: second.id }, reason: 'keyCompromise' }, operator);
      const [n] = await notices(c.issuing.id);
      expect([n.crl_number, n.serials.map((x) => x.serial)]).toEqual([next.crl.crlNumber.toString(), [Buffer.from(second.serial).toString('hex')]]);
      expect((await p.db.revocationSubscriptions.findNotice(n.id))!.previousCrlNumber).toBe(revoked.crl.crlNumber);
      expect((await deliveriesOf(sub.subscription.id)).map((d) => d.crlNumber)).toEqual([next.crl.crlNumber]);
      const dir = tempDir();
      for (const crl of [revoked.crl.der!, next.crl.der!]) {
        const crlPath = join(dir, `${randomUUID()}.crl`);
        writeFileSync(crlPath, crl);
        const text = openssl(['crl', '-inform', 'DER', '-in', crlPath, '-CAfile', writePem(dir, 'issuing.pem', [c.issuing.certificateDer!]), '-verify', '-noout']);
        expect(text.stderr + text.stdout).toMatch(/verify OK/);
      }
      const verified = opensslVerify(dir, { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: [(await p.db.crls.latest(c.root.id, true))!.der!, next.crl.der!], leaf: first.der! });
      expect(verified.stdout + verified.stderr).toMatch(/certificate revoked/);
    });

    it('a subscription written before the CRL generation decides: the generation waits for it, and its notice reaches it', async () => {
      const c = await community();
      const cert = await certificate(c);
      // the subscription's transaction stops after its row is written, before it commits
      const writing = gate();
      const db = new Proxy(p.db, {
        get: (t, k) => (k === 'transaction'
          ? <T>(fn: (tx: typeof t) => Promise<T>) => t.transaction((tx) => fn(new Proxy(tx, {
            get: (tt, kk) => (kk === 'audit'
              ? new Proxy(tt.audit, { get: (a, m) => (m === 'append' ? async (...args: Parameters<typeof a.append>) => { await writing.pass(); return a.append(...args); } : (Reflect.get(a, m) as unknown)) })
              : (Reflect.get(tt, kk) as unknown)),
          })))
          : (Reflect.get(t, k) as unknown)),
      });
      const subscribing = subscribeToRevocations({ ...p, db }, { communityId: c.community.id, callbackUrl: hookUrl(), relyingParty: 'Early RP' }, operator);
      await writing.reached;
      let revokedYet = false;
      const revoking = revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'keyCompromise' }, operator)
        .then((x) => { revokedYet = true; return x; });
      await someoneWaitsForALock();
      expect(revokedYet).toBe(false);
      writing.open();
      const [sub, revoked] = await Promise.all([subscribing, revoking]);
      const [n] = await notices(c.issuing.id);
      expect([n.crl_number, n.serials.map((x) => x.serial)]).toEqual([revoked.crl.crlNumber.toString(), [Buffer.from(cert.serial).toString('hex')]]);
      expect((await deliveriesOf(sub.subscription.id)).map((d) => d.crlNumber)).toEqual([revoked.crl.crlNumber]);
      const dir = tempDir();
      const verified = opensslVerify(dir, { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: [(await p.db.crls.latest(c.root.id, true))!.der!, revoked.crl.der!], leaf: cert.der! });
      expect(verified.stdout + verified.stderr).toMatch(/certificate revoked/);
    });

    it('resuming a paused subscription also waits for a generation in flight', async () => {
      const c = await community();
      const cert = await certificate(c);
      const sub = await subscribeToRevocations(p, { communityId: c.community.id, callbackUrl: hookUrl(), relyingParty: 'Resuming RP' }, operator);
      await pauseRevocationSubscription(p, sub.subscription.id, operator);
      const signing = gate();
      const signer = new Proxy(p.signer, {
        get: (t, k) => (k === 'signTbs'
          ? async (...args: Parameters<typeof t.signTbs>) => { await signing.pass(); return t.signTbs(...args); }
          : (Reflect.get(t, k) as unknown)),
      });
      const refreshing = generateCrl({ ...p, signer }, c.issuing.id, operator);
      await signing.reached;
      let resumed = false;
      const resuming = resumeRevocationSubscription(p, sub.subscription.id, operator).then((x) => { resumed = true; return x; });
      await someoneWaitsForALock();
      expect(resumed).toBe(false);
      signing.open();
      const [refreshed] = await Promise.all([refreshing, resuming]);
      // paused when the refresh decided: no delivery for it; the next CRL is delivered
      expect(await deliveriesOf(sub.subscription.id)).toEqual([]);
      const next = await revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'superseded' }, operator);
      expect((await deliveriesOf(sub.subscription.id)).map((d) => d.crlNumber)).toEqual([next.crl.crlNumber]);
      expect(next.crl.crlNumber).toBe(refreshed.crl.crlNumber + 1n);
      const dir = tempDir();
      const verified = opensslVerify(dir, { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: [(await p.db.crls.latest(c.root.id, true))!.der!, next.crl.der!], leaf: cert.der! });
      expect(verified.stdout + verified.stderr).toMatch(/certificate revoked/);
    });
  });
});
