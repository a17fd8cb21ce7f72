import { randomUUID } from 'node:crypto';
import { loadKekFile, Signer, SoftwareKeyBackend, type KeyBackend } from '@anchorage/signer';
import { opensslCsr, opensslVerify, tempDir, testPlatformOptions } from '@anchorage/testing';
import { linkAuditChain } from './audit-sequencer';
import { createCommunity, type CreatedCommunity } from './create-community';
import { createOrganization } from './create-organization';
import { generateCrl } from './generate-crl';
import { issueCertificate } from './issue-certificate';
import { openPlatform, type Platform } from './platform';
import { verifyAuditChain } from './verify-audit';
import type { Actor, AuthorityDeps } from './deps';

const operator: Actor = { id: 'write-path-operator', role: 'operator' };

// The write path holds no platform-wide lock across a signature: a CRL whose signature takes as long as
// it takes (a large CRL, a slow HSM) stalls neither issuance from the same CA nor anyone's audit rows.
// A backend that parks the first signature it is asked for, until the test releases it, proves it.
describe('write path: a CRL being signed stalls no issuance', () => {
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-write-path-');
  const host = `w${randomUUID().slice(0, 8)}.example.org`;
  const sanUri = `https://${host}/fhir/r4`;
  let p: Platform;
  let deps: AuthorityDeps;
  let c: CreatedCommunity;
  let orgId: string;
  let park: { parked: () => void; release: Promise<void> } | null = null;

  beforeAll(async () => {
    p = await openPlatform(opts);
    c = await createCommunity(p, { name: 'Write Path Test', uri: `udap://${host}/`, caKeyType: 'RSA-2048' }, operator);
    orgId = (await createOrganization(p, { communityId: c.community.id, name: 'Write Path Org', sanUris: [sanUri] }, operator)).id;
    const inner = new SoftwareKeyBackend({ keyDir: opts.keyDir, kek: await loadKekFile(opts.kekFile) });
    const parking: KeyBackend = {
      kind: 'software',
      generateKey: (t, l) => inner.generateKey(t, l),
      publicKey: (k) => inner.publicKey(k),
      sign: async (keyRef, data, alg) => {
        const held = park;
        park = null;
        if (held) {
          held.parked();
          await held.release;
        }
        return inner.sign(keyRef, data, alg);
      },
    };
    deps = { ...p, signer: new Signer([parking]) };
  });
  afterAll(async () => {
    await deps?.signer.close();
    await p?.close();
  });

  it('issues from the CA, and writes audit rows, while the CA\'s CRL signature is parked', async () => {
    let release!: () => void;
    let parked!: () => void;
    const isParked = new Promise<void>((r) => { parked = r; });
    park = { parked, release: new Promise<void>((r) => { release = r; }) };
    const crl = generateCrl(deps, c.issuing.id, operator);
    await isParked; // the CRL generation holds its CA row lock and is inside sign()

    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [sanUri] });
    const stalled = setTimeout(() => release(), 20_000); // a stalled issuance would otherwise wait for ever
    try {
      const issued = await issueCertificate(deps, { organizationId: orgId, profile: 'udap-client', csr: csr.csrPem }, operator);
      await p.db.audit.append({ at: new Date(), actor: operator.id, action: 'test.during-crl', subjectType: 'test', subjectId: 'write-path', data: {} });
      let crlDone = false;
      void crl.then(() => { crlDone = true; });
      await new Promise((r) => setImmediate(r));
      expect(crlDone).toBe(false); // all of the above happened while the CRL was still being signed
      expect(issued.certificate.status).toBe('issued');

      release();
      const out = await crl;
      expect(out.generated).toBe(true);
      const rootCrl = await generateCrl(p, c.root.id, operator);
      const verify = (crls: Uint8Array[]) => opensslVerify(dir, {
        anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls, leaf: issued.certificate.der!,
      });
      expect(verify([rootCrl.crl.der!, out.crl.der!]).status).toBe(0);
      expect(verify([rootCrl.crl.der!]).status).not.toBe(0); // -crl_check_all wants the issuing CA's CRL too
    } finally {
      clearTimeout(stalled);
      release();
    }
    await linkAuditChain(p);
    expect(await verifyAuditChain(p)).toMatchObject({ ok: true, unlinked: { count: 0 } });
  });
});
