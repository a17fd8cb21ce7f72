// Record pages on a 390 px phone screen, in Chromium against the real API process: every page that shows one
// record (a community, an organization, a certificate, a certificate request, a bulk revocation, a user) fits
// the screen for an operator, and the member admin's organization and certificate fit it for them; nothing
// sticks out past the right edge (narrow.ts), each is kept as a screenshot and checked by axe-core. The
// values that make a record wide are real ones: 32-digit serials, SHA-256 fingerprints, long SAN URIs,
// key identifiers, CRL and CA certificate URLs, PEM.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { CertificateRequestView, CertificateView, CommunityView, CreatedUserView, OrganizationView, SuspensionView } from '@anchorage/contracts';
import { seriousViolations } from './axe';
import { SHOTS, skipWithoutChromium } from './browser';
import { NARROW_WIDTH, overflowing, widest } from './narrow';
import { ecCsr, realApiConsole, signInThroughLoginPage } from './real-api-harness';

const skip = skipWithoutChromium('console record pages browser test');
const PASSWORD = 'console records pass phrase';

(skip ? describe.skip : describe)('console record pages on a 390 px screen', () => {
  const t = realApiConsole('records');
  const { api, dir, host } = t;
  const records: {
    community?: CommunityView; org?: OrganizationView; certificate?: CertificateView; request?: CertificateRequestView;
    suspension?: SuspensionView; operator?: CreatedUserView; member?: CreatedUserView;
  } = {};

  beforeAll(async () => {
    records.community = await api<CommunityView>('POST', '/api/v1/communities', {
      name: 'Records Network', uri: `udap://${host}/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256', 'RSA-2048'] },
    });
    // a long SAN URI, as a real FHIR server's can be
    const san = `https://fhir-production-east.${host}/interoperability/fhir/r4/patient-access/udap`;
    const org = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: records.community.id, name: 'Records Regional Health Information Exchange', sanUris: [san] });
    records.org = org;
    records.certificate = await api<CertificateView>('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-client', csr: ecCsr(dir, san, 'leaf') });
    records.request = await api<CertificateRequestView>('POST', '/api/v1/certificate-requests', { organizationId: org.id, profile: 'udap-client', csr: ecCsr(dir, san, 'request') });
    const other = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: records.community.id, name: 'Records Suspended Clinic', sanUris: [`https://suspended.${host}/fhir`] });
    await api('POST', '/api/v1/certificates', { organizationId: other.id, profile: 'udap-client', csr: ecCsr(dir, other.sanUris[0], 'suspended') });
    records.suspension = await api<SuspensionView>('POST', `/api/v1/organizations/${other.id}/suspend`, { reason: 'Records test: a bulk revocation to show' });
    records.operator = await api<CreatedUserView>('POST', '/api/v1/users', { email: `operator@${host}`, displayName: 'Rhea Records', role: 'operator', password: PASSWORD, communities: 'all' });
    records.member = await api<CreatedUserView>('POST', '/api/v1/users', { email: `admin@${host}`, displayName: 'Mel Member', role: 'member-admin', password: PASSWORD, organizationId: org.id });
  }, 120_000);

  /** Opens each page (path -> text it shows once loaded) and answers what sticks out of each; axe-core's serious findings go to `axe`. */
  const measure = async (p: Page, who: string, pages: Record<string, string | RegExp>, axe: string[]): Promise<string[]> => {
    const out: string[] = [];
    for (const [path, ready] of Object.entries(pages)) {
      await p.goto(`${t.url}/#${path}`);
      await p.getByText(ready).first().waitFor();
      await p.waitForTimeout(300); // late fetches (reference fields) settle
      const over = await overflowing(p);
      // the page wider than the screen pushes everything past its edge: name the element that widens it
      if (over.length > 0) out.push(`${who} ${path}: ${over[0]}; widened by ${await widest(p)}`);
      axe.push(...(await seriousViolations(p)).map((v) => `${who} ${path}: ${v}`));
      await p.screenshot({ path: join(SHOTS, `console-record-${who}-${path.split('/')[1]}.png`), fullPage: true, animations: 'disabled' });
    }
    return out;
  };

  it('fits every record page on a 390 px screen, for an operator and for a member admin', async () => {
    const { community, org, certificate, request, suspension, operator, member } = records as Required<typeof records>;
    const axe: string[] = [];
    const o = await signInThroughLoginPage(t.browser, t.url, operator, PASSWORD, { width: NARROW_WIDTH, bypassCSP: true });
    const over = await measure(o, 'operator', {
      [`/communities/${community.id}/show`]: 'Records Network',
      [`/organizations/${org.id}/show`]: org.name,
      [`/certificates/${certificate.id}/show`]: certificate.serial,
      [`/certificate-requests/${request.id}/show`]: org.name,
      [`/bulk-revocations/${suspension.bulkRevocation!.id}/show`]: 'Records Suspended Clinic',
      [`/users/${member.id}/show`]: 'Mel Member',
    }, axe);
    await o.context().close();
    const m = await signInThroughLoginPage(t.browser, t.url, member, PASSWORD, { width: NARROW_WIDTH, bypassCSP: true });
    over.push(...await measure(m, 'member', {
      '/organizations': org.name,
      [`/certificates/${certificate.id}/show`]: certificate.serial,
    }, axe));
    await m.context().close();
    expect(over).toEqual([]);
    expect(axe).toEqual([]);
  }, 180_000);
});
