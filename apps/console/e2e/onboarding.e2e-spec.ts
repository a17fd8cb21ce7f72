// The whole onboarding path in Chromium against the real API process, PostgreSQL and a real SMTP
// receiver: an operator (signed in with its TOTP code) invites a contact through the console; the
// contact opens the mailed link in a fresh browser, creates the account, signs in, turns on two-factor
// authentication and submits the organization profile (the API's field errors show first); the
// operator approves it; the member requests a udap-server certificate with an RSA key generated in the
// browser; the operator approves the request; the member downloads a PKCS #12 built in the browser,
// which OpenSSL, keytool and node-forge open and whose leaf OpenSSL verifies against the community's
// root, issuing CA and CRLs; the member revokes it, the served CRL lists the serial and OpenSSL refuses
// the leaf.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  ENDPOINT_CHECK_FAILURES, type CertificateRequestView, type CertificateView, type CommunityView, type CreatedUserView, type EndpointCheckView, type OrganizationView, type UserView,
} from '@anchorage/contracts';
import { CONSOLE_DIST } from './build-console';
import { CHROMIUM, SHOTS, skipWithoutChromium } from './browser';
import { createTokenWithCli, isolatedPlatformOptions, pkcs12Problems, platformEnv, SmtpReceiver, startApiProcess, type ApiProcess, type IsolatedPlatformOptions } from '@anchorage/testing';
import { staleTotpCode, totpCode } from './totp';

const skip = skipWithoutChromium('console browser test');
const OPERATOR_PASSWORD = 'onboarding operator pass phrase';
const MEMBER_PASSWORD = 'lakeside member pass phrase';
const P12_PASSWORD = 'p12 file pass phrase';
const KEY_PASSPHRASE = 'lakeside key pass phrase';

