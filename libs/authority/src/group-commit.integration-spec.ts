import { randomBytes, randomUUID } from 'node:crypto';
import { DbConflictError, type AuditInput, type CertificateRecord, type IssuanceIntentInput } from '@anchorage/db';
import { isolatedPlatformOptions, opensslCsr, opensslVerify, tempDir, type IsolatedPlatformOptions } from '@anchorage/testing';
import { linkAuditChain } from './audit-sequencer';
import { createCommunity, type CreatedCommunity } from './create-community';
import { createOrganization } from './create-organization';
import { generateCrl } from './generate-crl';
import { issueCertificate } from './issue-certificate';
import { openPlatform, type Platform } from './platform';
import { revokeCertificate } from './revoke-certificate';
import { verifyAuditChain } from './verify-audit';
import type { Actor } from './deps';

const operator: Actor = { id: 'group-commit-operator', role: 'operator' };

// Concurrent intents and completions share statements (libs/db group-commit.ts, issuance-batch.ts).
// Each caller must get exactly what a statement of its own would have given it: the same rows, the
// same audit events in the same order, the same refusals. One in flight at a time makes the grouping
// certain: the first call goes alone, everything submitted with it waits and goes together.
describe('group commit of the issuance writes', () => {
  // a database of its own: the store-level tests write certificates whose DER is random bytes, which
  // other test files' lists and dashboards must never read
  let opts: IsolatedPlatformOptions;
  const dir = tempDir('anchorage-group-commit-');
  const host = `g${randomUUID().slice(0, 8)}.example.org`;
  const sanA = `https://${host}/fhir/a`;
  const sanA2 = `https://${host}/fhir/a2`;
  const sanB = `https://${host}/fhir/b`;
  let p: Platform; // grouped
  let alone: Platform; // every statement on its own, the reference
  let c: CreatedCommunity;
  let orgA: string;
  let orgB: string; // suspended

  beforeAll(async () => {
    opts = await isolatedPlatformOptions();
    p = await openPlatform({ ...opts, groupCommit: { maxInFlight: 1, maxBatch: 32 } });
    alone = await openPlatform({ ...opts, groupCommit: false });
    c = await createCommunity(p, { name: 'Group Commit Test', uri: `udap://${host}/`, caKeyType: 'RSA-2048' }, operator);
    orgA = (await createOrganization(p, { communityId: c.community.id, name: 'Group Org A', sanUris: [sanA, sanA2] }, operator)).id;
    orgB = (await createOrganization(p, { communityId: c.community.id, name: 'Group Org B', sanUris: [sanB] }, operator)).id;
    await p.db.pool.query(`UPDATE organization SET status = 'suspended', status_reason = 'test' WHERE id = $1`, [orgB]);
  });
  afterAll(async () => {
    await alone?.close();
    await p?.close();
    await opts?.drop();
  });

  const intentOf = (o: Partial<IssuanceIntentInput> = {}): IssuanceIntentInput => ({
    id: randomUUID(), issuerId: c.issuing.id, organizationId: orgA, serial: randomBytes(16), profile: 'udap-client', subject: 'CN=Group Org A',
    sanUris: [sanA], keyType: 'RSA-2048', notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000), tbsDer: randomBytes(700),
    requestKey: null, requestFingerprint: 'fp', requestedBy: operator.id, ...o,
  });
  const eventsOf = (id: string, actions: string[]): AuditInput[] => actions.map((action) => ({
    at: new Date(), actor: operator.id, action, subjectType: 'certificate', subjectId: id, data: { n: action },
  }));
  const intentEvents = (id: string) => eventsOf(id, ['certificate.intent', 'signature.before']);
  const outcome = (r: PromiseSettledResult<CertificateRecord>): string => (r.status === 'fulfilled'
    ? `ok:${r.value.status}`
    : r.reason instanceof DbConflictError ? `conflict:${r.reason.constraint}` : `error:${(r.reason as Error).message}`);
  const record = (platform: Platform, i: IssuanceIntentInput) => platform.db.certificates.recordIntent(i, c.community.id, intentEvents(i.id));
  const auditActions = async (ids: string[]) => (await p.db.pool.query<{ subject_id: string; action: string }>(
    'SELECT subject_id, action FROM audit_event WHERE subject_id = ANY($1::text[]) ORDER BY seq', [ids],
  )).rows.map((r) => `${r.subject_id}:${r.action}`);

  // The refusals a statement of its own gives, each kind once.
  const kinds: Record<string, () => Partial<IssuanceIntentInput>> = {
    ok: () => ({}),
    'two SANs, order kept': () => ({ sanUris: [sanA2, sanA] }),
    'SAN not bound': () => ({ sanUris: [sanA, `https://elsewhere-${host}/fhir`] }),
    'SAN of another organization': () => ({ sanUris: [sanB] }),
    'organization suspended': () => ({ organizationId: orgB, sanUris: [sanB] }),
    'issuer is the root': () => ({ issuerId: c.root.id }),
    'no SAN at all': () => ({ sanUris: [] }),
  };

  it('intents: a statement of many gives each item what a statement of its own gives, rows and audit events included', async () => {
    const before = p.db.groupCommitStats!.intents.statements;
    const names = Object.keys(kinds);
    const lead = intentOf();
    const grouped = names.map((k) => intentOf(kinds[k]()));
    const results = await Promise.allSettled([lead, ...grouped].map((i) => record(p, i)));
    const reference = await Promise.allSettled(names.map((k) => record(alone, intentOf(kinds[k]()))));
    expect(results.slice(1).map(outcome)).toEqual(reference.map(outcome));
    expect(results.slice(1).map(outcome)).toEqual([
      'ok:pending', 'ok:pending', 'conflict:san_binding', 'conflict:san_binding', 'conflict:organization_inactive', 'conflict:issuer_inactive', 'ok:pending',
    ]);
    const stats = p.db.groupCommitStats!.intents;
    expect(stats.statements - before).toBe(2); // the lead alone, then the seven together
    expect(stats.largest).toBeGreaterThanOrEqual(names.length);

    // the rows: only the accepted ones, as given (SAN order included)
    const rows = (await p.db.pool.query<{ id: string; status: string; san_uris: string[]; organization_id: string }>(
      'SELECT id, status, san_uris, organization_id FROM certificate WHERE id = ANY($1::uuid[])', [grouped.map((i) => i.id)],
    )).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    grouped.forEach((i, k) => {
      const row = byId.get(i.id);
      if (results[k + 1].status === 'fulfilled') expect(row).toEqual({ id: i.id, status: 'pending', san_uris: i.sanUris, organization_id: i.organizationId });
      else expect(row).toBeUndefined();
    });
    // the audit events: both of each accepted intent, in order; none of a refused one
    const accepted = grouped.filter((_, k) => results[k + 1].status === 'fulfilled').map((i) => i.id);
    expect(await auditActions(grouped.map((i) => i.id))).toEqual(accepted.flatMap((id) => [`${id}:certificate.intent`, `${id}:signature.before`]));
  });

  it('intents: a request id used twice in one statement makes it fail whole; each is then written on its own', async () => {
    const before = p.db.groupCommitStats!.intents.fallbacks;
    const key = `req-${randomUUID()}`;
    const items = [intentOf(), intentOf({ requestKey: key }), intentOf(), intentOf({ requestKey: key })];
    const results = await Promise.allSettled(items.map((i) => record(p, i)));
    expect(results.map(outcome)).toEqual(['ok:pending', 'ok:pending', 'ok:pending', 'conflict:certificate_unique']);
    expect(p.db.groupCommitStats!.intents.fallbacks).toBe(before + 1);
    expect(await auditActions([items[3].id])).toEqual([]);
    expect(await auditActions([items[1].id])).toEqual([`${items[1].id}:certificate.intent`, `${items[1].id}:signature.before`]);
  });

  it('completions: grouped, each stored once; the same certificate twice in one statement stores the first only', async () => {
    const pending = await Promise.all([intentOf(), intentOf(), intentOf()].map((i) => record(p, i)));
    const [lead, a, b] = pending;
    const der = () => randomBytes(900);
    const derA = der();
    const completions = [
      { pending: lead, der: der() }, { pending: a, der: derA }, { pending: b, der: der() }, { pending: a, der: der() },
    ];
    const results = await Promise.allSettled(completions.map((x) => p.db.certificates.complete(
      x.pending, x.der, new Date(), eventsOf(x.pending.id, ['signature.after', 'certificate.issued']),
    )));
    expect(results.map(outcome)).toEqual(['ok:issued', 'ok:issued', 'ok:issued', `error:certificate ${a.id} is not pending`]);
    expect(p.db.groupCommitStats!.completions.largest).toBeGreaterThanOrEqual(3);
    const stored = (await p.db.pool.query<{ der: Buffer; tbs_der: Buffer | null; status: string }>('SELECT der, tbs_der, status FROM certificate WHERE id = $1', [a.id])).rows[0];
    expect(stored).toEqual({ der: derA, tbs_der: null, status: 'issued' });
    expect(await auditActions([a.id])).toEqual([
      `${a.id}:certificate.intent`, `${a.id}:signature.before`, `${a.id}:signature.after`, `${a.id}:certificate.issued`,
    ]);
    // a completion of an issued certificate, alone, is refused the same way
    await expect(alone.db.certificates.complete(b, der(), new Date(), [])).rejects.toThrow(`certificate ${b.id} is not pending`);
  });

  it('concurrent issuances through the signer: grouped, verified by OpenSSL with CRLs, revoked one refused, audit chain intact', async () => {
    const before = p.db.groupCommitStats!;
    const csrs = Array.from({ length: 8 }, (_, k) => opensslCsr(dir, { rsaBits: 2048, sans: [k % 2 ? sanA : sanA2], cn: `group-${k}` }));
    const issued = await Promise.all(csrs.map((csr) => issueCertificate(p, { organizationId: orgA, profile: 'udap-client', csr: csr.csrPem }, operator)));
    const after = p.db.groupCommitStats!;
    expect(after.intents.items - before.intents.items).toBe(8);
    expect(after.intents.statements - before.intents.statements).toBeLessThan(8);
    expect(after.completions.statements - before.completions.statements).toBeLessThan(8);
    expect(new Set(issued.map((i) => i.certificate.id)).size).toBe(8);

    const revoked = issued[3].certificate;
    await revokeCertificate(p, { certificate: { certificateId: revoked.id }, reason: 'keyCompromise' }, operator);
    const issuingCrl = await generateCrl(p, c.issuing.id, operator);
    const rootCrl = await generateCrl(p, c.root.id, operator);
    const verify = (leaf: Uint8Array) => opensslVerify(dir, {
      anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: [rootCrl.crl.der!, issuingCrl.crl.der!], leaf,
    });
    for (const [k, i] of issued.entries()) {
      const v = verify(i.certificate.der!);
      if (k === 3) expect(`${v.stdout}${v.stderr}`).toMatch(/certificate revoked/);
      else expect(v.status).toBe(0);
    }
    await linkAuditChain(p);
    expect(await verifyAuditChain(p)).toMatchObject({ ok: true, unlinked: { count: 0 } });
  });
});
