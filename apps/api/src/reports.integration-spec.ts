import { randomUUID } from 'node:crypto';
import {
  createApiToken, createCommunity, createOrganization, createUser, issueCertificate, openPlatform, submitCertificateRequest, totpCode, type Platform,
} from '@anchorage/authority';
import type { DashboardView } from '@anchorage/contracts';
import { openssl, opensslCsr, tempDir, testPlatformOptions, writePem } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

describe('dashboard, audit filters and CRL history download (HTTP, PostgreSQL, OpenSSL)', () => {
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  let operator: string;
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-reports-');
  const tag = randomUUID().slice(0, 8);
  const root = { id: 'reports-test', role: 'operator' as const };
  const ids = { community: '', issuing: '', org: '', soon: '' };

  const get = async (path: string, bearer = token) => {
    const res = await fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    p = await openPlatform(opts);
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
    token = (await createApiToken(p, 'reports', root)).token;
    const c = await createCommunity(p, { name: 'Reports', uri: `udap://reports-${tag}.example.org/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, root);
    ids.community = c.community.id;
    ids.issuing = c.issuing.id;
    const san = `https://reports-${tag}.example.org/fhir`;
    ids.org = (await createOrganization(p, { communityId: c.community.id, name: 'Reports Clinic', sanUris: [san] }, root)).id;
    ids.soon = (await issueCertificate(p, { organizationId: ids.org, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans: [san] }).csrPem, validityDays: 10 }, root)).certificate.id;
    await issueCertificate(p, { organizationId: ids.org, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans: [san] }).csrPem, validityDays: 200 }, root);
    await submitCertificateRequest(p, { organizationId: ids.org, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans: [san] }).csrPem }, root);
    // an operator of this community only: the dashboard counts nothing of other tests' communities
    const op = await createUser(p, { email: `reports-${tag}@example.org`, displayName: 'Reports Op', role: 'operator', password: 'reports password 1', communities: [c.community.id] }, root);
    const login = await fetch(`${srv.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: op.email, password: 'reports password 1', code: totpCode(op.totpEnrollment!.secret, new Date()) }),
    });
    operator = (await login.json()).accessToken;
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('shows pending work, CRL freshness per CA and certificates expiring soon, within the caller scope', async () => {
    const r = await get('/api/v1/dashboard', operator);
    expect(r.status).toBe(200);
    const d = JSON.parse(r.body.toString()) as DashboardView;
    expect(d.pendingRequests).toBe(1);
    expect(d.organizationsAwaitingReview).toBe(0);
    expect(d.expiringSoon).toMatchObject({ withinDays: 30, total: 1 });
    expect(d.expiringSoon.certificates.map((c) => c.id)).toEqual([ids.soon]);
    expect(d.crls.map((c) => c.caRole).sort()).toEqual(['issuing', 'root']);
    expect(d.crls.every((c) => c.communityId === ids.community && (c.secondsUntilNextUpdate ?? 0) > 0)).toBe(true);
  });

  it('filters the audit log by subject and by action prefix', async () => {
    const bySubject = JSON.parse((await get(`/api/v1/audit/events?subjectId=${ids.org}&limit=1000`)).body.toString()) as { subjectId: string; action: string }[];
    expect(bySubject.length).toBeGreaterThan(0);
    expect(bySubject.every((e) => e.subjectId === ids.org)).toBe(true);
    expect(bySubject.map((e) => e.action)).toContain('organization.created');
    const byAction = JSON.parse((await get(`/api/v1/audit/events?action=certificate-request.&subjectType=certificate-request&limit=1000`)).body.toString()) as { action: string }[];
    expect(byAction.length).toBeGreaterThan(0);
    expect(byAction.every((e) => e.action.startsWith('certificate-request.'))).toBe(true);
    expect((await get('/api/v1/audit/events?after=x')).status).toBe(400);
  });

  it('shows a certificate with its extensions decoded, as OpenSSL reads them', async () => {
    const c = JSON.parse((await get(`/api/v1/certificates/${ids.soon}`)).body.toString());
    const ext = Object.fromEntries((c.extensions as { name: string; critical: boolean; value: string }[]).map((e) => [e.name, e]));
    const text = openssl(['x509', '-noout', '-text'], Buffer.from(c.pem)).stdout;
    const aki = /Authority Key Identifier:\s*\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(text)![1];
    expect(ext.authorityKeyIdentifier.value).toBe(`keyid:${aki}`);
    expect(ext.subjectAltName.value).toBe(`URI:https://reports-${tag}.example.org/fhir`);
    expect(ext.basicConstraints).toMatchObject({ critical: true, value: 'CA:FALSE' });
    expect(ext.keyUsage.critical).toBe(true);
    expect(ext.crlDistributionPoints.value).toBe(`URI:${c.crlUrl}`);
    expect(ext.authorityInfoAccess.value).toBe(`caIssuers - URI:${c.caIssuersUrl}`);
    // lists stay lean: no decoding per row
    const list = JSON.parse((await get(`/api/v1/certificates?filter=${encodeURIComponent(JSON.stringify({ organizationId: ids.org }))}`)).body.toString());
    expect(list[0].extensions).toBeUndefined();
  });

  it('sorts lists by an allowed field, keeps the default order for id, and refuses other fields', async () => {
    const filter = encodeURIComponent(JSON.stringify({ organizationId: ids.org }));
    const list = async (sort: unknown) => {
      const r = await get(`/api/v1/certificates?filter=${filter}&sort=${encodeURIComponent(JSON.stringify(sort))}`);
      return { status: r.status, body: JSON.parse(r.body.toString()) };
    };
    const asc = (await list(['notAfter', 'ASC'])).body.map((c: { notAfter: string }) => c.notAfter);
    const desc = (await list(['notAfter', 'DESC'])).body.map((c: { notAfter: string }) => c.notAfter);
    expect(asc).toHaveLength(2);
    expect(asc).toEqual([...asc].sort());
    expect(desc).toEqual([...asc].reverse());
    const byId = (await list(['id', 'ASC'])).body.map((c: { id: string }) => c.id);
    const byDefault = JSON.parse((await get(`/api/v1/certificates?filter=${filter}`)).body.toString()).map((c: { id: string }) => c.id);
    expect(byId).toEqual(byDefault);
    const bad = await list(['derBase64', 'ASC']);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/cannot sort by derBase64; sort by one of: notAfter, notBefore, createdAt, status, profile/);
    expect((await list(['notAfter', 'UP'])).status).toBe(400);
  });

  it('downloads a CRL of the history as DER that OpenSSL reads', async () => {
    const r = await get(`/api/v1/cas/${ids.issuing}/crls/1`);
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/pkix-crl');
    const text = openssl(['crl', '-inform', 'DER', '-noout', '-crlnumber'], r.body);
    expect(text.stdout).toMatch(/crlNumber=0x01/);
    const caDer = Buffer.from(await (await fetch(`${srv.url}/pki/ca/${ids.issuing}.cer`)).arrayBuffer());
    const caPem = writePem(dir, `issuing-${tag}.pem`, [caDer]);
    const verified = openssl(['crl', '-inform', 'DER', '-noout', '-CAfile', caPem], r.body);
    expect(verified.stderr + verified.stdout).toMatch(/verify OK/);
    expect((await get(`/api/v1/cas/${ids.issuing}/crls/999999`)).status).toBe(404);
  });
});
