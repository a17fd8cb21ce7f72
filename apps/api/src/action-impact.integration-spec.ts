import { randomUUID } from 'node:crypto';
import {
  createApiToken, createCommunity, createOrganization, generateCrl, issueCertificate, openPlatform, revokeCertificate, submitOrganizationProfile, type Platform,
} from '@anchorage/authority';
import type { CaImpactView, OrganizationImpactView } from '@anchorage/contracts';
import { unrevokedCountsQuery } from '@anchorage/db';
import { FakeClock, opensslCsr, opensslVerify, tempDir, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

// What the console shows before an irreversible decision, read from the real API over real
// PostgreSQL: the certificates a suspension or a CA's end would revoke (issued, revoked, on hold and
// expired ones told apart on the platform clock), and the SAN URIs an approval binds for good with
// the state of each one's endpoint check. Every certificate counted is checked with OpenSSL first.
describe('impact of irreversible decisions (HTTP, real PostgreSQL)', () => {
  const root = { id: 'impact-test', role: 'operator' as const };
  const tag = randomUUID().slice(0, 8);
  const san = `https://fhir.impact-${tag}.example.org/r4`;
  const DAY = 86_400_000;
  const clock = new FakeClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  const dir = tempDir('impact-');
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  let ids: { org: string; other: string; root: string; issuing: string; revoked: string; held: string; expiring: string; live: string[] };

  const get = async <T>(path: string) => {
    const res = await fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, json: (await res.json()) as T };
  };
  const crlDer = async (caId: string) => {
    const crl = (await generateCrl(p, caId, root)).crl;
    return (await p.db.reports.crlByNumber(caId, crl.crlNumber))!.der!;
  };

  beforeAll(async () => {
    p = await openPlatform({ ...testPlatformOptions(), clock });
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
    token = (await createApiToken(p, `impact-${tag}`, root)).token;
    const community = await createCommunity(p, { name: 'Impact', uri: `udap://impact-${tag}.example.org/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, root);
    const org = await createOrganization(p, { communityId: community.community.id, name: 'Impact Clinic', sanUris: [san] }, root);
    const other = await createOrganization(p, { communityId: community.community.id, name: 'Other Clinic', sanUris: [`https://other.impact-${tag}.example.org/r4`] }, root);
    const issue = async (organizationId: string, sans: string[], validityDays: number) =>
      (await issueCertificate(p, { organizationId, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans }).csrPem, validityDays }, root)).certificate;
    const live = [await issue(org.id, [san], 200), await issue(org.id, [san], 200)];
    const revoked = await issue(org.id, [san], 200);
    const held = await issue(org.id, [san], 200);
    const expiring = await issue(org.id, [san], 1);
    // another organization's certificate: counted for the CA, never for this organization
    await issue(other.id, [`https://other.impact-${tag}.example.org/r4`], 200);
    await revokeCertificate(p, { certificate: { certificateId: revoked.id }, reason: 'keyCompromise' }, root);
    await revokeCertificate(p, { certificate: { certificateId: held.id }, reason: 'certificateHold' }, root);
    ids = {
      org: org.id, other: other.id, root: community.root.id, issuing: community.issuing.id,
      revoked: revoked.id, held: held.id, expiring: expiring.id, live: live.map((c) => c.id),
    };
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('counts the certificates a suspension would revoke, on the platform clock, and OpenSSL agrees on each one\'s state', async () => {
    const rootCa = (await p.db.cas.find(ids.root))!;
    const issuingCa = (await p.db.cas.find(ids.issuing))!;
    const crls = [await crlDer(ids.root), await crlDer(ids.issuing)];
    const verify = async (id: string) => opensslVerify(dir, {
      anchors: [rootCa.certificateDer!], intermediates: [issuingCa.certificateDer!], crls, leaf: (await p.db.certificates.find(id))!.der!, attime: clock.now(),
    });

    // today: the one-day certificate is still valid
    for (const id of [...ids.live, ids.expiring]) expect((await verify(id)).status).toBe(0);
    for (const id of [ids.revoked, ids.held]) expect((await verify(id)).stderr + (await verify(id)).stdout).toMatch(/certificate revoked/);
    const today = await get<OrganizationImpactView>(`/api/v1/organizations/${ids.org}/impact`);
    expect(today.status).toBe(200);
    expect(today.json).toMatchObject({ organizationId: ids.org, name: 'Impact Clinic', status: 'active', at: clock.now().toISOString() });
    expect(today.json.certificates).toEqual({ live: 3, onHold: 1, toRevoke: 4 });

    // two days on it has expired: no longer live, yet a bulk revocation still marks it revoked
    clock.advance(2 * DAY);
    const expired = await verify(ids.expiring);
    expect(expired.status).not.toBe(0);
    expect(expired.stderr + expired.stdout).toMatch(/certificate has expired/);
    expect((await verify(ids.live[0])).status).toBe(0);
    const later = await get<OrganizationImpactView>(`/api/v1/organizations/${ids.org}/impact`);
    expect(later.json.certificates).toEqual({ live: 2, onHold: 1, toRevoke: 4 });
    expect(later.json.at).toBe(clock.now().toISOString());
    // the other organization holds only its own
    expect((await get<OrganizationImpactView>(`/api/v1/organizations/${ids.other}/impact`)).json.certificates).toEqual({ live: 1, onHold: 0, toRevoke: 1 });
  });

  it('counts what an issuing CA issued, and says its own certificate goes on the online root\'s CRL', async () => {
    const issuing = await get<CaImpactView>(`/api/v1/cas/${ids.issuing}/impact`);
    expect(issuing.status).toBe(200);
    expect(issuing.json).toMatchObject({
      caId: ids.issuing, role: 'issuing', status: 'active', certificates: { live: 3, onHold: 1, toRevoke: 5 },
      parent: { id: ids.root, offline: false }, revokedOnParentCrl: true,
    });
    const rootImpact = await get<CaImpactView>(`/api/v1/cas/${ids.root}/impact`);
    expect(rootImpact.json).toMatchObject({ role: 'root', parent: null, revokedOnParentCrl: false, certificates: { live: 0, onHold: 0, toRevoke: 0 } });
    expect((await get(`/api/v1/cas/${randomUUID()}/impact`)).status).toBe(404);
  });

  it('counts through an index: with sequential scans priced out, the plan reads certificate through an index', async () => {
    const client = await p.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      for (const subject of [{ organizationId: ids.org }, { issuerId: ids.issuing }]) {
        const q = unrevokedCountsQuery(subject, clock.now());
        const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.text}`, q.values)).rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).not.toMatch(/Seq Scan/);
        expect(plan).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
        expect(plan).toMatch('organizationId' in subject ? /certificate_(live_)?org_idx/ : /certificate_live_issuer_idx/);
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('lists the SAN URIs an approval binds for good with each one\'s endpoint check: verified, failed with the reason, never checked', async () => {
    const communityId = (await p.db.organizations.find(ids.org))!.communityId;
    const draft = await p.db.organizations.create({ id: randomUUID(), communityId, name: 'Applicant', status: 'draft' });
    const sans = ['ok', 'bad', 'new', 'started'].map((n) => `https://${n}.applicant-${tag}.example.org/r4`);
    await submitOrganizationProfile(p, draft, {
      legalName: 'Applicant LLC', identifiers: [{ type: 'OID', value: '2.16.840.1.113883.3.9999' }], address: { lines: ['2 Side St'], city: 'Utrecht', country: 'NL' },
      technicalContact: { name: 'T', email: 't@applicant.example' }, securityContact: { name: 'S', email: 's@applicant.example' }, requestedSanUris: sans,
    }, root);
    for (const uri of [sans[0], sans[1], sans[3]]) await p.db.onboarding.startEndpointCheck({ organizationId: draft.id, uri, token: `t-${uri}`, requestedBy: root.id, now: clock.now() });
    await p.db.onboarding.recordEndpointCheck(draft.id, sans[0], `t-${sans[0]}`, { ok: true, error: null, now: clock.now() });
    await p.db.onboarding.recordEndpointCheck(draft.id, sans[1], `t-${sans[1]}`, { ok: false, error: 'bad-token', now: clock.now() });

    const out = await get<OrganizationImpactView>(`/api/v1/organizations/${draft.id}/impact`);
    expect(out.status).toBe(200);
    expect(out.json).toMatchObject({ status: 'submitted', profileRevision: 1, certificates: { live: 0, onHold: 0, toRevoke: 0 } });
    expect(out.json.sanUris.map((s) => [s.uri, s.alreadyBound, s.check, s.lastError])).toEqual([
      [sans[0], false, 'verified', null],
      [sans[1], false, 'failed', 'bad-token'],
      [sans[2], false, 'never-checked', null],
      [sans[3], false, 'pending', null],
    ]);
    expect(out.json.sanUris[0].checkedAt).toBe(clock.now().toISOString());
    // an active organization's bound SAN URIs are named as bound already
    const active = await get<OrganizationImpactView>(`/api/v1/organizations/${ids.org}/impact`);
    expect(active.json.sanUris).toEqual([{ uri: san, alreadyBound: true, check: 'never-checked', lastError: null, checkedAt: null }]);
  });
});
