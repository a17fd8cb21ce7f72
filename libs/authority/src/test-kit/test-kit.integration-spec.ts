// A community's test kit made through the real signer process (its CA keys are test keys there): each
// case's expected answer is checked against libs/udap's verifier and `openssl verify -x509_strict
// -crl_check_all`, fetching CRLs and the dead CDP the way a relying party would (from the kit's
// published files), and the kit is shown to stay out of everything the production community trusts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { buildTestLeafTbs, describeCertificate, encodeName, newSerial } from '@anchorage/pki';
import { verifyUdapJwt, type UdapTrust } from '@anchorage/udap';
import { FakeClock, isolatedPlatformOptions, opensslVerify, startSignerProcess, tempDir, type IsolatedPlatformOptions, type SignerProcess } from '@anchorage/testing';
import { createCommunity, type CreatedCommunity } from '../create-community';
import type { Actor } from '../deps';
import { communityDocument } from '../directory';
import { communityTrust } from '../community-trust';
import { openPlatform, type Platform } from '../platform';
import { expectDomainError } from '../testing/expect-domain-error';
import { TEST_CASES, TEST_CASE_IDS } from './cases';
import type { TestKitContent } from './content';
import { generateTestKit, TEST_KIT_VALIDITY_DAYS } from './generate-test-kit';
import { renewTestKits, TEST_KIT_RENEW_DAYS } from './renew-test-kits';
import { TestKitPublication } from './publication';

const operator: Actor = { id: 'test-kit-operator', role: 'operator' };
const der = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

