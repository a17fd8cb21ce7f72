// Every screen of the console, in Chromium against the real API, checked by axe-core (WCAG 2.x A/AA rules
// and best practices): no serious or critical violation (contrast of the app bar included), and each screen
// with a tab title of its own. Operators, auditors and member admins see different screens; the signed-out
// pages (sign-in, an invitation link) are checked too. A screenshot of each is kept.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { CertificateRequestView, CertificateView, CommunityView, CreatedUserView, OrganizationView } from '@anchorage/contracts';
import { seriousViolations } from './axe';
import { SHOTS, skipWithoutChromium } from './browser';
import { ecCsr, launchChromium, signInThroughLoginPage, startConsoleApi, type ConsoleApi } from './real-api-harness';

const skip = skipWithoutChromium('console accessibility browser test');
const PASSWORD = 'console a11y pass phrase';

(skip ? describe.skip : describe)('console accessibility: axe-core on every screen, a title each', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-console-a11y-'));
  const host = `a11y-${randomBytes(4).toString('hex')}.example.org`;
  let server: ConsoleApi | undefined;
  let url = '';
  let browser: Browser;
  let community: CommunityView;
  let org: OrganizationView;
  let cert: CertificateView;
  let request: CertificateRequestView;
  let memberAdmin: CreatedUserView;
  /** screen -> its serious violations; checked at the end so one run reports every screen */
  const found = new Map<string, string[]>();
  const titles = new Map<string, string>();

  const api = <T>(method: string, path: string, body?: unknown): Promise<T> => server!.api<T>(method, path, body);
  const csrFor = (san: string, name: string) => ecCsr(dir, san, name);

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const p = await context.newPage();
    p.setDefaultTimeout(20_000);
    return p;
  };
  const signIn = (user: CreatedUserView): Promise<Page> => signInThroughLoginPage(browser, url, user, PASSWORD, { bypassCSP: true });
  const newUser = (role: string, extra: Record<string, unknown>) => api<CreatedUserView>('POST', '/api/v1/users', {
    email: `${role}-${randomBytes(3).toString('hex')}@${host}`, displayName: `A11y ${role}`, role, password: PASSWORD, ...extra,
  });
  /** Opens `hash` (a console route), waits until `ready` shows, and records axe's findings and the tab title. */
  const check = async (p: Page, who: string, name: string, hash: string, ready: string | RegExp) => {
    await p.goto(`${url}/#${hash}`);
    await p.getByText(ready).first().waitFor();
    await p.waitForTimeout(300); // transitions and late fetches settle
    const screen = `${who}: ${name}`;
    found.set(screen, await seriousViolations(p));
    titles.set(screen, await p.title());
    await p.screenshot({ path: join(SHOTS, `a11y-${who}-${name.replace(/\W+/g, '-').toLowerCase()}.png`), fullPage: true, animations: 'disabled' });
  };

  beforeAll(async () => {
    server = await startConsoleApi('http://pki.console-a11y.invalid', 'console-a11y');
    url = server.url;
    community = await api<CommunityView>('POST', '/api/v1/communities', { name: 'A11y Network', uri: `udap://${host}/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } });
    org = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'A11y Clinic', sanUris: [`https://${host}/fhir`] });
    cert = await api<CertificateView>('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-client', csr: csrFor(`https://${host}/fhir`, 'leaf') });
    request = await api<CertificateRequestView>('POST', '/api/v1/certificate-requests', { organizationId: org.id, profile: 'udap-client', csr: csrFor(`https://${host}/fhir`, 'req') });
    memberAdmin = await newUser('member-admin', { organizationId: org.id });
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signed out: the sign-in page and an invitation link', async () => {
    const p = await newPage();
    await p.goto(`${url}/`);
    await p.getByLabel('E-mail').waitFor();
    found.set('signed out: sign-in', await seriousViolations(p));
    await p.goto(`${url}/#/accept-invitation?token=${randomBytes(16).toString('hex')}`);
    await p.getByText(/invitation/i).first().waitFor();
    await p.waitForTimeout(300);
    found.set('signed out: invitation link', await seriousViolations(p));
    await p.context().close();
  });

  it('an operator\'s screens', async () => {
    const p = await signIn(await newUser('operator', { communities: 'all' }));
    const screens: [string, string, string | RegExp][] = [
      ['dashboard', '/', /CRL freshness/i],
      ['communities', '/communities', 'A11y Network'],
      ['community', `/communities/${community.id}/show`, 'A11y Network'],
      ['organizations', '/organizations', 'A11y Clinic'],
      ['organization', `/organizations/${org.id}/show`, 'A11y Clinic'],
      ['invitations', '/invitations', /Invitations/],
      ['invite', '/invitations/create', /Invit/],
      ['requests', '/certificate-requests', /requests/i],
      ['request', `/certificate-requests/${request.id}/show`, 'udap-client'],
      ['certificates', '/certificates', cert.serial],
      ['certificate', `/certificates/${cert.id}/show`, cert.serial],
      ['certifications', '/certifications', /Certifications/],
      ['bulk revocations', '/bulk-revocations', /Bulk revocations/],
      ['expiry notices', '/expiry-notices', /Expiry notices/],
      ['revocation notices', '/revocation-subscriptions', /Revocation notices/],
      ['conformance', '/conformance-endpoints', /conformance/i],
      ['users', '/users', memberAdmin.email],
      ['new user', '/users/create', /Role/],
      ['user', `/users/${memberAdmin.id}/show`, memberAdmin.email],
      ['audit log', '/audit', /Audit log/],
      ['queues', '/queues', /Queues/],
      ['two-factor', '/two-factor', /Two-factor/i],
      ['test kit', `/communities/${community.id}/test-kit`, /test/i],
    ];
    for (const [name, hash, ready] of screens) await check(p, 'operator', name, hash, ready);
    await p.context().close();
  });

  it('a member admin\'s screens, and an auditor\'s', async () => {
    const m = await signIn(memberAdmin);
    for (const [name, hash, ready] of [
      ['dashboard', '/', /Dashboard|certificates/i], ['my organization', '/organizations', 'A11y Clinic'], ['my requests', '/certificate-requests', /requests/i],
      ['request a certificate', '/certificate-requests/create', /profile/i], ['my certificates', '/certificates', cert.serial], ['certificate', `/certificates/${cert.id}/show`, cert.serial],
    ] as [string, string, string | RegExp][]) await check(m, 'member', name, hash, ready);
    await m.context().close();
    const a = await signIn(await newUser('auditor', {}));
    for (const [name, hash, ready] of [['dashboard', '/', /CRL freshness/i], ['audit log', '/audit', /Audit log/], ['certificate', `/certificates/${cert.id}/show`, cert.serial]] as [string, string, string | RegExp][]) {
      await check(a, 'auditor', name, hash, ready);
    }
    await a.context().close();
  });

  it('finds no serious or critical violation on any screen, and gives each screen a title of its own', () => {
    const failing = [...found].filter(([, v]) => v.length > 0).map(([screen, v]) => `${screen}\n  ${v.join('\n  ')}`);
    expect(found.size).toBe(34);
    expect(failing).toEqual([]);
    for (const [screen, title] of titles) {
      expect({ screen, title }).toEqual({ screen, title: expect.stringMatching(/^.+ · Anchorage console$/) });
    }
    // the operator's screens are told apart by their titles (a list and its records may share a word, not the whole title)
    const operatorTitles = [...titles].filter(([s]) => s.startsWith('operator: ')).map(([, t]) => t);
    expect(new Set(operatorTitles).size).toBeGreaterThanOrEqual(operatorTitles.length - 3);
  });
});
