// Lists in Chromium against the real API process: the search box finds certificates by part of the
// organization's name and by the start of a serial, requests and organizations by name; lists are newest
// first; an operator revokes two selected certificates at once (typed count, progress, an outcome per
// certificate; the served CRL then lists both, and OpenSSL refuses them) and approves two selected
// requests; on a 390 px phone screen the lists are cards, and every screen the menu offers an operator, an
// auditor and a member admin fits without sideways scrolling (each kept as a screenshot, each checked by
// axe-core), cards opening their records as table rows do.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { CertificateRequestView, CertificateView, CommunityView, CreatedUserView, OrganizationView } from '@anchorage/contracts';
import { SmtpReceiver } from '@anchorage/testing';
import { seriousViolations } from './axe';
import { SHOTS, skipWithoutChromium } from './browser';
import { widest } from './narrow';
import { ecCsr, launchChromium, signInThroughLoginPage, startConsoleApi, type ConsoleApi } from './real-api-harness';

const skip = skipWithoutChromium('console lists browser test');
const PASSWORD = 'console lists pass phrase';

(skip ? describe.skip : describe)('console lists: search, newest first, bulk actions, phone width', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-console-lists-'));
  const host = `lists-${randomBytes(4).toString('hex')}.example.org`;
  let server: ConsoleApi | undefined;
  let smtp: SmtpReceiver | undefined; // invitations are e-mailed
  let url = '';
  let browser: Browser;
  let community: CommunityView;
  let alpha: OrganizationView;
  let beta: OrganizationView;
  const certs: CertificateView[] = []; // alpha, beta, alpha, beta: in issuance order
  let operators = 0;

  const api = <T>(method: string, path: string, body?: unknown): Promise<T> => server!.api<T>(method, path, body);
  const csrFor = (san: string, name: string) => ecCsr(dir, san, name);
  const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `console-lists-${name}.png`), fullPage: true, animations: 'disabled' });

  /** A new operator (a TOTP code is accepted once: one each) signed in through the login page. */
  const signIn = async (width: number, bypassCSP = false): Promise<Page> => {
    const operator = await api<CreatedUserView>('POST', '/api/v1/users', {
      email: `operator${++operators}@${host}`, displayName: `Lena Lists ${operators}`, role: 'operator', password: PASSWORD, communities: 'all',
    });
    return signInThroughLoginPage(browser, url, operator, PASSWORD, { width, bypassCSP });
  };
  /** The serials shown in the certificate table, top to bottom, once it shows `n` rows. */
  const serialsShown = async (p: Page, n: number): Promise<string[]> => {
    const rows = p.locator('table tbody tr');
    await p.waitForFunction((k) => document.querySelectorAll('table tbody tr').length === k, n);
    return (await rows.locator('td.column-serial').allInnerTexts()).map((s) => s.trim());
  };

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    server = await startConsoleApi('http://pki.console-lists.invalid', 'console-lists', { ANCHORAGE_SMTP_URL: smtp.url, ANCHORAGE_MAIL_FROM: 'Anchorage <no-reply@console-lists.invalid>' });
    url = server.url;
    community = await api<CommunityView>('POST', '/api/v1/communities', { name: 'Lists Network', uri: `udap://${host}/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256', 'RSA-2048'] } }); // RSA: a certifier's key
    alpha = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Alpha Health', sanUris: [`https://alpha.${host}/fhir`] });
    beta = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Beta Dental', sanUris: [`https://beta.${host}/fhir`] });
    for (const [k, o] of [alpha, beta, alpha, beta].entries()) {
      const san = o.sanUris[0];
      certs.push(await api<CertificateView>('POST', '/api/v1/certificates', { organizationId: o.id, profile: 'udap-client', csr: csrFor(san, `leaf-${k}`) }));
    }
    for (const k of [0, 1]) await api<CertificateRequestView>('POST', '/api/v1/certificate-requests', { organizationId: beta.id, profile: 'udap-client', csr: csrFor(beta.sanUris[0], `req-${k}`) });
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
  });

  it('lists certificates newest first and finds them by organization name and by the start of a serial', async () => {
    const p = await signIn(1280);
    await p.goto(`${url}/#/certificates`);
    expect(await serialsShown(p, 4)).toEqual([...certs].reverse().map((c) => c.serial));
    await p.getByRole('textbox', { name: /Search by SAN URI, subject, organization or serial/ }).fill('beta dent');
    expect(await serialsShown(p, 2)).toEqual([certs[3].serial, certs[1].serial]);
    await shot(p, 'search-organization');
    await p.getByRole('textbox', { name: /Search by SAN URI/ }).fill(certs[2].serial.slice(0, 9));
    expect(await serialsShown(p, 1)).toEqual([certs[2].serial]);
    await p.getByRole('textbox', { name: /Search by SAN URI/ }).fill('no such thing');
    await p.getByText(/No (results|Certificates) found/i).waitFor();
    await p.context().close();
  });

  it('revokes two selected certificates at once: typed count, an outcome each, both on the served CRL', async () => {
    const p = await signIn(1280);
    await p.goto(`${url}/#/certificates`);
    await p.getByRole('textbox', { name: /Search by SAN URI/ }).fill('alpha health');
    await serialsShown(p, 2);
    for (const c of [certs[0], certs[2]]) await p.locator('table tbody tr', { hasText: c.serial }).getByRole('checkbox').check();
    await p.getByRole('button', { name: 'Revoke selected' }).click();
    const dialog = p.getByRole('dialog', { name: 'Revoke the selected certificates' });
    await dialog.getByLabel('Reason').click();
    await p.getByRole('option', { name: 'superseded' }).click();
    const confirm = dialog.getByRole('button', { name: 'Revoke (2)' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/^Confirmation/).fill('revoke 2');
    await shot(p, 'bulk-revoke-confirm');
    await confirm.click();
    await dialog.getByRole('status').filter({ hasText: '2 of 2 done' }).waitFor();
    expect(await dialog.getByRole('list', { name: 'Outcomes' }).getByRole('listitem').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringContaining(`Done: ${certs[0].serial} revoked`), expect.stringContaining(`Done: ${certs[2].serial} revoked`)]));
    await shot(p, 'bulk-revoke-done');
    await dialog.getByRole('button', { name: 'Close' }).click();
    for (const c of [certs[0], certs[2]]) expect((await api<CertificateView>('GET', `/api/v1/certificates/${c.id}`)).status).toBe('revoked');
    expect((await api<CertificateView>('GET', `/api/v1/certificates/${certs[1].id}`)).status).toBe('issued');
    // the served CRL lists both, and OpenSSL refuses them against it
    const crl = Buffer.from(await (await fetch(`${url}/pki/crl/${community.issuingCaId}.crl`)).arrayBuffer());
    const text = spawnSync('openssl', ['crl', '-inform', 'DER', '-noout', '-text'], { input: crl, encoding: 'utf8' }).stdout;
    for (const c of [certs[0], certs[2]]) expect(text.toUpperCase()).toContain(c.serial.toUpperCase());
    expect(text.toUpperCase()).not.toContain(certs[1].serial.toUpperCase());
    await p.context().close();
  });

  it('approves two selected requests at once, and finds organizations by name', async () => {
    const p = await signIn(1280);
    await p.goto(`${url}/#/certificate-requests`);
    await p.getByRole('textbox', { name: /Search by SAN URI or organization/ }).fill('beta');
    await p.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 2);
    await p.getByRole('checkbox', { name: /select all/i }).check();
    await p.getByRole('button', { name: 'Approve selected' }).click();
    const dialog = p.getByRole('dialog', { name: 'Approve the selected requests' });
    await dialog.getByRole('button', { name: 'Approve (2)' }).click();
    await dialog.getByRole('status').filter({ hasText: /of 2 done/ }).waitFor();
    await p.waitForFunction(() => !document.querySelector('[role="dialog"] [role="status"]')?.textContent?.includes('…'));
    expect(await dialog.getByRole('list', { name: 'Outcomes' }).getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringMatching(/^Done: certificate [0-9a-f]+ issued for https:\/\/beta\./), expect.stringMatching(/^Done: certificate [0-9a-f]+ issued for https:\/\/beta\./),
    ]);
    await shot(p, 'bulk-approve-done');
    // the list reloads (the operator came back to the tab): both requests have left the "submitted" list,
    // whose table gives way to its empty state; the outcomes stay until the dialog is closed
    await p.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
    await p.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 0);
    expect(await dialog.getByRole('list', { name: 'Outcomes' }).getByRole('listitem').count()).toBe(2);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    const requests = await api<CertificateRequestView[]>('GET', `/api/v1/certificate-requests?filter=${encodeURIComponent(JSON.stringify({ organizationId: beta.id }))}`);
    expect(requests.map((r) => r.status)).toEqual(['issued', 'issued']);

    await p.goto(`${url}/#/organizations`);
    await p.getByRole('textbox', { name: /Search by name or SAN/ }).fill('alpha');
    await p.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
    expect(await p.locator('table tbody tr td.column-name').allInnerTexts()).toEqual(['Alpha Health']);
    await p.context().close();
  });

  /** How far the page now scrolls sideways, in CSS pixels (0 or less: it fits the screen). */
  const overflow = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  /** The screens the sidebar's menu leads to (read at desktop width, where the sidebar shows), as hash paths. */
  const menuPaths = async (p: Page): Promise<string[]> => {
    await p.setViewportSize({ width: 1280, height: 900 });
    await p.getByRole('menuitem').first().waitFor();
    const hrefs = await p.getByRole('menuitem').evaluateAll((els) => els.map((e) => decodeURIComponent((e.getAttribute('href') ?? '').replace(/^#/, ''))));
    await p.setViewportSize({ width: 390, height: 900 });
    return hrefs;
  };
  /**
   * Opens each screen the menu offers `who` at 390 px (`screens`: the text that shows once each has loaded; the
   * menu must offer exactly these), keeps a screenshot of each, and answers how far each scrolls sideways;
   * axe-core's serious and critical findings on each go to `axeFound` (the page must bypass the CSP for it).
   */
  const measure = async (p: Page, who: string, screens: Record<string, string | RegExp>, axeFound: Map<string, string[]>): Promise<Record<string, number>> => {
    expect((await menuPaths(p)).sort()).toEqual(Object.keys(screens).sort());
    const out: Record<string, number> = {};
    for (const [path, ready] of Object.entries(screens)) {
      await p.goto(`${url}/#${path}`);
      await p.getByText(ready).first().waitFor();
      await p.waitForTimeout(300); // late fetches (reference fields) settle
      out[path] = await overflow(p);
      if (out[path] > 0) console.log(`${who} ${path} +${out[path]} px, widest:`, await widest(p));
      axeFound.set(`${who} ${path}`, await seriousViolations(p));
      await shot(p, `phone-${who}-${path.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'dashboard'}`);
    }
    return out;
  };

  it('shows lists as cards that fit a 390 px screen', async () => {
    const p = await signIn(390);
    for (const [path, first] of [['certificates', `https://beta.${host}/fhir`], ['organizations', 'Beta Dental']] as const) {
      await p.goto(`${url}/#/${path}`);
      await p.getByText(first).first().waitFor();
      expect(await p.locator('table').count()).toBe(0);
      expect(await overflow(p)).toBeLessThanOrEqual(0);
      await shot(p, `phone-${path}`);
    }
    await p.context().close();
  });

  it('fits every screen of the menu on a 390 px screen, for an operator, an auditor and a member admin', async () => {
    // something on each list: an invitation, a certification, a suspension's bulk revocation, a subscription
    await api('POST', '/api/v1/invitations', { email: `contact@alpha.${host}`, organizationId: alpha.id });
    const template = await api<{ id: string }>('POST', `/api/v1/communities/${community.id}/certification-templates`, { builtIn: 'tefca-basic-app' });
    const certifier = await api<{ id: string }>('POST', `/api/v1/communities/${community.id}/certifiers`, { organizationId: alpha.id, sanUri: alpha.sanUris[0], keyType: 'RSA-2048' });
    await api('POST', '/api/v1/certifications/issue', {
      certifierId: certifier.id, templateId: template.id, organizationId: beta.id, sub: beta.sanUris[0], grantTypes: ['client_credentials'], validityDays: 90,
    });
    const gamma = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Gamma Imaging', sanUris: [`https://gamma.${host}/fhir`] });
    await api('POST', '/api/v1/certificates', { organizationId: gamma.id, profile: 'udap-client', csr: csrFor(gamma.sanUris[0], 'gamma') });
    await api('POST', `/api/v1/organizations/${gamma.id}/suspend`, { reason: 'Lists test: a bulk revocation to list' });
    await api('POST', '/api/v1/revocation-subscriptions', { communityId: community.id, callbackUrl: `https://rp.${host}/revocation-notices`, relyingParty: 'Lists Relying Party' });
    const memberAdmin = await api<CreatedUserView>('POST', '/api/v1/users', {
      email: `admin@beta.${host}`, displayName: 'Mo Member', role: 'member-admin', password: PASSWORD, organizationId: beta.id,
    });
    const auditor = await api<CreatedUserView>('POST', '/api/v1/users', { email: `auditor@${host}`, displayName: 'Ada Auditor', role: 'auditor', password: PASSWORD });

    const common = {
      '/': /CRL freshness/i,
      '/communities': 'Lists Network',
      '/organizations': 'Beta Dental',
      '/invitations': `contact@alpha.${host}`,
      '/certificate-requests': /beta\.|No results found|No Certificate requests found/, // an operator's opens on the waiting ones
      '/certificates': `https://beta.${host}/fhir`,
      '/certifications': beta.sanUris[0],
      '/bulk-revocations': 'Gamma Imaging',
      '/expiry-notices': /Expiry notices/,
      '/revocation-subscriptions': `https://rp.${host}/revocation-notices`,
      '/conformance-endpoints': /conformance/i,
      '/users': `auditor@${host}`,
      '/audit': /organization\.suspend|organization\.suspended/,
      '/queues': /anchorage-/,
    };
    const found: Record<string, Record<string, number>> = {};
    const axeFound = new Map<string, string[]>();
    const o = await signIn(390, true);
    found.operator = await measure(o, 'operator', { ...common, [`/organizations?filter=${JSON.stringify({ status: 'submitted' })}`]: /No results|No Organization/i }, axeFound);
    await o.context().close();
    const a = await signInThroughLoginPage(browser, url, auditor, PASSWORD, { width: 390, bypassCSP: true });
    found.auditor = await measure(a, 'auditor', common, axeFound);
    await a.context().close();
    const m = await signInThroughLoginPage(browser, url, memberAdmin, PASSWORD, { width: 390, bypassCSP: true });
    found.member = await measure(m, 'member', {
      '/': /certificates/i, '/organizations': 'Beta Dental', '/certificate-requests': /beta\./, '/certificates': `https://beta.${host}/fhir`,
      '/certifications': beta.sanUris[0], '/bulk-revocations': /Bulk revocations/, '/expiry-notices': /Expiry notices/, '/revocation-subscriptions': /Revocation notices/,
    }, axeFound);
    await m.context().close();
    const over = Object.entries(found).flatMap(([who, screens]) => Object.entries(screens).filter(([, px]) => px > 0).map(([path, px]) => `${who} ${path}: +${px} px`));
    expect(over).toEqual([]);
    // the cards are as accessible as the tables (axe-core: no serious or critical finding)
    expect([...axeFound].filter(([, v]) => v.length > 0)).toEqual([]);

    // a card opens its record as the table's row does; an audit event's entry opens its details
    const c = await signIn(390);
    await c.goto(`${url}/#/users`);
    await c.getByRole('link', { name: 'Ada Auditor' }).click();
    await c.waitForURL(`${url}/#/users/${auditor.id}/show`);
    await c.goto(`${url}/#/audit`);
    await c.getByRole('list', { name: 'Audit events' }).getByRole('button').filter({ hasText: 'organization.suspended' }).first().click();
    await c.getByRole('region', { name: 'Audit event' }).getByText('organization.suspended').first().waitFor();
    expect(await overflow(c)).toBeLessThanOrEqual(0);
    await shot(c, 'phone-operator-audit-event');
    await c.context().close();
  }, 240_000); // some 40 screens, each measured and checked by axe-core
});
