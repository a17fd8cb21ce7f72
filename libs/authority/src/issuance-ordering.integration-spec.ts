import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { loadKekFile, Signer, SoftwareKeyBackend, type KeyBackend } from '@anchorage/signer';
import { opensslCsr, tempDir, testPlatformOptions } from '@anchorage/testing';
import { prerecordedSignatureAudit } from './audit';
import { createCommunity, type CreatedCommunity } from './create-community';
import { createOrganization } from './create-organization';
import { DomainError } from './errors';
import { issueForKey, loadIssuanceContext } from './issuance';
import { issueCertificate } from './issue-certificate';
import { openPlatform, type Platform } from './platform';
import { linkAuditChain } from './audit-sequencer';
import { verifyAuditChain } from './verify-audit';
import type { Actor, AuthorityDeps } from './deps';

const operator: Actor = { id: 'ordering-operator', role: 'operator' };

/** What a backend saw in the database, through a connection of its own, at the moment it was asked to sign. */
interface SeenAtSign {
  certificateStatus: string | null;
  intentEvents: number;
  beforeEvents: number;
  afterEvents: number;
}

// Architecture habits 1 and 2: the intent and the signature.before event are committed before the
// key is used. A backend that looks at the database (from another connection, so it sees only
// committed rows) whenever it is asked to sign proves it.
describe('issuance: intent and signature.before are committed before the signer is called', () => {
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-ordering-');
  const host = `o${randomUUID().slice(0, 8)}.example.org`;
  const sanUri = `https://${host}/fhir/r4`;
  const otherSan = `https://other.${host}/fhir`;
  let p: Platform;
  let deps: AuthorityDeps;
  let c: CreatedCommunity;
  let orgId: string;
  let probe: Client;
  let signCalls = 0;
  const seen: SeenAtSign[] = [];

  beforeAll(async () => {
    p = await openPlatform(opts);
    c = await createCommunity(p, { name: 'Ordering Test', uri: `udap://${host}/`, caKeyType: 'EC-P256' }, operator);
    orgId = (await createOrganization(p, { communityId: c.community.id, name: 'Ordering Org', sanUris: [sanUri] }, operator)).id;
    await createOrganization(p, { communityId: c.community.id, name: 'Other Org', sanUris: [otherSan] }, operator);
    probe = new Client({ connectionString: opts.databaseUrl });
    await probe.connect();
    const inner = new SoftwareKeyBackend({ keyDir: opts.keyDir, kek: await loadKekFile(opts.kekFile) });
    const watching: KeyBackend = {
      kind: 'software',
      generateKey: (t, l) => inner.generateKey(t, l),
      publicKey: (k) => inner.publicKey(k),
      sign: async (keyRef, data, alg) => {
        signCalls++;
        const tbsSha256 = createHash('sha256').update(data).digest('hex');
        const cert = await probe.query<{ id: string; status: string }>('SELECT id, status FROM certificate WHERE tbs_der = $1', [Buffer.from(data)]);
        const id = cert.rows[0]?.id ?? '';
        const count = async (action: string, subjectId: string) => Number((await probe.query<{ n: string }>(
          "SELECT count(*) AS n FROM audit_event WHERE action = $1 AND subject_id = $2 AND (action = 'certificate.intent' OR data->>'tbsSha256' = $3)",
          [action, subjectId, tbsSha256],
        )).rows[0].n);
        seen.push({
          certificateStatus: cert.rows[0]?.status ?? null,
          intentEvents: await count('certificate.intent', id),
          beforeEvents: await count('signature.before', `certificate:${id}`),
          afterEvents: await count('signature.after', `certificate:${id}`),
        });
        return inner.sign(keyRef, data, alg);
      },
    };
    deps = { ...p, signer: new Signer([watching]) };
  });
  afterAll(async () => {
    await probe?.end();
    await deps?.signer.close();
    await p?.close();
  });

  it('has the pending certificate, its intent and its signature.before committed when sign() is called', async () => {
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [sanUri] });
    const issued = await issueCertificate(deps, { organizationId: orgId, profile: 'udap-server', csr: csr.csrPem }, operator);
    expect(issued.certificate.status).toBe('issued');
    expect(seen).toEqual([{ certificateStatus: 'pending', intentEvents: 1, beforeEvents: 1, afterEvents: 0 }]);

    // one event each, in chain order: intent, signature.before, signature.after, issued
    const events = await probe.query<{ action: string; seq: string }>(
      "SELECT action, seq FROM audit_event WHERE subject_id IN ($1, $2) ORDER BY seq", [issued.certificate.id, `certificate:${issued.certificate.id}`],
    );
    expect(events.rows.map((r) => r.action)).toEqual(['certificate.intent', 'signature.before', 'signature.after', 'certificate.issued']);
    await linkAuditChain(p); // as the worker's sequencer would
    expect((await verifyAuditChain(p)).ok).toBe(true);
  });

  it('refuses to sign a TBS that differs from the recorded signature.before event', async () => {
    const before = signCalls;
    const tbs = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
    const audit = prerecordedSignatureAudit(
      { keyRef: c.issuing.keyRef, purpose: 'certificate', subject: 'certificate:x', tbsSha256: '00'.repeat(32) }, p.clock, operator,
    );
    await expect(deps.signer.signTbs(c.issuing.keyRef, tbs, 'ecdsaWithSHA256', audit, { purpose: 'certificate', subject: 'certificate:x' }))
      .rejects.toThrow(/does not match its recorded signature.before/);
    expect(signCalls).toBe(before);
  });

  it('re-checks the SAN bindings when recording the intent (a stale context cannot certify another organization\'s SAN)', async () => {
    const ctx = await loadIssuanceContext(deps, orgId);
    const stale = { ...ctx, org: { ...ctx.org, sanUris: [...ctx.org.sanUris, otherSan] } };
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const before = signCalls;
    const err = await issueForKey(deps, stale, {
      profile: 'udap-server', spkiDer: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })), sanUris: [otherSan],
      requestKey: null, requestFingerprint: 'f', keySource: {},
    }, operator).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('san-invalid');
    expect(signCalls).toBe(before);
    expect((await p.db.certificates.list({ san: otherSan }, 0, 1)).total).toBe(0);
  });
});