describe('a community\'s test kit', () => {
  let opts: IsolatedPlatformOptions;
  let signer: SignerProcess;
  let p: Platform;
  let c: CreatedCommunity;
  let kit: TestKitContent;
  let publication: TestKitPublication;
  const clock = new FakeClock(new Date());
  const dir = tempDir('anchorage-test-kit-');
  const host = `tk-${randomUUID().slice(0, 8)}.example.org`;

  /** What a relying party fetches at `url`: the kit's published file, or nothing (404). */
  const fetchPublished = async (url: string): Promise<Uint8Array | null> => {
    const base = `${p.urls.testKit(c.community.id)}/`;
    if (!url.startsWith(base)) return null;
    const a = await publication.answer(c.community.id, url.slice(base.length), '');
    return 'object' in a ? new Uint8Array(a.object.body) : null;
  };
  /** A relying party that trusts the TEST anchor only, and knows no intermediate. */
  const kitTrust = (): UdapTrust => ({ anchors: [der(kit.cas.anchor.certificate)], intermediates: [], crl: fetchPublished });

  beforeAll(async () => {
    opts = await isolatedPlatformOptions();
    signer = await startSignerProcess(opts);
    p = await openPlatform({ ...opts, kekFile: null, clock, signer: { socketPath: signer.socketPath, tokenFile: signer.tokenFile } });
    c = await createCommunity(p, { name: 'Kit Community', uri: `udap://${host}/`, caKeyType: 'RSA-2048' }, operator);
    kit = (await generateTestKit(p, c.community.id, operator)).content;
    publication = new TestKitPublication(p.db, p.urls, clock);
  }, 120_000);
  afterAll(async () => {
    await p?.close();
    await signer?.stop();
    await opts?.drop();
  });

  it('holds its CAs as test keys in the signer, under names that say TEST', async () => {
    const row = (await p.db.testKits.find(c.community.id))!;
    for (const keyRef of [row.anchorKeyRef, row.issuingKeyRef, row.untrustedKeyRef]) {
      const file = JSON.parse(readFileSync(join(opts.keyDir, `${keyRef.slice('soft:'.length)}.key.json`), 'utf8')) as { purpose?: string };
      expect(file.purpose).toBe('test');
    }
    for (const ca of Object.values(kit.cas)) expect(ca.subject).toMatch(/TEST/);
    expect(kit.cases.map((x) => x.id)).toEqual([...TEST_CASE_IDS]);
    const audit = await p.db.pool.query<{ action: string }>(`SELECT action FROM audit_event WHERE subject_id = $1 AND action LIKE 'test-kit.%'`, [c.community.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['test-kit.created']);
  });

  it.each(TEST_CASES.map((d) => [d.id, d] as const))('%s: libs/udap answers what the kit says a relying server must', async (_id, def) => {
    const kase = kit.cases.find((x) => x.id === def.id)!;
    const r = await verifyUdapJwt(kase.softwareStatement, kitTrust(), { kind: 'software-statement', now: clock.now(), expected: { aud: kit.softwareStatementAud } });
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(def.expected.findings);
    expect(r.valid).toBe(def.expected.outcome === 'accept');
  });

  it.each(TEST_CASES.map((d) => [d.id, d] as const))('%s: openssl verify -x509_strict -crl_check_all with the TEST anchor agrees', async (_id, def) => {
    const kase = kit.cases.find((x) => x.id === def.id)!;
    const chain = kase.x5c.map(der);
    // the CRLs a relying party finds at the CDPs of the chain it was sent (a dead or missing CDP gives none)
    const crls: Uint8Array[] = [];
    for (const cert of chain) {
      for (const url of describeCertificate(cert).crlUrls) {
        const crl = await fetchPublished(url);
        if (crl) crls.push(crl);
      }
    }
    const anchorCrl = (await fetchPublished(describeCertificate(der(kit.cas.issuing.certificate)).crlUrls[0]))!;
    const out = opensslVerify(dir, { anchors: [der(kit.cas.anchor.certificate)], intermediates: chain.slice(1), crls: [anchorCrl, ...crls], leaf: chain[0], attime: clock.now() });
    if (def.expected.openssl.passes) {
      expect(out.stdout).toMatch(/: OK/);
      expect(out.status).toBe(0);
    } else {
      expect(out.status).not.toBe(0);
      expect(out.stdout + out.stderr).toContain(def.expected.openssl.error);
    }
  });

  it('stays out of the production trust: anchors, intermediates, trust bundle, community document, CA list', async () => {
    const kitCerts = Object.values(kit.cas).map((x) => Buffer.from(x.certificate, 'base64'));
    const { trust, cas } = await communityTrust(p, c.community.id);
    for (const k of kitCerts) {
      expect([...trust.anchors, ...(trust.intermediates ?? [])].some((a) => Buffer.from(a).equals(k))).toBe(false);
      expect(cas.some((ca) => ca.certificateDer && Buffer.from(ca.certificateDer).equals(k))).toBe(false);
    }
    const row = (await p.db.testKits.find(c.community.id))!;
    expect(cas.some((ca) => [row.anchorKeyRef, row.issuingKeyRef, row.untrustedKeyRef].includes(ca.keyRef))).toBe(false);
    const bundle = p.repository.trustBundle(c.community.id)!.body.toString();
    for (const k of kitCerts) expect(bundle.replace(/\s/g, '')).not.toContain(k.toString('base64').slice(0, 200));
    const doc = JSON.stringify(communityDocument(c.community, cas, p.urls));
    const index = (await publication.answer(c.community.id, '', '')) as { object: { body: Buffer } };
    const shown = JSON.parse(index.object.body.toString()) as { anchor: { sha256: string }; issuingCa: { sha256: string }; untrustedRoot: { sha256: string } };
    for (const sha of [shown.anchor.sha256, shown.issuingCa.sha256, shown.untrustedRoot.sha256]) {
      expect(sha).toMatch(/^[0-9a-f]{64}$/);
      expect(doc).not.toContain(sha);
    }
    expect(doc).not.toContain('TEST');
    expect(doc).not.toContain('test-kit');
    // the kit's valid case is refused by the community's production trust: no path from its x5c to a production anchor
    const valid = kit.cases.find((x) => x.id === 'valid')!;
    const r = await verifyUdapJwt(valid.softwareStatement, trust, { kind: 'software-statement', now: clock.now(), expected: { aud: kit.softwareStatementAud } });
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['chain-incomplete']);
    expect(r.valid).toBe(false);
  });

  it('the signer process refuses a deviating leaf from the production issuing CA key, and a production-named leaf from a test key', async () => {
    const issuing = c.issuing;
    const holder = describeCertificate(der(kit.cases[0].certificate)).spkiDer;
    const params = (issuer: Uint8Array, issuerSpkiDer: Uint8Array) => ({
      profile: 'udap-client' as const, serial: newSerial(p.random(16)), subject: encodeName({ commonName: 'deviant', organization: 'Kit' }), issuer, spkiDer: holder, issuerSpkiDer,
      notBefore: new Date(clock.now().getTime() - 60_000), notAfter: new Date(clock.now().getTime() + 86_400_000), signatureAlgorithm: 'sha256WithRSAEncryption' as const,
      sanUris: [`https://app.${host}/x`], crlUrl: 'http://pki.test.invalid/x.crl', caIssuersUrl: 'http://pki.test.invalid/x.cer',
    });
    const noAudit = { before: async () => undefined, after: async () => undefined };
    const meta = { purpose: 'certificate' as const, subject: 'spec', profile: 'udap-client' as const };
    const prodTbs = buildTestLeafTbs(params(issuing.subjectDer, issuing.spkiDer), 'crlDistributionPoints');
    await expect(p.signer.signTbs(issuing.keyRef, prodTbs, 'sha256WithRSAEncryption', noAudit, meta)).rejects.toThrow(/cRLDistributionPoints is missing/);
    const row = (await p.db.testKits.find(c.community.id))!;
    const issuingSpki = describeCertificate(der(kit.cas.issuing.certificate)).spkiDer;
    const asProduction = buildTestLeafTbs(params(issuing.subjectDer, issuingSpki), 'crlDistributionPoints');
    await expect(p.signer.signTbs(row.issuingKeyRef, asProduction, 'sha256WithRSAEncryption', noAudit, meta)).rejects.toThrow(/only as a CA whose name carries TEST/);
  });

  it('regenerates with the same CAs, new cases and a CRL number one higher; operators only', async () => {
    clock.advance(60_000);
    const again = await generateTestKit(p, c.community.id, operator);
    expect(again.created).toBe(false);
    expect(again.content.generation).toBe(2);
    expect(again.content.cas.anchor.certificate).toBe(kit.cas.anchor.certificate);
    expect(again.content.cases[0].certificate).not.toBe(kit.cases[0].certificate);
    publication.forget(c.community.id);
    const crl = (await publication.answer(c.community.id, 'issuing.crl', '')) as { object: { body: Buffer; version?: bigint } };
    expect(crl.object.version).toBe(2n);
    kit = again.content;
    const revoked = kit.cases.find((x) => x.id === 'revoked')!;
    const r = await verifyUdapJwt(revoked.softwareStatement, kitTrust(), { kind: 'software-statement', now: clock.now(), expected: { aud: kit.softwareStatementAud } });
    expect(r.findings.map((f) => f.code)).toContain('revoked');
    await expectDomainError(generateTestKit(p, c.community.id, { id: 'm', role: 'member-admin', organizationId: randomUUID() }), 'forbidden');
  });

  it('is regenerated by the sweep once fewer than TEST_KIT_RENEW_DAYS remain, and not before', async () => {
    const system: Actor = { id: 'worker', role: 'system' };
    expect((await renewTestKits(p, system)).filter((r) => r.communityId === c.community.id)).toEqual([]);
    clock.advance((TEST_KIT_VALIDITY_DAYS - TEST_KIT_RENEW_DAYS + 1) * 86_400_000);
    const renewed = (await renewTestKits(p, system)).filter((r) => r.communityId === c.community.id);
    expect(renewed).toEqual([{ communityId: c.community.id, action: 'regenerated', generation: 3 }]);
    expect((await renewTestKits(p, system)).filter((r) => r.communityId === c.community.id)).toEqual([]);
    kit = ((await p.db.testKits.find(c.community.id))!.content) as TestKitContent;
    publication.forget(c.community.id);
    const valid = kit.cases.find((x) => x.id === 'valid')!;
    const r = await verifyUdapJwt(valid.softwareStatement, kitTrust(), { kind: 'software-statement', now: clock.now(), expected: { aud: kit.softwareStatementAud } });
    expect(r.findings).toEqual([]);
  });
});
