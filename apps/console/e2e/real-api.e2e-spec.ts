// The console in Chromium against the real API process and PostgreSQL. Users made with the API token:
// an operator signs in with its TOTP code, sees the users, finds a certificate and revokes it (the CRL
// the public repository serves then lists the serial, and OpenSSL rejects the certificate); a member
// admin sees only its organization's certificates and revokes with subscriber reasons only; an auditor
// signs in with its code and has no revoke button; a bulk revocation's "Requested by" names
// the operator who suspended the organization in the console, or the API token, without a failed request;
// an operator starts the community's exchange purposes from the TEFCA catalog and retires one, and a member
// asks for one client URI per purpose in the request wizard.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  SUBSCRIBER_REASONS, TEFCA_EXCHANGE_PURPOSES, type AuditEventView, type CertificateRequestView, type CertificateView, type CommunityView, type CreatedUserView, type OrganizationView,
  type SuspensionView,
} from '@anchorage/contracts';
import { SHOTS, skipWithoutChromium } from './browser';
import { launchChromium, startConsoleApi, type ConsoleApi } from './real-api-harness';
import { totpCode } from './totp';

const skip = skipWithoutChromium('console browser test');
const pem = (label: string, der: Buffer) => `-----BEGIN ${label}-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
const PASSWORD = 'console e2e pass phrase';

(skip ? describe.skip : describe)('console in Chromium against the real API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-console-real-'));
  const host = `console-${randomBytes(4).toString('hex')}.example.org`;
  let server: ConsoleApi | undefined;
  let url = '';
  let browser: Browser;
  let page: Page;
  let cert: CertificateView;
  let memberCert: CertificateView;
  let otherCert: CertificateView;
  let community: CommunityView;
  let org: OrganizationView;
  let operator: CreatedUserView;
  let auditor: CreatedUserView;
  let memberAdmin: CreatedUserView;
  let reviewer: CreatedUserView;
  let pausedOrg: OrganizationView;
  let haltedOrg: OrganizationView;

  const api = <T>(method: string, path: string, body?: unknown): Promise<T> => server!.api<T>(method, path, body);
  const issue = async (organizationId: string, san: string, name: string): Promise<CertificateView> => {
    const csr = spawnSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, `${name}.key`), '-subj', `/CN=${name}`, '-addext', `subjectAltName=URI:${san}`], { encoding: 'utf8' });
    return api<CertificateView>('POST', '/api/v1/certificates', { organizationId, profile: 'udap-server', csr: csr.stdout });
  };
  const crlText = async () => {
    const der = Buffer.from(await (await fetch(`${url}/pki/crl/${community.issuingCaId}.crl`)).arrayBuffer());
    return { der, text: spawnSync('openssl', ['crl', '-inform', 'DER', '-noout', '-text'], { input: der, encoding: 'utf8' }).stdout };
  };

  /** A fresh browser context (no cookie, no sessionStorage) signed in through the login page. */
  const signIn = async (email: string, code?: () => string): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const p = await context.newPage();
    p.setDefaultTimeout(20_000);
    await p.goto(`${url}/`);
    await p.getByLabel('E-mail').fill(email);
    await p.getByLabel(/^Password/).fill(PASSWORD);
    if (code) await p.getByLabel('Authenticator code').fill(code());
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.getByRole('button', { name: /^Profile/ }).waitFor();
    return { context, page: p };
  };
  const menuItems = async (p: Page, first: string) => {
    await p.getByRole('menuitem', { name: first }).waitFor();
    return p.getByRole('menuitem').allInnerTexts();
  };

  beforeAll(async () => {
    // a database of its own: the API process refuses to start while other test files' CAs, whose keys
    // are in other key stores, are in its database
    server = await startConsoleApi('http://pki.console-test.invalid', 'console-e2e');
    url = server.url;

    community = await api<CommunityView>('POST', '/api/v1/communities', { name: 'Console E2E Network', uri: `udap://${host}/`, caKeyType: 'RSA-2048' });
    org = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Console Clinic', sanUris: [`https://${host}/fhir`, `https://${host}/fhir2`] });
    const other = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Other Clinic', sanUris: [`https://other.${host}/fhir`] });
    cert = await issue(org.id, `https://${host}/fhir`, 'console');
    memberCert = await issue(org.id, `https://${host}/fhir2`, 'console2');
    otherCert = await issue(other.id, `https://other.${host}/fhir`, 'other');

    operator = await api<CreatedUserView>('POST', '/api/v1/users', { email: `operator@${host}`, displayName: 'Olga Operator', role: 'operator', password: PASSWORD, communities: 'all' });
    auditor = await api<CreatedUserView>('POST', '/api/v1/users', { email: `auditor@${host}`, displayName: 'Arno Auditor', role: 'auditor', password: PASSWORD });
    memberAdmin = await api<CreatedUserView>('POST', '/api/v1/users', { email: `admin@${host}`, displayName: 'Mara Member', role: 'member-admin', password: PASSWORD, organizationId: org.id });
    expect(operator.totpEnrollment?.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(auditor.totpEnrollment?.secret).toMatch(/^[A-Z2-7]{32}$/); // auditors too sign in with a second factor
    // an operator of its own (a TOTP code is accepted once) and two organizations to suspend
    reviewer = await api<CreatedUserView>('POST', '/api/v1/users', { email: `reviewer@${host}`, displayName: 'Rita Reviewer', role: 'operator', password: PASSWORD, communities: 'all' });
    pausedOrg = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Paused Clinic', sanUris: [`https://paused.${host}/fhir`] });
    haltedOrg = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Halted Clinic', sanUris: [`https://halted.${host}/fhir`] });

    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(20_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs an operator in with its TOTP code, lists the users, revokes a certificate, and the served CRL lists it', async () => {
    await page.goto(`${url}/`);
    await page.getByLabel('E-mail').fill(operator.email);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.screenshot({ path: join(SHOTS, 'console-real-login.png'), fullPage: true, animations: 'disabled' });
    // an operator without its code is refused with the API's one sentence for every refusal
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Could not sign in' }).innerText()).resolves.toContain('password or code is not correct');
    await page.getByLabel('Authenticator code').fill(totpCode(operator.totpEnrollment!.secret));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // the landing page is the dashboard, with the API's figures: every CA of the network has a published CRL
    const freshness = page.getByRole('table', { name: 'CRL freshness' });
    await freshness.waitFor();
    expect(await freshness.locator('tbody tr').count()).toBeGreaterThan(0);
    // (offline roots of other test files are listed as such: their CRL is their own operator's)
    expect(await freshness.locator('tbody tr:not([data-freshness="external"]) td:nth-child(2)').allInnerTexts()).not.toContain('—');
    await page.getByRole('region', { name: 'Pending certificate requests' }).waitFor();
    await page.getByRole('menuitem', { name: 'Communities' }).click();
    await page.getByText('Console E2E Network').first().waitFor();
    await page.getByRole('button', { name: /^Profile/ }).filter({ hasText: 'Olga Operator' }).waitFor();
    const session = JSON.parse((await page.evaluate(() => sessionStorage.getItem('anchorage.session')))!);
    expect(session).toMatchObject({ kind: 'user', user: { id: operator.id, role: 'operator' } });
    expect((await page.context().cookies()).find((c) => c.name === 'anchorage_refresh')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.getByRole('menuitem', { name: 'Users' }).click();
    for (const u of [operator, auditor, memberAdmin]) await page.getByRole('row').filter({ hasText: u.email }).waitFor();
    await expect(page.getByRole('row').filter({ hasText: memberAdmin.email }).innerText()).resolves.toMatch(/Mara Member\s+Member admin\s+Console Clinic\s+off\s+no/);
    await expect(page.getByRole('row').filter({ hasText: operator.email }).innerText()).resolves.toMatch(/Olga Operator\s+Operator\s+—\s+on\s+no/);
    await page.getByRole('link', { name: 'Create' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-real-users.png'), fullPage: true, animations: 'disabled' });

    await page.goto(`${url}/#/certificates/${cert.id}/show`);
    await page.getByText(`https://${host}/fhir`).first().waitFor();
    // the detail page shows the extensions the API decoded from the certificate
    const extensions = page.getByRole('table', { name: 'Extensions' });
    await extensions.getByRole('row').filter({ hasText: 'subjectAltName' }).filter({ hasText: `URI:https://${host}/fhir` }).waitFor();
    await expect(extensions.getByRole('row').filter({ hasText: 'basicConstraints' }).innerText()).resolves.toMatch(/basicConstraints\s+yes\s+CA:FALSE/);
    await page.screenshot({ path: join(SHOTS, 'console-real-certificate-extensions.png'), fullPage: true, animations: 'disabled' });
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').click();
    await page.getByRole('option', { name: 'keyCompromise' }).click();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText(new RegExp(`Certificate ${cert.serial} revoked \\(keyCompromise\\); CRL #\\d+ lists it`)).waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-real-revoked.png'), fullPage: true });

    const { der: crl, text } = await crlText();
    expect(text.toUpperCase()).toContain(cert.serial.toUpperCase());
    expect(text).toContain('Key Compromise');
    const rootId = community.rootCaId!;
    const rootDer = Buffer.from(await (await fetch(`${url}/pki/ca/${rootId}.cer`)).arrayBuffer());
    const rootCrl = Buffer.from(await (await fetch(`${url}/pki/crl/${rootId}.crl`)).arrayBuffer());
    writeFileSync(join(dir, 'root.pem'), pem('CERTIFICATE', rootDer));
    writeFileSync(join(dir, 'chain.pem'), pem('CERTIFICATE', Buffer.from(cert.x5c[1], 'base64')));
    writeFileSync(join(dir, 'crls.pem'), pem('X509 CRL', rootCrl) + pem('X509 CRL', crl));
    writeFileSync(join(dir, 'leaf.pem'), cert.pem);
    const v = spawnSync('openssl', ['verify', '-x509_strict', '-crl_check_all', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'chain.pem'), '-CRLfile', join(dir, 'crls.pem'), join(dir, 'leaf.pem')], { encoding: 'utf8' });
    expect(v.status).not.toBe(0);
    expect(v.stdout + v.stderr).toMatch(/certificate revoked/);
    expect(readFileSync(join(dir, 'leaf.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');

    // signing out ends the session: the refresh cookie no longer renews it
    await page.getByRole('button', { name: /^Profile/ }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await page.getByLabel('E-mail').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    const refreshed = await page.evaluate(async () => (await fetch('/api/v1/auth/refresh', { method: 'POST' })).status);
    expect(refreshed).toBe(401);
  });

  it('shows a member admin only its organization\'s certificates, and revokes with subscriber reasons only', async () => {
    const { context, page: p } = await signIn(memberAdmin.email);
    try {
      expect(await menuItems(p, 'My organization')).toEqual(['Dashboard', 'My organization', 'My requests', 'My certificates', 'Certifications', 'Bulk revocations', 'Expiry notices', 'Revocation notices']);
      await p.getByRole('menuitem', { name: 'My certificates' }).click();
      await p.getByLabel('Serial (hex)').waitFor(); // the list, not the organization page (which lists them too)
      await p.getByRole('cell', { name: memberCert.serial }).waitFor();
      await p.getByText('1-2 of 2').waitFor();
      const serials = await p.locator('tbody tr td.column-serial').allInnerTexts();
      expect(serials.sort()).toEqual([cert.serial, memberCert.serial].sort());
      expect(serials).not.toContain(otherCert.serial);
      await p.screenshot({ path: join(SHOTS, 'console-real-member-certificates.png'), fullPage: true, animations: 'disabled' });

      await p.getByRole('cell', { name: memberCert.serial }).click();
      await p.getByRole('button', { name: 'Revoke', exact: true }).click();
      const dialog = p.getByRole('dialog');
      await dialog.getByLabel('Reason').click();
      await expect(p.getByRole('option').allInnerTexts()).resolves.toEqual([...SUBSCRIBER_REASONS]);
      await p.getByRole('option', { name: 'superseded' }).click();
      await dialog.getByRole('button', { name: 'Revoke' }).click();
      await p.getByText(new RegExp(`Certificate ${memberCert.serial} revoked \\(superseded\\); CRL #\\d+ lists it`)).waitFor();
      const { text } = await crlText();
      expect(text.toUpperCase()).toContain(memberCert.serial.toUpperCase());
      expect(text).toContain('Superseded');
    } finally {
      await context.close();
    }
  });

  it('names who requested a bulk revocation: the operator who suspended in the console, or the API token, and no request of the page fails', async () => {
    const { context, page: p } = await signIn(reviewer.email, () => totpCode(reviewer.totpEnrollment!.secret));
    const failed: string[] = [];
    p.on('response', (r) => {
      if (r.url().includes('/api/') && r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${decodeURIComponent(new URL(r.url()).pathname)}`);
    });
    // the labelled field: its label and, next to it, the value
    const requestedBy = () => p.locator('.RaLabeled-label', { hasText: /^Requested by$/ }).locator('xpath=..');
    try {
      await p.goto(`${url}/#/organizations/${pausedOrg.id}/show`);
      await p.getByRole('button', { name: 'Suspend' }).click();
      await p.getByRole('dialog').getByLabel('Reason', { exact: true }).fill('Membership lapsed');
      // the real API counted its certificates (none issued here) before the name is typed
      await p.getByRole('dialog').getByTestId('affected-certificates').getByText('0 live certificates will be revoked').waitFor();
      await p.getByRole('dialog').getByLabel('Confirmation').fill('Paused Clinic');
      await p.getByRole('dialog').getByRole('button', { name: 'Suspend' }).click();
      // the console opens the suspension's bulk revocation (no worker runs here: it stays queued)
      await p.getByText('Paused Clinic suspended: revoking its live certificates').waitFor();
      await requestedBy().getByText('Rita Reviewer', { exact: true }).waitFor();
      await p.screenshot({ path: join(SHOTS, 'console-real-bulk-revocation.png'), fullPage: true, animations: 'disabled' });

      const halted = await api<SuspensionView>('POST', `/api/v1/organizations/${haltedOrg.id}/suspend`, { reason: 'Audit' });
      await p.goto(`${url}/#/bulk-revocations/${halted.bulkRevocation!.id}/show`);
      await requestedBy().getByText('API token console-e2e', { exact: true }).waitFor();

      await p.getByRole('menuitem', { name: 'Bulk revocations' }).click();
      await p.getByRole('columnheader', { name: 'Progress' }).waitFor();
      await p.getByRole('row').filter({ hasText: 'Paused Clinic' }).waitFor();
      await p.getByRole('row').filter({ hasText: 'Halted Clinic' }).waitFor();
      expect(failed).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('signs an auditor in only with its code, and shows it no revoke button and a certificate\'s audit events newest first with their export', async () => {
    const refused = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: auditor.email, password: PASSWORD }) });
    expect(refused.status).toBe(401);
    const { context, page: p } = await signIn(auditor.email, () => totpCode(auditor.totpEnrollment!.secret));
    try {
      expect(await menuItems(p, 'Users')).toEqual([
        'Dashboard', 'Communities', 'Organizations', 'Invitations', 'Certificate requests', 'Certificates', 'Certifications', 'Bulk revocations', 'Expiry notices', 'Revocation notices', 'Conformance', 'Users', 'Audit log', 'Queues',
      ]);
      await p.goto(`${url}/#/certificates/${otherCert.id}/show`);
      await p.getByText(`https://other.${host}/fhir`).first().waitFor();
      await p.getByRole('button', { name: 'Download PEM chain' }).waitFor();
      expect(await p.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
      await p.getByRole('menuitem', { name: 'Users' }).click();
      await p.getByRole('row').filter({ hasText: auditor.email }).waitFor();
      expect(await p.getByRole('link', { name: 'Create' }).count()).toBe(0);

      // the audit log over the real API: a certificate's events newest first, its total, the drawer, an export
      const events = (await api<AuditEventView[]>('GET', `/api/v1/audit/events?subjectId=${otherCert.id}&limit=1000`)).reverse();
      expect(events.length).toBeGreaterThan(0);
      await p.getByRole('menuitem', { name: 'Audit log' }).click();
      await p.getByLabel('Subject id', { exact: true }).fill(otherCert.id);
      await p.getByRole('button', { name: 'Apply filters' }).click();
      await p.getByText(`1–${events.length} of ${events.length}`).waitFor();
      const audit = p.getByRole('table', { name: 'Audit events' });
      expect(await audit.locator('tbody tr td:first-child').allInnerTexts()).toEqual(events.map((e) => e.seq));
      await audit.locator('tbody tr').first().click();
      const drawer = p.getByRole('region', { name: 'Audit event' });
      expect(await drawer.getByRole('link', { name: `certificate ${otherCert.id}` }).getAttribute('href')).toBe(`#/certificates/${otherCert.id}/show`);
      await expect(drawer.getByLabel('Payload').innerText()).resolves.toBe(JSON.stringify(events[0].data, null, 2));
      await drawer.getByRole('button', { name: 'Close' }).click();
      const download = p.waitForEvent('download');
      await p.getByRole('button', { name: 'Export CSV' }).click();
      const csv = readFileSync((await (await download).path())!, 'utf8').split('\r\n');
      expect(csv.slice(1, -1).map((l) => l.split(',')[0])).toEqual(events.map((e) => e.seq));

    } finally {
      await context.close();
    }
  });

  it('lets an operator start the TEFCA exchange purposes and retire one, and a member ask for one client URI per purpose', async () => {
    const xpOperator = await api<CreatedUserView>('POST', '/api/v1/users', { email: `xp-operator@${host}`, displayName: 'Xena Operator', role: 'operator', password: PASSWORD, communities: 'all' });
    const app = `https://${host}/app`;
    await api('POST', `/api/v1/organizations/${org.id}/san-uris`, { sanUris: [app] });
    const op = await signIn(xpOperator.email, () => totpCode(xpOperator.totpEnrollment!.secret));
    try {
      await op.page.goto(`${url}/#/communities/${community.id}/show`);
      const section = op.page.getByRole('region', { name: 'Exchange purposes' });
      await section.getByText(/No catalog/).waitFor();
      await section.getByRole('button', { name: 'Use the TEFCA exchange purposes' }).click();
      await op.page.getByText('Exchange purposes set from the TEFCA catalog').waitFor();
      const table = section.getByRole('table', { name: 'Exchange purpose catalog' });
      await table.getByRole('row').filter({ hasText: '#T-TREAT' }).waitFor();
      expect(await table.locator('tbody tr').count()).toBe(TEFCA_EXCHANGE_PURPOSES.length);
      await table.getByRole('button', { name: 'Retire T-GOVDTRM' }).click();
      await op.page.getByText('T-GOVDTRM retired').waitFor();
      await table.getByRole('button', { name: 'Restore T-GOVDTRM' }).waitFor();
      await expect(table.getByRole('row').filter({ hasText: '#T-GOVDTRM' }).innerText()).resolves.toMatch(/Government Benefits Determination\s+retired/);
      await op.page.screenshot({ path: join(SHOTS, 'console-real-exchange-purposes.png'), fullPage: true, animations: 'disabled' });
      const stored = (await api<CommunityView>('GET', `/api/v1/communities/${community.id}`)).exchangePurposes;
      expect(stored.filter((x) => !x.active).map((x) => x.code)).toEqual(['T-GOVDTRM']);
    } finally {
      await op.context.close();
    }

    const member = await signIn(memberAdmin.email);
    try {
      const p = member.page;
      await p.goto(`${url}/#/certificate-requests/create`);
      await p.getByLabel(/^UDAP client/).check();
      await p.getByLabel(app, { exact: true }).check();
      await p.getByLabel(`https://${host}/fhir`, { exact: true }).uncheck();
      // the catalog's active purposes only: the retired one is not offered
      await p.getByLabel('T-TREAT Treatment', { exact: true }).check();
      await p.getByLabel('T-PYMNT Payment', { exact: true }).check();
      expect(await p.getByLabel(/^T-GOVDTRM/).count()).toBe(0);
      const preview = p.getByLabel('Client URIs to certify');
      await expect(preview.innerText()).resolves.toMatch(new RegExp(`${app}#T-TREAT\\s+${app}#T-PYMNT`));
      await p.getByLabel('Key passphrase', { exact: true }).fill('console e2e key pass phrase');
      await p.getByLabel('Confirm key passphrase', { exact: true }).fill('console e2e key pass phrase');
      await p.screenshot({ path: join(SHOTS, 'console-real-request-exchange-purposes.png'), fullPage: true, animations: 'disabled' });
      await p.getByRole('button', { name: 'Submit request' }).click();
      await p.getByText(`Certificate request submitted for ${app}#T-TREAT, ${app}#T-PYMNT`).waitFor();
      const requests = await api<CertificateRequestView[]>('GET', `/api/v1/certificate-requests?filter=${encodeURIComponent(JSON.stringify({ organizationId: org.id }))}`);
      const made = requests.find((r) => r.sanUris.includes(`${app}#T-TREAT`))!;
      expect(made).toMatchObject({ profile: 'udap-client', status: 'submitted', sanUris: [`${app}#T-TREAT`, `${app}#T-PYMNT`] });
      // the browser's CSR names the same two URIs, and OpenSSL verifies its signature
      const csr = spawnSync('openssl', ['req', '-noout', '-verify', '-text'], { input: made.csrPem, encoding: 'utf8' });
      expect(csr.status).toBe(0);
      expect(csr.stdout).toContain(`URI:${app}#T-TREAT`);
      expect(csr.stdout).toContain(`URI:${app}#T-PYMNT`);
      expect((await api<OrganizationView>('GET', `/api/v1/organizations/${org.id}`)).sanUris).toEqual(expect.arrayContaining([`${app}#T-TREAT`, `${app}#T-PYMNT`]));
    } finally {
      await member.context.close();
    }
  });
});
