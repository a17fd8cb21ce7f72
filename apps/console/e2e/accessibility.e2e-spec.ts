// Every screen of the console, in Chromium against the real API, checked by axe-core (WCAG 2.x A/AA rules
// and best practices): no serious or critical violation (contrast of the app bar included), and each screen
// with a tab title of its own. Operators, auditors and member admins see different screens; the signed-out
// pages (sign-in, an invitation link) are checked too. So are the dialogs once open (typed confirmations,
// bulk actions and their outcomes, reasons, secrets shown once, a user's disable and two-factor reset, an
// organization's approval and rejection) and the later steps of the flows (community creation done, the
// request wizard's CSR step, refusal, the request it made and its key saved as PKCS #12, a new user's secret,
// two-factor setup, an invitation accepted, a refused profile). A screenshot of each is kept. Each dialog and
// step is checked again on a 390 px screen (a phone) with axe, and each dialog for nothing sticking out past
// the screen's right edge.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { CertificateRequestView, CertificateView, CommunityView, CreatedUserView, InvitationCreatedView, OrganizationView } from '@anchorage/contracts';
import { seriousViolations } from './axe';
import { SmtpReceiver } from '@anchorage/testing';
import { SHOTS, skipWithoutChromium } from './browser';
import { NARROW_WIDTH, overflowing } from './narrow';
import { ecCsr, launchChromium, signInThroughLoginPage, startConsoleApi, type ConsoleApi } from './real-api-harness';
import { totpCode } from './totp';

const skip = skipWithoutChromium('console accessibility browser test');
const PASSWORD = 'console a11y pass phrase';
/** The dialogs and later steps of flows checked besides the 34 screens. */
const DIALOGS_AND_STEPS = 38;
/** Of them, the dialogs (each also checked for fitting a 390 px screen). */
const DIALOGS = 27;