const pem = (label: string, der: Buffer) => `-----BEGIN ${label}-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
const openssl = (args: string[], input?: string | Buffer) => {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, output: r.stdout + r.stderr };
};

/** A free TCP port on 127.0.0.1 (the console URL in the invitation mail must be known before the API starts). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

(skip ? describe.skip : describe)('onboarding in Chromium against the real API, PostgreSQL and SMTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-console-onboarding-'));
  const host = `onb-${randomBytes(4).toString('hex')}.example.org`;
  const contactEmail = `contact@${host}`;
  const sanUri = `https://fhir.${host}/r4`;
  let api0: ApiProcess;
  let opts: IsolatedPlatformOptions | undefined;
  let smtp: SmtpReceiver;
  let url = '';
  let token = '';
  let browser: Browser;
  let community: CommunityView;
  let operator: CreatedUserView;
  let operatorContext: BrowserContext;
  let op: Page;
  let memberContext: BrowserContext;
  let member: Page;
  let invitationLink = '';
  let organizationId = '';
  let request: CertificateRequestView;
  let certificate: CertificateView;
  const pageErrors: string[] = [];

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const fetchDer = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `onboarding-${name}.png`), fullPage: true, animations: 'disabled' });
  const newPage = async (context: BrowserContext) => {
    const p = await context.newPage();
    p.setDefaultTimeout(20_000);
    p.on('pageerror', (err) => pageErrors.push(err.message));
    return p;
  };
  const helperOf = async (p: Page, label: string) => {
    const field = p.getByLabel(label, { exact: true });
    const described = await field.getAttribute('aria-describedby');
    return described ? (await p.locator(`[id="${described}"]`).innerText()).trim() : '';
  };
  /** Writes the community's CA certificates and current CRLs as PEM files for openssl verify. */
  const trustFiles = async () => {
    const rootId = community.rootCaId!;
    const issuingId = community.issuingCaId!;
    writeFileSync(join(dir, 'root.pem'), pem('CERTIFICATE', await fetchDer(`/pki/ca/${rootId}.cer`)));
    writeFileSync(join(dir, 'issuing.pem'), pem('CERTIFICATE', await fetchDer(`/pki/ca/${issuingId}.cer`)));
    const issuingCrl = await fetchDer(`/pki/crl/${issuingId}.crl`);
    writeFileSync(join(dir, 'crls.pem'), pem('X509 CRL', await fetchDer(`/pki/crl/${rootId}.crl`)) + pem('X509 CRL', issuingCrl));
    return { issuingCrl };
  };
  const verifyLeaf = () => openssl([
    'verify', '-x509_strict', '-crl_check_all', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem'), '-CRLfile', join(dir, 'crls.pem'), join(dir, 'leaf.pem'),
  ]);

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // a database of its own: the API process refuses to start while other test files' CAs, whose keys
    // are in other key stores, are in its database
    opts = await isolatedPlatformOptions('http://pki.onboarding-test.invalid');
    api0 = await startApiProcess({
      ...platformEnv(opts), ANCHORAGE_CONSOLE_DIR: CONSOLE_DIST, ANCHORAGE_PORT: String(port),
      // the invitation e-mail goes to the receiver, and its link opens the console the API serves
      ANCHORAGE_SMTP_URL: smtp.url, ANCHORAGE_CONSOLE_URL: url, ANCHORAGE_MAIL_FROM: 'Anchorage <no-reply@onboarding-test.invalid>',
    });
    token = createTokenWithCli(opts.databaseUrl, 'onboarding-e2e');

    community = await api<CommunityView>('POST', '/api/v1/communities', { name: `Onboarding Network ${host}`, uri: `udap://${host}/`, caKeyType: 'RSA-2048' });
    operator = await api<CreatedUserView>('POST', '/api/v1/users', { email: `operator@${host}`, displayName: 'Otto Operator', role: 'operator', password: OPERATOR_PASSWORD, communities: 'all' });
    expect(operator.totpEnrollment?.secret).toMatch(/^[A-Z2-7]{32}$/);

    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    operatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    op = await newPage(operatorContext);
  }, 180_000);

  afterEach(() => expect(pageErrors).toEqual([]));

  afterAll(async () => {
    await browser?.close();
    await api0?.stop();
    await opts?.drop();
    await smtp?.close();
  });

  it('signs the operator in with its TOTP code (a wrong code is refused) and invites a contact through the form; the e-mail carries the link', async () => {
    await op.goto(`${url}/`);
    await op.getByLabel('E-mail').fill(operator.email);
    await op.getByLabel(/^Password/).fill(OPERATOR_PASSWORD);
    await op.getByLabel('Authenticator code').fill(staleTotpCode(operator.totpEnrollment!.secret));
    await op.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(op.getByRole('alert').filter({ hasText: 'Could not sign in' }).innerText()).resolves.toContain('password or code is not correct');
    await op.getByLabel('Authenticator code').fill(totpCode(operator.totpEnrollment!.secret));
    await op.getByRole('button', { name: 'Sign in', exact: true }).click();
    await op.getByRole('button', { name: /^Profile/ }).filter({ hasText: 'Otto Operator' }).waitFor();

    await op.getByRole('menuitem', { name: 'Invitations' }).click();
    await op.getByRole('link', { name: 'Create' }).click();
    await op.getByLabel('Contact\'s e-mail').fill(contactEmail);
    await op.getByLabel('Community').click();
    await op.getByRole('option', { name: community.name }).click();
    await op.getByLabel('Organization name').fill('Lakeside Clinic');
    await shot(op, 'invitation-form');
    await op.getByRole('button', { name: 'Save' }).click();
    await op.getByText(new RegExp(`Invitation sent to ${contactEmail.replace(/\./g, '\\.')} for Lakeside Clinic`)).waitFor();
    const row = op.getByRole('row').filter({ hasText: contactEmail });
    await row.getByText('Lakeside Clinic').waitFor();
    await row.getByText('pending', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Withdraw' }).waitFor();

    const mail = await smtp.waitFor(contactEmail, { timeoutMs: 15_000 });
    expect(mail.subject).toBe(`Invitation: Lakeside Clinic in ${community.name}`);
    const m = /(\S+\/#\/accept-invitation\?token=ani_[A-Za-z0-9_-]+)/.exec(mail.text);
    expect(m).not.toBeNull();
    invitationLink = m![1];
    expect(invitationLink.startsWith(`${url}/#/accept-invitation?token=`)).toBe(true);
  });

  it('lets the contact open the link in a fresh browser, choose a name and password, and go on to sign in; the link then says it was used', async () => {
    memberContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    member = await newPage(memberContext);
    await member.goto(invitationLink);
    await member.getByText(`You are invited to administer Lakeside Clinic as ${contactEmail}`).waitFor();
    await member.getByLabel('Display name').fill('Lena Lakeside');
    await member.getByLabel('Password', { exact: true }).fill(MEMBER_PASSWORD);
    await member.getByLabel('Confirm password').fill(MEMBER_PASSWORD);
    await shot(member, 'accept-invitation');
    await member.getByRole('button', { name: 'Create my account' }).click();
    await member.getByText(`Your account ${contactEmail} is ready`).waitFor();
    await expect(member.getByLabel('E-mail').inputValue()).resolves.toBe(contactEmail);

    // the same link again, in another tab: the API's reason, no form
    const again = await newPage(memberContext);
    await again.goto(invitationLink);
    await expect(again.getByRole('alert').innerText()).resolves.toBe('this invitation link was already used; ask the network operator for a new one');
    expect(await again.getByLabel('Display name').count()).toBe(0);
    await shot(again, 'invitation-used');
    await again.close();
    const invitations = await api<{ email: string; state: string }[]>('GET', '/api/v1/invitations');
    expect(invitations.find((i) => i.email === contactEmail)?.state).toBe('accepted');
  });

  it('signs the member in and turns on two-factor authentication with the secret shown (a wrong code is refused)', async () => {
    await member.getByLabel(/^Password/).fill(MEMBER_PASSWORD);
    await member.getByRole('button', { name: 'Sign in', exact: true }).click();
    await member.getByRole('button', { name: /^Profile/ }).filter({ hasText: 'Lena Lakeside' }).waitFor();
    await member.getByRole('menuitem', { name: 'My organization' }).click(); // the landing page is the dashboard
    await member.getByText('Complete your organization\'s profile').waitFor();

    await member.getByRole('button', { name: /^Profile/ }).click();
    await member.getByRole('menuitem', { name: 'Two-factor authentication' }).click();
    await member.getByRole('button', { name: 'Start setup' }).click();
    const secret = (await member.getByLabel('Secret', { exact: true }).innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await member.getByLabel('Code from the app').fill(staleTotpCode(secret));
    await member.getByRole('button', { name: 'Confirm' }).click();
    await expect(member.getByRole('alert').innerText()).resolves.toContain('the code does not match');
    await member.getByLabel('Code from the app').fill(totpCode(secret));
    await member.getByRole('button', { name: 'Confirm' }).click();
    await member.getByText(`Two-factor authentication is on for ${contactEmail}`).waitFor();
    const users = await api<UserView[]>('GET', `/api/v1/users?filter=${encodeURIComponent(JSON.stringify({ role: 'member-admin' }))}`);
    const me = users.find((u) => u.email === contactEmail)!;
    expect(me).toMatchObject({ displayName: 'Lena Lakeside', totpEnabled: true });
    organizationId = me.organizationId!;
  });

  it('has the member submit the organization profile through the form, with the API\'s field errors under the fields first', async () => {
    await member.getByRole('menuitem', { name: 'My organization' }).click();
    await member.getByLabel('Legal name').fill('Lakeside Clinic LLC');
    await member.getByLabel('Identifier 1 value').fill('1234567890'); // fails the NPI check digit
    await member.getByLabel('Country').fill('Netherlands');
    await member.getByRole('button', { name: 'Submit for review' }).click();
    await member.getByRole('alert').filter({ hasText: 'The profile was not submitted' }).waitFor();
    await expect(helperOf(member, 'Identifier 1 value')).resolves.toBe('is not a valid NPI (10 digits, Luhn check digit)');
    await expect(helperOf(member, 'Country')).resolves.toBe('must be an ISO 3166-1 alpha-2 code such as US or NL');
    await expect(helperOf(member, 'City')).resolves.toBe('is required');
    await expect(helperOf(member, 'Requested SAN URIs')).resolves.toBe('give at least one endpoint or client URI');
    expect(await member.locator('body').innerText()).not.toMatch(/[{[]\s*"(type|title|status|detail)"/);
    await shot(member, 'profile-form');

    await member.getByLabel('Identifier 1 value').fill('1234567893');
    await member.getByLabel('Address lines').fill('7 Lake Road');
    await member.getByLabel('City').fill('Madison');
    await member.getByLabel('Region').fill('WI');
    await member.getByLabel('Postal code').fill('53703');
    await member.getByLabel('Country').fill('us');
    await member.getByLabel('Technical contact name').fill('Tina Tech');
    await member.getByLabel('Technical contact e-mail').fill(`tech@${host}`);
    await member.getByLabel('Security contact name').fill('Sid Secure');
    await member.getByLabel('Security contact e-mail').fill(`security@${host}`);
    await member.getByLabel('Security contact phone').fill('+1 608 555 0101');
    await member.getByLabel('Requested SAN URIs').fill(sanUri);
    await member.getByRole('button', { name: 'Submit for review' }).click();
    await member.getByText('awaits review by an operator').waitFor();
    const org = await api<OrganizationView>('GET', `/api/v1/organizations/${organizationId}`);
    expect(org).toMatchObject({
      status: 'submitted',
      profile: {
        legalName: 'Lakeside Clinic LLC', identifiers: [{ type: 'NPI', value: '1234567893' }],
        address: { lines: ['7 Lake Road'], city: 'Madison', region: 'WI', postalCode: '53703', country: 'US' },
        technicalContact: { name: 'Tina Tech', email: `tech@${host}` }, securityContact: { name: 'Sid Secure', email: `security@${host}`, phone: '+1 608 555 0101' },
        requestedSanUris: [sanUri],
      },
    });

    // endpoint control: the token to publish and where; running the check records the outcome
    await member.getByRole('button', { name: 'Start check' }).click();
    const tokenText = (await member.getByLabel(`Token for ${sanUri}`).innerText()).trim();
    await expect(member.getByLabel(`Publish URL for ${sanUri}`).innerText()).resolves.toBe(`${sanUri}/.well-known/anchorage-endpoint-check`);
    await member.getByRole('button', { name: 'Run check' }).click();
    const outcome = member.getByRole('table', { name: 'Endpoint checks' }).getByText('failed', { exact: true });
    await outcome.waitFor();
    const [check] = await api<EndpointCheckView[]>('GET', `/api/v1/organizations/${organizationId}/endpoint-checks`);
    expect(check).toMatchObject({ uri: sanUri, token: tokenText, status: 'failed' });
    await member.getByRole('table', { name: 'Endpoint checks' }).getByText(ENDPOINT_CHECK_FAILURES[check.lastError!]).waitFor();
  });

  it('has the operator approve the organization from the review queue', async () => {
    await op.getByRole('menuitem', { name: 'Awaiting review' }).click();
    await op.getByRole('columnheader', { name: 'Submitted' }).waitFor(); // the invitations list before it names the organization too
    await op.getByRole('cell', { name: 'Lakeside Clinic' }).click();
    const profile = op.getByRole('table', { name: 'Organization profile' });
    await profile.getByText('Lakeside Clinic LLC').waitFor();
    await profile.getByText(sanUri).waitFor();
    await op.getByText('Submitted profile (revision 1)').waitFor();
    await shot(op, 'review');
    // the profile is submitted again while the operator reads revision 1: the API refuses that approval,
    // the page shows revision 2, and approving it sends revision 2
    const shown = await api<OrganizationView>('GET', `/api/v1/organizations/${organizationId}`);
    expect(shown.profileRevision).toBe(1);
    const phone = '+1 555 0199';
    await api<OrganizationView>('POST', `/api/v1/organizations/${organizationId}/submit`, { ...shown.profile, securityContact: { ...shown.profile.securityContact, phone } });
    // the approval dialog reads the impact from the API: revision 2, not the one shown; it refuses to approve
    await op.getByRole('button', { name: 'Approve' }).click();
    const approval = op.getByRole('dialog', { name: 'Approve Lakeside Clinic' });
    await approval.getByText(/submitted the profile again \(revision 2\) since this page loaded/).waitFor();
    await approval.getByRole('button', { name: 'Cancel' }).click();
    await op.getByText('Submitted profile (revision 2)').waitFor();
    await profile.getByText(phone, { exact: false }).waitFor();
    expect((await api<OrganizationView>('GET', `/api/v1/organizations/${organizationId}`)).status).toBe('submitted');
    await shot(op, 'review-profile-changed');
    await op.getByRole('button', { name: 'Approve' }).click();
    await approval.getByRole('table', { name: 'SAN URIs bound by the approval' }).getByText(sanUri).waitFor();
    // its endpoint check failed above: the real API says so, and the dialog warns before binding it for good
    await expect(approval.getByTestId('unproven-endpoints').innerText()).resolves.toMatch(/^Warning: 1 of 1 SAN URI did not pass the endpoint check \(.+: failed: /);
    await approval.getByLabel('Confirmation').fill('Lakeside Clinic');
    await shot(op, 'approve-dialog');
    await approval.getByRole('button', { name: 'Approve and bind' }).click();
    await op.getByText('Lakeside Clinic LLC approved: active, with 1 SAN URI bound').waitFor();
    const org = await api<OrganizationView>('GET', `/api/v1/organizations/${organizationId}`);
    expect(org).toMatchObject({ status: 'active', name: 'Lakeside Clinic LLC', sanUris: [sanUri], profileRevision: 2 });
  });

  it('has the member request a udap-server certificate with an RSA key generated in the browser', async () => {
    await member.reload();
    await member.getByText('Your organization is active').waitFor();
    await member.getByRole('menuitem', { name: 'My requests' }).click();
    await member.getByRole('link', { name: 'Request a certificate' }).click();
    await member.getByLabel(sanUri).waitFor();
    expect(await member.getByLabel(sanUri).isChecked()).toBe(true);
    await expect(member.getByLabel(/^UDAP server/).isChecked()).resolves.toBe(true);
    await expect(member.getByLabel('Generate a key pair in this browser').isChecked()).resolves.toBe(true);
    await member.getByLabel('Key type').click();
    // the community allows RSA 2048, 3072 and 4096 (its default policy); the preferred one comes first
    await expect(member.getByRole('option').allInnerTexts()).resolves.toEqual([
      'RSA 2048 (RSASSA-PKCS1-v1_5, SHA-256)', 'RSA 3072 (RSASSA-PKCS1-v1_5, SHA-256)', 'RSA 4096 (RSASSA-PKCS1-v1_5, SHA-256)',
    ]);
    await member.getByRole('option', { name: 'RSA 2048 (RSASSA-PKCS1-v1_5, SHA-256)' }).click();
    await member.getByLabel('Key passphrase', { exact: true }).fill(KEY_PASSPHRASE);
    await member.getByLabel('Confirm key passphrase', { exact: true }).fill(KEY_PASSPHRASE);
    await shot(member, 'request-wizard');
    await member.getByRole('button', { name: 'Submit request' }).click();
    await member.getByText('Waiting for an operator').waitFor();
    const id = /#\/certificate-requests\/([0-9a-f-]{36})\/show/.exec(member.url())![1];
    request = await api<CertificateRequestView>('GET', `/api/v1/certificate-requests/${id}`);
    expect(request).toMatchObject({ organizationId, profile: 'udap-server', sanUris: [sanUri], keyType: 'RSA-2048', status: 'submitted' });
    const csr = openssl(['req', '-verify', '-noout', '-text'], request.csrPem);
    expect(csr.output).toContain('self-signature verify OK');
    expect(csr.output).toContain(`URI:${sanUri}`);

    await member.getByRole('menuitem', { name: 'My requests' }).click();
    await member.getByRole('columnheader', { name: 'Key' }).waitFor();
    const row = member.getByRole('row').filter({ hasText: sanUri });
    await row.getByText('submitted', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Cancel request' }).waitFor();
    await shot(member, 'request-list');
  });

  it('has the operator approve the request from the pending requests', async () => {
    await op.getByRole('menuitem', { name: 'Pending requests' }).click();
    await op.getByRole('columnheader', { name: 'Key' }).waitFor();
    const row = op.getByRole('row').filter({ hasText: sanUri });
    await row.getByText('Lakeside Clinic LLC').waitFor();
    await shot(op, 'pending-requests');
    await row.getByRole('button', { name: 'Approve' }).click();
    await op.getByText(new RegExp(`Certificate [0-9a-f]+ issued for ${sanUri.replace(/[.]/g, '\\.')}`)).waitFor();
    request = await api<CertificateRequestView>('GET', `/api/v1/certificate-requests/${request.id}`);
    expect(request.status).toBe('issued');
    certificate = await api<CertificateView>('GET', `/api/v1/certificates/${request.certificateId}`);
    expect(certificate).toMatchObject({ status: 'issued', profile: 'udap-server', sanUris: [sanUri] });
  });

  it('lets the member download a PKCS #12 built in the browser that OpenSSL opens, and whose leaf verifies with the CRLs', async () => {
    // a reload of the tab still finds the key (kept for this user in IndexedDB, encrypted under the passphrase)
    await member.goto(`${url}/#/certificate-requests/${request.id}/show`);
    await member.reload();
    await member.getByLabel('Key passphrase', { exact: true }).fill(KEY_PASSPHRASE);
    await member.getByRole('button', { name: 'Unlock key' }).click();
    await member.getByRole('button', { name: 'Download PKCS #12' }).click();
    const dialog = member.getByRole('dialog');
    await dialog.getByLabel('File password', { exact: true }).fill('short');
    await dialog.getByLabel('Confirm file password').fill('short');
    await dialog.getByRole('button', { name: 'Build and download' }).click();
    await dialog.getByText('At least 8 characters').waitFor();
    await dialog.getByLabel('File password', { exact: true }).fill(P12_PASSWORD);
    await dialog.getByLabel('Confirm file password').fill(P12_PASSWORD);
    await shot(member, 'pkcs12-download');
    const download = member.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Build and download' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${certificate.serial}.p12`);
    const p12 = join(dir, 'member.p12');
    await file.saveAs(p12);
    await member.getByText(`PKCS #12 file ${certificate.serial}.p12 saved`).waitFor();

    const pass = `pass:${P12_PASSWORD}`;
    const info = openssl(['pkcs12', '-info', '-nokeys', '-in', p12, '-passin', pass]);
    expect(info.status).toBe(0);
    expect(info.output).toMatch(/MAC: sha256, Iteration 2048/);
    expect(info.output).toMatch(/PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256/);
    expect(info.output).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256/);
    const full = openssl(['pkcs12', '-info', '-nodes', '-in', p12, '-passin', pass]);
    expect(full.status).toBe(0);
    expect(full.stdout).toContain('-----BEGIN PRIVATE KEY-----');
    expect(full.stdout.match(/-----BEGIN CERTIFICATE-----/g)!.length).toBe(certificate.x5c.length);
    const localKeyIds = full.output.match(/localKeyID: ([0-9A-F ]+)/g)!;
    expect(localKeyIds).toHaveLength(2);
    expect(localKeyIds[0]).toBe(localKeyIds[1]);
    expect(full.output.match(new RegExp(`friendlyName: ${sanUri.replace(/[.]/g, '\\.')}`, 'g'))).toHaveLength(2);
    expect(openssl(['pkcs12', '-nodes', '-in', p12, '-passin', 'pass:not the password']).status).not.toBe(0);
    // and what relying parties parse it with: keytool and node-forge (the Node UDAP library's parser) too, from DER
    expect(pkcs12Problems(readFileSync(p12), {
      password: P12_PASSWORD, leafDer: Buffer.from(certificate.derBase64, 'base64'), chainDers: certificate.x5c.slice(1).map((d) => Buffer.from(d, 'base64')), friendlyName: sanUri,
    })).toEqual([]);

    // the key in the file is the certificate's key, and the leaf in the file is the issued one
    const leafPem = openssl(['pkcs12', '-nokeys', '-clcerts', '-in', p12, '-passin', pass]).stdout;
    const keyPem = openssl(['pkcs12', '-nocerts', '-nodes', '-in', p12, '-passin', pass]).stdout;
    const leafFingerprint = openssl(['x509', '-noout', '-fingerprint', '-sha256'], leafPem).stdout;
    expect(leafFingerprint).toBe(openssl(['x509', '-noout', '-fingerprint', '-sha256'], certificate.pem).stdout);
    expect(openssl(['pkey', '-pubout'], keyPem).stdout).toBe(openssl(['x509', '-noout', '-pubkey'], certificate.pem).stdout);
    expect(openssl(['pkey', '-noout', '-text'], keyPem).stdout).toContain('Private-Key: (2048 bit');

    // the PEM private key download holds the same key
    const pemDownload = member.waitForEvent('download');
    await member.getByRole('button', { name: 'Download private key (PEM, unencrypted)' }).click();
    const keyFile = join(dir, 'member-key.pem');
    await (await pemDownload).saveAs(keyFile);
    expect(openssl(['pkey', '-pubout', '-in', keyFile]).stdout).toBe(openssl(['x509', '-noout', '-pubkey'], certificate.pem).stdout);

    writeFileSync(join(dir, 'leaf.pem'), leafPem);
    await trustFiles();
    const ok = verifyLeaf();
    expect(ok.output.trim()).toBe(`${join(dir, 'leaf.pem')}: OK`);
    expect(ok.status).toBe(0);
  });

  it('lets the member revoke the certificate (keyCompromise): the served CRL lists it and OpenSSL refuses the leaf', async () => {
    await member.getByRole('link', { name: certificate.serial }).click();
    await member.getByRole('button', { name: 'Revoke', exact: true }).click();
    const dialog = member.getByRole('dialog');
    await dialog.getByLabel('Reason').click();
    await member.getByRole('option', { name: 'keyCompromise' }).click();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await member.getByText(new RegExp(`Certificate ${certificate.serial} revoked \\(keyCompromise\\); CRL #\\d+ lists it`)).waitFor();
    await shot(member, 'revoked');

    const { issuingCrl } = await trustFiles();
    const crl = openssl(['crl', '-inform', 'DER', '-noout', '-text'], issuingCrl);
    expect(crl.stdout.toUpperCase()).toContain(certificate.serial.toUpperCase());
    expect(crl.stdout).toContain('Key Compromise');
    const refused = verifyLeaf();
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/certificate revoked/);
    expect((await api<CertificateView>('GET', `/api/v1/certificates/${certificate.id}`)).status).toBe('revoked');
  });
});
