import { randomUUID } from 'node:crypto';
import {
  createApiToken, createCommunity, createOrganization, createUser, issueCertificate, openPlatform, submitCertificateRequest, type Platform,
} from '@anchorage/authority';
import type { CertificateRequestView, CertificateView, OrganizationView } from '@anchorage/contracts';
import { opensslCsr, tempDir, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

// Search and order of the certificate, request and organization lists (console lists, CLI `list`): one
// search box (`q`) over SAN URIs, subjects, organization names and serial prefixes; partial SAN and
// serial filters; newest first by default; the caller's scope still applies.
describe('list search: q, partial SAN, serial prefix, newest first (HTTP, PostgreSQL)', () => {
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  let member: string;
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-list-search-');
  const tag = randomUUID().slice(0, 8);
  const root = { id: 'list-search-test', role: 'operator' as const };
  const PASSWORD = 'list search password 1';
  const alphaSan = `https://alpha-${tag}.example.org/fhir/r4`;
  const betaSan = `https://beta-${tag}.example.org/fhir/dental`;
  const certs: { alpha: CertificateView[]; beta: CertificateView[] } = { alpha: [], beta: [] };
  let alphaOrg: string;
  let betaOrg: string;

  const get = async <T>(path: string, bearer = token): Promise<{ status: number; body: T; range: string | null }> => {
    const res = await fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    return { status: res.status, body: (await res.json()) as T, range: res.headers.get('content-range') };
  };
  const list = (resource: string, filter: Record<string, string>, extra = '') => get<{ id: string }[]>(
    `/api/v1/${resource}?filter=${encodeURIComponent(JSON.stringify(filter))}${extra}`,
  );
  const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

  beforeAll(async () => {
    p = await openPlatform(opts);
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
    token = (await createApiToken(p, 'list-search', root)).token;
    const c = await createCommunity(p, { name: `Search ${tag}`, uri: `udap://search-${tag}.example.org/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, root);
    alphaOrg = (await createOrganization(p, { communityId: c.community.id, name: `Alpha Health ${tag}`, sanUris: [alphaSan] }, root)).id;
    betaOrg = (await createOrganization(p, { communityId: c.community.id, name: `Beta Dental ${tag}`, sanUris: [betaSan] }, root)).id;
    for (const [org, san, into] of [[alphaOrg, alphaSan, certs.alpha], [betaOrg, betaSan, certs.beta], [alphaOrg, alphaSan, certs.alpha]] as const) {
      const issued = await issueCertificate(p, { organizationId: org, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans: [san] }).csrPem }, root);
      into.push((await get<CertificateView>(`/api/v1/certificates/${issued.certificate.id}`)).body);
    }
    await submitCertificateRequest(p, { organizationId: betaOrg, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans: [betaSan] }).csrPem }, root);
    await createUser(p, { email: `alpha-${tag}@example.org`, displayName: 'Alpha Admin', role: 'member-admin', password: PASSWORD, organizationId: alphaOrg }, root);
    const login = await fetch(`${srv.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `alpha-${tag}@example.org`, password: PASSWORD }),
    });
    member = ((await login.json()) as { accessToken: string }).accessToken;
  });
  afterAll(async () => {
    await srv?.close();
    await p?.close();
  });

  it('finds certificates by part of the organization name, of a SAN URI or of the subject, newest first', async () => {
    const alphaNewestFirst = ids([...certs.alpha].reverse());
    expect(ids((await list('certificates', { q: `alpha health ${tag}` })).body)).toEqual(alphaNewestFirst);
    expect(ids((await list('certificates', { q: `beta-${tag}.example.org/fhir/DEN` })).body)).toEqual(ids(certs.beta));
    // the subject is the organization's name (the CA sets it): "O=Beta Dental <tag>"
    expect(ids((await list('certificates', { q: `Dental ${tag}` })).body)).toEqual(ids(certs.beta));
    expect(ids((await list('certificates', { san: `alpha-${tag}` })).body)).toEqual(alphaNewestFirst);
    // LIKE's own characters are text, not wildcards
    expect((await list('certificates', { q: '%' })).body).toEqual([]);
    expect((await list('certificates', { q: `alpha_health ${tag}` })).body).toEqual([]);
  });

  it('finds a certificate by the start of its serial, in the search box or the serial filter, odd lengths too', async () => {
    const target = certs.beta[0];
    for (const prefix of [target.serial.slice(0, 8), target.serial.slice(0, 7).toUpperCase(), target.serial]) {
      const bySerial = ids((await list('certificates', { serial: prefix })).body);
      expect(bySerial).toContain(target.id);
      expect(ids((await list('certificates', { q: prefix })).body)).toContain(target.id);
      // everything found really starts so
      for (const c of (await list('certificates', { serial: prefix })).body as CertificateView[]) expect(c.serial.startsWith(prefix.toLowerCase())).toBe(true);
    }
    expect(ids((await list('certificates', { serial: target.serial, organizationId: alphaOrg })).body)).toEqual([]);
    expect((await list('certificates', { serial: 'xyz' })).status).toBe(400);
  });

  it('pages and sorts the searched list, with the total in Content-Range', async () => {
    const page = await list('certificates', { q: tag }, '&range=[0,1]&sort=["notAfter","ASC"]');
    expect(page.range).toBe('certificates 0-1/3');
    const all = (await list('certificates', { q: tag }, '&sort=["notAfter","ASC"]')).body as CertificateView[];
    expect(all.map((c) => c.notAfter)).toEqual([...all.map((c) => c.notAfter)].sort());
    expect(ids(page.body)).toEqual(ids(all).slice(0, 2));
    expect((await list('certificates', { q: tag }, '&sort=["serial","ASC"]')).status).toBe(400);
  });

  it('keeps the caller scope: a member admin finds only its own organization\'s certificates', async () => {
    const mine = await get<CertificateView[]>(`/api/v1/certificates?filter=${encodeURIComponent(JSON.stringify({ q: tag }))}`, member);
    expect(mine.status).toBe(200);
    expect(ids(mine.body).sort()).toEqual(ids(certs.alpha).sort());
    const theirs = await get<CertificateView[]>(`/api/v1/certificates?filter=${encodeURIComponent(JSON.stringify({ q: `beta-${tag}` }))}`, member);
    expect(theirs.body).toEqual([]);
  });

  it('searches requests by SAN or organization name, and organizations by name or SAN', async () => {
    const requests = (await list('certificate-requests', { q: `dental ${tag}` })).body as CertificateRequestView[];
    expect(requests.map((r) => r.organizationId)).toEqual([betaOrg]);
    expect((await list('certificate-requests', { q: `alpha-${tag}` })).body).toEqual([]);
    expect(ids((await list('organizations', { q: `BETA DENTAL ${tag}` })).body as OrganizationView[])).toEqual([betaOrg]);
    expect(ids((await list('organizations', { q: `alpha-${tag}.example.org/fhir` })).body)).toEqual([alphaOrg]);
    // newest first by default: beta was created after alpha
    expect(ids((await list('organizations', { q: tag })).body)).toEqual([betaOrg, alphaOrg]);
  });
});