(skip ? describe.skip : describe)('console accessibility: axe-core on every screen, a title each', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-console-a11y-'));
  const host = `a11y-${randomBytes(4).toString('hex')}.example.org`;
  let server: ConsoleApi | undefined;
  let smtp: SmtpReceiver | undefined; // invitations are e-mailed
  let url = '';
  let browser: Browser;
  let community: CommunityView;
  let org: OrganizationView;
  let cert: CertificateView;
  let request: CertificateRequestView;
  let spare: CertificateView; // revoked by the bulk revocation dialog
  let memberAdmin: CreatedUserView;
  /** screen -> its serious violations; checked at the end so one run reports every screen */
  const found = new Map<string, string[]>();
  const titles = new Map<string, string>();
  /** dialog or step -> what of it sticks out of a 390 px screen; checked at the end too */
  const narrow = new Map<string, string[]>();

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
  const shotName = (who: string, name: string) => join(SHOTS, `a11y-${who}-${name.replace(/\W+/g, '-').toLowerCase()}.png`);
  /**
   * Records axe's findings on what `p` shows now (an open dialog, a later step of a flow: `ready` names it)
   * under "<who>: <name>", with a screenshot; dialogs and steps have no tab title of their own. Then the same
   * on a 390 px screen, with what sticks out of it, and back to the desktop width the flow goes on at.
   */
  const checkHere = async (p: Page, who: string, name: string, ready: Locator) => {
    await ready.waitFor();
    await p.waitForTimeout(400); // the dialog's transition ends
    found.set(`${who}: ${name}`, await seriousViolations(p));
    await p.screenshot({ path: shotName(who, name), fullPage: true, animations: 'disabled' });
    const desktop = p.viewportSize()!;
    await p.setViewportSize({ width: NARROW_WIDTH, height: 844 });
    await ready.waitFor();
    await p.waitForTimeout(300); // the layout settles at the new width
    // a dialog must fit; the record page behind it is not checked here (see the note at the end)
    if (await p.getByRole('dialog').count() > 0) narrow.set(`${who}: ${name}`, await overflowing(p, { dialog: true }));
    found.set(`${who}: ${name} (390 px)`, await seriousViolations(p));
    await p.screenshot({ path: shotName(who, `${name} 390px`), fullPage: true, animations: 'disabled' });
    await p.setViewportSize(desktop);
    await ready.waitFor();
    await p.waitForTimeout(300);
  };
  const check = async (p: Page, who: string, name: string, hash: string, ready: string | RegExp) => {
    await p.goto(`${url}/#${hash}`);
    await p.getByText(ready).first().waitFor();
    await p.waitForTimeout(300); // transitions and late fetches settle
    const screen = `${who}: ${name}`;
    found.set(screen, await seriousViolations(p));
    titles.set(screen, await p.title());
    await p.screenshot({ path: shotName(who, name), fullPage: true, animations: 'disabled' });
  };

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    server = await startConsoleApi('http://pki.console-a11y.invalid', 'console-a11y', { ANCHORAGE_SMTP_URL: smtp.url, ANCHORAGE_MAIL_FROM: 'Anchorage <no-reply@console-a11y.invalid>' });
    url = server.url;
    community = await api<CommunityView>('POST', '/api/v1/communities', { name: 'A11y Network', uri: `udap://${host}/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } });
    org = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'A11y Clinic', sanUris: [`https://${host}/fhir`] });
    cert = await api<CertificateView>('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-client', csr: csrFor(`https://${host}/fhir`, 'leaf') });
    spare = await api<CertificateView>('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-client', csr: csrFor(`https://${host}/fhir`, 'spare') });
    request = await api<CertificateRequestView>('POST', '/api/v1/certificate-requests', { organizationId: org.id, profile: 'udap-client', csr: csrFor(`https://${host}/fhir`, 'req') });
    memberAdmin = await newUser('member-admin', { organizationId: org.id });
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
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

  it('an operator\'s dialogs: typed confirmations, bulk actions with their outcomes, secrets shown once', async () => {
    const p = await signIn(await newUser('operator', { communities: 'all' }));
    const dialog = (name: string | RegExp) => p.getByRole('dialog', { name });
    const cancel = async (d: Locator, label = 'Cancel') => {
      await d.getByRole('button', { name: label, exact: true }).click();
      await d.waitFor({ state: 'hidden' });
    };

    // the bulk revocation of a certificate of its own: typed count and reason, then each outcome
    await p.goto(`${url}/#/certificates`);
    await p.locator('table tbody tr', { hasText: spare.serial }).getByRole('checkbox').check();
    await p.getByRole('button', { name: 'Revoke selected' }).click();
    const bulk = dialog('Revoke the selected certificates');
    await checkHere(p, 'operator', 'bulk revoke: confirm', bulk);
    await bulk.getByLabel('Reason').click();
    await p.getByRole('option', { name: 'superseded' }).click();
    await bulk.getByLabel(/^Confirmation/).fill('revoke 1');
    await bulk.getByRole('button', { name: 'Revoke (1)' }).click();
    await bulk.getByRole('status').filter({ hasText: '1 of 1 done' }).waitFor();
    await checkHere(p, 'operator', 'bulk revoke: outcomes', bulk.getByRole('list', { name: 'Outcomes' }));
    await bulk.getByRole('button', { name: 'Close' }).click();

    // one certificate's revocation
    await p.goto(`${url}/#/certificates/${cert.id}/show`);
    await p.getByRole('button', { name: 'Revoke' }).click();
    await checkHere(p, 'operator', 'revoke certificate', dialog(/^Revoke certificate/));
    await cancel(dialog(/^Revoke certificate/));

    // requests: approve the selected ones, reject one with a reason
    await p.goto(`${url}/#/certificate-requests`);
    await p.locator('table tbody tr', { hasText: 'A11y Clinic' }).first().getByRole('checkbox').check();
    await p.getByRole('button', { name: 'Approve selected' }).click();
    await checkHere(p, 'operator', 'bulk approve: confirm', dialog('Approve the selected requests'));
    await cancel(dialog('Approve the selected requests'));
    await p.goto(`${url}/#/certificate-requests/${request.id}/show`);
    await p.getByRole('button', { name: 'Reject' }).click();
    await checkHere(p, 'operator', 'reject request', dialog('Reject certificate request'));
    await cancel(dialog('Reject certificate request'));

    // an organization: suspension (reason, revocation reason, typed name), its webhook (set: the secret once; remove)
    await p.goto(`${url}/#/organizations/${org.id}/show`);
    await p.getByRole('button', { name: 'Suspend' }).click();
    await checkHere(p, 'operator', 'suspend organization', dialog(/^Suspend A11y Clinic/));
    await cancel(dialog(/^Suspend A11y Clinic/));
    await p.getByRole('button', { name: 'Set webhook' }).click();
    const hook = dialog(/^Set a webhook for/);
    await checkHere(p, 'operator', 'set webhook', hook);
    await hook.getByLabel('Webhook URL').fill(`https://hooks.${host}/anchorage`);
    await hook.getByRole('button', { name: 'Save' }).click();
    await hook.waitFor({ state: 'hidden' });
    const secret = p.getByRole('dialog').last();
    await checkHere(p, 'operator', 'webhook secret once', secret);
    await secret.getByRole('button').last().click();
    await secret.waitFor({ state: 'hidden' });
    await p.getByRole('region', { name: /Webhook/ }).getByRole('button', { name: 'Remove' }).click();
    await checkHere(p, 'operator', 'remove webhook', dialog('Remove the webhook?'));
    await cancel(dialog('Remove the webhook?'));

    // a community: its policy, and ending its issuing CA (retire; declare compromised), each with a typed subject
    await p.goto(`${url}/#/communities/${community.id}/show`);
    await p.getByRole('button', { name: 'Edit policy' }).click();
    await checkHere(p, 'operator', 'edit policy', dialog(/^Policy of/));
    await cancel(dialog(/^Policy of/));
    await p.getByRole('button', { name: 'Retire' }).first().click();
    await checkHere(p, 'operator', 'retire CA', dialog(/^Retire/));
    await cancel(dialog(/^Retire/));
    await p.getByRole('button', { name: 'Declare compromised' }).first().click();
    await checkHere(p, 'operator', 'declare CA compromised', dialog(/compromised$/));
    await cancel(dialog(/compromised$/));

    // certifications: a template, issuing, recording
    await p.goto(`${url}/#/certifications`);
    for (const [button, name] of [['Add template', 'add certification template'], ['Issue certification', 'issue certification'], ['Record certification', 'record certification']]) {
      await p.getByRole('button', { name: button }).click();
      await checkHere(p, 'operator', name, p.getByRole('dialog'));
      await cancel(p.getByRole('dialog'));
    }

    // revocation notices: subscribe (the secret once), rotate its secret, delete it
    await p.goto(`${url}/#/revocation-subscriptions`);
    await p.getByRole('button', { name: 'Subscribe' }).click();
    const subscribe = dialog('Subscribe to revocation notices');
    await checkHere(p, 'operator', 'subscribe', subscribe);
    await subscribe.getByRole('textbox', { name: 'Relying party' }).fill('A11y Relying Party');
    await subscribe.getByLabel('Callback URL').fill(`https://rp.${host}/revocations`);
    await subscribe.getByRole('button', { name: 'Subscribe' }).click();
    await subscribe.waitFor({ state: 'hidden' });
    const subscribed = p.getByRole('dialog').last();
    await checkHere(p, 'operator', 'subscription secret once', subscribed);
    await subscribed.getByRole('button').last().click();
    await subscribed.waitFor({ state: 'hidden' });
    await p.getByRole('button', { name: 'Rotate secret' }).first().click();
    await checkHere(p, 'operator', 'rotate subscription secret', p.getByRole('dialog'));
    await cancel(p.getByRole('dialog'), 'Keep');
    await p.getByRole('button', { name: 'Delete' }).first().click();
    await checkHere(p, 'operator', 'delete subscription', p.getByRole('dialog'));
    await cancel(p.getByRole('dialog'), 'Keep');

    // a user: disable (typed e-mail); reset two-factor, whose new secret and recovery codes show once
    const target = await newUser('operator', { communities: 'all' });
    await p.goto(`${url}/#/users/${target.id}/show`);
    await p.getByRole('button', { name: 'Disable' }).click();
    await checkHere(p, 'operator', 'disable user', dialog(/^Disable/));
    await cancel(dialog(/^Disable/));
    await p.getByRole('button', { name: 'Reset two-factor' }).click();
    const reset = dialog(/^Reset two-factor authentication of/);
    await checkHere(p, 'operator', 'reset two-factor', reset);
    await reset.getByLabel(/^Confirmation/).fill(target.email);
    await reset.getByRole('button', { name: 'Reset two-factor' }).click();
    const fresh = dialog(/^New two-factor secret for/);
    await checkHere(p, 'operator', 'new two-factor secret', fresh);
    await fresh.getByRole('button', { name: 'I have handed over the secret' }).click();

    // the operator's own recovery codes: the question, then the new codes
    await p.goto(`${url}/#/two-factor`);
    await p.getByRole('button', { name: 'Make new recovery codes' }).click();
    await checkHere(p, 'operator', 'make new recovery codes', dialog('Make new recovery codes?'));
    await dialog('Make new recovery codes?').getByRole('button', { name: 'Make new codes' }).click();
    await checkHere(p, 'operator', 'new recovery codes', dialog('Your new recovery codes'));
    await dialog('Your new recovery codes').getByRole('button', { name: 'I have stored the codes' }).click();
    await p.context().close();
  }, 180_000);

  it('later steps of the flows: community creation, the request wizard, a new user\'s secret, two-factor setup', async () => {
    const p = await signIn(await newUser('operator', { communities: 'all' }));
    // community creation: its progress, then every step done
    await p.goto(`${url}/#/communities/create`);
    await p.getByLabel(/^Name/).fill('A11y Second Network');
    await p.getByLabel(/^Community URI/).fill(`udap://second.${host}/`);
    await p.getByLabel('CA key type').click();
    await p.getByRole('option', { name: 'EC-P256' }).click();
    await p.getByRole('button', { name: /^Create/ }).click();
    await checkHere(p, 'operator', 'community creation: done', p.getByRole('link', { name: 'Open the community' }));

    // the request wizard: the CSR step, a refused submission, then the request it made (key kept in this browser)
    await p.goto(`${url}/#/certificate-requests/create`);
    await p.getByRole('combobox', { name: 'Organization' }).click();
    await p.getByRole('option', { name: 'A11y Clinic' }).click();
    await p.getByLabel('Paste or upload a CSR').check();
    await checkHere(p, 'operator', 'request wizard: CSR', p.getByLabel('CSR (PEM)'));
    await p.getByRole('button', { name: 'Submit request' }).click();
    await checkHere(p, 'operator', 'request wizard: refused', p.getByRole('alert').first());
    await p.getByRole('radio', { name: /\(udap-client\)/ }).check();
    await p.getByLabel('Generate a key pair in this browser').check();
    await p.getByLabel(/^Key passphrase/).fill('a11y key passphrase');
    await p.getByLabel(/^Confirm key passphrase/).fill('a11y key passphrase');
    await p.getByRole('button', { name: 'Submit request' }).click();
    await p.waitForFunction(() => /\/certificate-requests\/[^/]+\/show/.test(location.hash), null, { timeout: 60_000 }).catch(async () => {
      throw new Error(`the wizard stayed: ${(await p.locator('form [role="alert"], form [role="status"]').allInnerTexts()).join(' | ')}`);
    });
    await checkHere(p, 'operator', 'request wizard: submitted', p.getByText('udap-client').first());
    // once issued, the key kept in this browser: unlocked with its passphrase, then saved as a PKCS #12
    const requestId = /\/certificate-requests\/([^/]+)\/show/.exec(p.url())![1];
    await api('POST', `/api/v1/certificate-requests/${requestId}/approve`, {});
    await p.reload();
    await checkHere(p, 'operator', 'request wizard: key to unlock', p.getByRole('button', { name: 'Unlock key' }));
    await p.getByRole('form', { name: 'Unlock the private key' }).getByLabel('Key passphrase').fill('a11y key passphrase');
    await p.getByRole('button', { name: 'Unlock key' }).click();
    await p.getByRole('button', { name: 'Download PKCS #12' }).click();
    await checkHere(p, 'operator', 'request wizard: PKCS #12 file', p.getByRole('dialog', { name: 'Download PKCS #12' }));
    await p.getByRole('dialog', { name: 'Download PKCS #12' }).getByRole('button', { name: 'Cancel' }).click();

    // a new operator: its TOTP secret and recovery codes, shown once
    await p.goto(`${url}/#/users/create`);
    await p.getByLabel(/^E-mail/).fill(`new-operator@${host}`);
    await p.getByLabel(/^Display name/).fill('A11y New Operator');
    await p.getByLabel(/^Role/).click();
    await p.getByRole('option', { name: 'Operator' }).click();
    await p.getByLabel(/^Initial password/).fill(PASSWORD);
    await p.getByRole('button', { name: /^Save|^Create/ }).click();
    await checkHere(p, 'operator', 'new user: secret once', p.getByLabel(/TOTP secret|Secret/).first());
    await p.context().close();

    // a member admin sets up two-factor: the QR code step, then the recovery codes
    const m = await signIn(await newUser('member-admin', { organizationId: org.id }));
    await m.goto(`${url}/#/two-factor`);
    await m.getByRole('button', { name: 'Start setup' }).click();
    await checkHere(m, 'member', 'two-factor setup: QR code', m.getByRole('img', { name: 'QR code for the authenticator app' }));
    const secret = (await m.getByLabel('Secret', { exact: true }).innerText()).trim();
    await m.getByLabel('Code from the app').fill(totpCode(secret));
    await m.getByRole('button', { name: 'Confirm' }).click();
    await checkHere(m, 'member', 'two-factor setup: recovery codes', m.getByRole('list', { name: 'Recovery codes' }));
    await m.context().close();
  }, 180_000);

  it('later steps of onboarding: the invitation accepted, a refused profile, the operator\'s approval and rejection', async () => {
    const contact = `contact@pending.${host}`;
    const { organization: invited } = await api<InvitationCreatedView>('POST', '/api/v1/invitations', { email: contact, communityId: community.id, organizationName: 'A11y Pending Practice' });
    const token = /accept-invitation\?token=(ani_[A-Za-z0-9_-]+)/.exec((await smtp!.waitFor(contact, { timeoutMs: 15_000 })).text)![1];
    // the contact opens the link signed out: the form, then the account made
    const c = await newPage();
    await c.goto(`${url}/#/accept-invitation?token=${token}`);
    await checkHere(c, 'signed out', 'invitation: form', c.getByLabel('Display name'));
    await c.getByLabel('Display name').fill('Pat Pending');
    await c.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await c.getByLabel('Confirm password').fill(PASSWORD);
    await c.getByRole('button', { name: 'Create my account' }).click();
    await checkHere(c, 'signed out', 'invitation: accepted', c.getByText(`Your account ${contact} is ready`));
    // signed in, the empty profile submitted: every field's error
    await c.getByLabel(/^Password/).fill(PASSWORD);
    await c.getByRole('button', { name: 'Sign in', exact: true }).click();
    await c.getByRole('button', { name: /^Profile/ }).waitFor();
    await c.goto(`${url}/#/organizations`);
    await c.getByRole('button', { name: 'Submit for review' }).click();
    await checkHere(c, 'member', 'profile: refused', c.getByRole('alert').filter({ hasText: 'The profile was not submitted' }));
    await c.context().close();

    // submitted, it awaits an operator: approval (each SAN URI it binds), rejection with a reason
    await api('POST', `/api/v1/organizations/${invited.id}/submit`, {
      legalName: 'A11y Pending Practice LLC', identifiers: [{ type: 'NPI', value: '1234567893' }],
      address: { lines: ['1 Main St'], city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
      technicalContact: { name: 'Tess Tech', email: `tess@${host}` }, securityContact: { name: 'Sam Secure', email: `sam@${host}` },
      requestedSanUris: [`https://pending.${host}/fhir`],
    });
    const p = await signIn(await newUser('operator', { communities: 'all' }));
    const dialog = (name: RegExp) => p.getByRole('dialog', { name });
    await p.goto(`${url}/#/organizations/${invited.id}/show`);
    await p.getByRole('button', { name: 'Approve' }).click();
    await checkHere(p, 'operator', 'approve organization', dialog(/^Approve A11y Pending Practice/));
    await dialog(/^Approve A11y Pending Practice/).getByRole('button', { name: 'Cancel' }).click();
    await dialog(/^Approve A11y Pending Practice/).waitFor({ state: 'hidden' });
    await p.getByRole('button', { name: 'Reject' }).click();
    await checkHere(p, 'operator', 'reject organization', dialog(/^Reject A11y Pending Practice/));
    await p.context().close();
  }, 120_000);

  it('finds no serious or critical violation on any screen, and gives each screen a title of its own', () => {
    const failing = [...found].filter(([, v]) => v.length > 0).map(([screen, v]) => `${screen}\n  ${v.join('\n  ')}`);
    expect(failing).toEqual([]);
    expect(found.size).toBe(34 + 2 * DIALOGS_AND_STEPS);
    // every dialog fits a 390 px screen (a phone): nothing of it sticks out past the screen's right edge.
    // (Record pages, behind the dialogs and in the later steps, are not held to it yet: an organization's or a
    // certificate's page is 100-150 px too wide on a phone.)
    expect([...narrow].filter(([, v]) => v.length > 0)).toEqual([]);
    expect(narrow.size).toBe(DIALOGS);
    for (const [screen, title] of titles) {
      expect({ screen, title }).toEqual({ screen, title: expect.stringMatching(/^.+ · Anchorage console$/) });
    }
    // the operator's screens are told apart by their titles (a list and its records may share a word, not the whole title)
    const operatorTitles = [...titles].filter(([s]) => s.startsWith('operator: ')).map(([, t]) => t);
    expect(new Set(operatorTitles).size).toBeGreaterThanOrEqual(operatorTitles.length - 3);
  });
});
