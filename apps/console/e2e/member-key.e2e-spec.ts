// A member's private key in Chromium against the real API and PostgreSQL, in one persistent browser
// profile: the member requests a certificate with a key generated in the browser under a passphrase it
// chooses; the request page shows the decoded CSR and turns into the issued certificate by itself when
// an operator approves (no reload), and the PKCS #12 downloads there; a second tab, a sign-out and
// sign-in, and a restart of the browser all find the key again (a wrong passphrase is refused, readably,
// and unlocks nothing); IndexedDB holds the key only encrypted. The certificate page shows the issuer,
// the SHA-256 and SHA-1 fingerprints (as OpenSSL computes them) and the chain as a picture; the renewal
// form shows the SAN URIs without letting them change.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { CertificateRequestView, CertificateView, CommunityView, CreatedUserView, OrganizationView } from '@anchorage/contracts';
import { CHROMIUM, SHOTS, skipWithoutChromium } from './browser';
import { startConsoleApi, type ConsoleApi } from './real-api-harness';

const skip = skipWithoutChromium('console browser test');
const PASSWORD = 'member key sign-in pass phrase';
const KEY_PASSPHRASE = 'correct horse battery staple';
const P12_PASSWORD = 'p12 file pass phrase';

const openssl = (args: string[], input?: string | Buffer) => {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, output: r.stdout + r.stderr };
};

(skip ? describe.skip : describe)('a member\'s browser-generated key in Chromium against the real API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-console-memberkey-'));
  const profileDir = join(dir, 'chromium-profile');
  const host = `key-${randomBytes(4).toString('hex')}.example.org`;
  const san = `https://${host}/fhir`;
  const otherSan = `https://${host}/other`;
  let server: ConsoleApi | undefined;
  let url = '';
  let context: BrowserContext;
  let org: OrganizationView;
  let member: CreatedUserView;
  let request: CertificateRequestView;
  let certificate: CertificateView;
  const pageErrors: string[] = [];

  const api = <T>(method: string, path: string, body?: unknown): Promise<T> => server!.api<T>(method, path, body);
  const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `member-key-${name}.png`), fullPage: true, animations: 'disabled' });
  const launch = async (userDataDir = profileDir) => {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM, headless: true, acceptDownloads: true, viewport: { width: 1280, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  };
  /** A new tab of the profile (its own sessionStorage, so its own sign-in), signed in as the member. */
  const memberTab = async (): Promise<Page> => {
    const p = await context.newPage();
    p.setDefaultTimeout(20_000);
    p.on('pageerror', (err) => pageErrors.push(err.message));
    await p.goto(`${url}/`);
    await signIn(p);
    return p;
  };
  const signIn = async (p: Page) => {
    await p.getByLabel('E-mail').fill(member.email);
    await p.getByLabel(/^Password/).fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.getByRole('button', { name: /^Profile/ }).waitFor();
  };
  /** Builds the PKCS #12 in the page, saves it, and checks it with OpenSSL: the issued leaf and chain, and the certificate's key. */
  const downloadAndCheckPkcs12 = async (p: Page, name: string, cert: CertificateView = certificate) => {
    await p.getByRole('button', { name: 'Download PKCS #12' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('File password', { exact: true }).fill(P12_PASSWORD);
    await dialog.getByLabel('Confirm file password').fill(P12_PASSWORD);
    const download = p.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Build and download' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${cert.serial}.p12`);
    const path = join(dir, `${name}.p12`);
    await file.saveAs(path);
    await p.getByText(`PKCS #12 file ${cert.serial}.p12 saved`).waitFor();
    const pass = `pass:${P12_PASSWORD}`;
    const info = openssl(['pkcs12', '-info', '-nokeys', '-in', path, '-passin', pass]);
    expect(info.status).toBe(0);
    expect(info.output).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
    expect(info.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(cert.x5c.length);
    const leaf = openssl(['pkcs12', '-nokeys', '-clcerts', '-in', path, '-passin', pass]).stdout;
    expect(openssl(['x509', '-noout', '-fingerprint', '-sha256'], leaf).stdout).toBe(openssl(['x509', '-noout', '-fingerprint', '-sha256'], cert.pem).stdout);
    const key = openssl(['pkcs12', '-nocerts', '-nodes', '-in', path, '-passin', pass]).stdout;
    expect(openssl(['pkey', '-pubout'], key).stdout).toBe(openssl(['x509', '-noout', '-pubkey'], cert.pem).stdout);
  };
  /** Unlocks the stored key on the page with the member's passphrase (after a wrong one, when `wrongFirst`). */
  const unlock = async (p: Page, wrongFirst = false) => {
    const form = p.getByRole('form', { name: 'Unlock the private key' });
    await form.getByText(`kept in this browser's storage for ${member.email}, encrypted under the passphrase`).waitFor();
    if (wrongFirst) {
      await form.getByLabel('Key passphrase').fill('not the passphrase at all');
      await form.getByRole('button', { name: 'Unlock key' }).click();
      await expect(form.getByRole('alert').innerText()).resolves.toBe(
        'That passphrase does not unlock the key: it stays locked. Use the passphrase you chose when you requested the certificate.',
      );
      expect(await p.getByRole('button', { name: 'Download PKCS #12' }).count()).toBe(0);
      expect(await p.getByRole('button', { name: /Download private key/ }).count()).toBe(0);
      await shot(p, 'wrong-passphrase');
    }
    await form.getByLabel('Key passphrase').fill(KEY_PASSPHRASE);
    await form.getByRole('button', { name: 'Unlock key' }).click();
    await p.getByRole('button', { name: 'Download PKCS #12' }).waitFor();
  };

  beforeAll(async () => {
    server = await startConsoleApi('http://pki.member-key-test.invalid', 'member-key-e2e');
    url = server.url;
    const community = await api<CommunityView>('POST', '/api/v1/communities', { name: 'Member Key Network', uri: `udap://${host}/`, caKeyType: 'RSA-2048' });
    org = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Key Clinic', sanUris: [san, otherSan] });
    member = await api<CreatedUserView>('POST', '/api/v1/users', { email: `admin@${host}`, displayName: 'Kim Member', role: 'member-admin', password: PASSWORD, organizationId: org.id });
    mkdirSync(SHOTS, { recursive: true });
    await launch();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  it('requests a certificate with a key made in the browser under a passphrase; the request page decodes the CSR, turns into the issued certificate by itself, and gives the PKCS #12', async () => {
    const p = await memberTab();
    await p.goto(`${url}/#/certificate-requests/create`);
    await p.getByLabel(san, { exact: true }).waitFor();
    expect(await p.getByLabel(san, { exact: true }).isChecked()).toBe(true);
    await p.getByText(`kept in this browser's storage for ${member.email}`).waitFor();
    // a passphrase too short, then two that differ: refused before any key is made or request sent
    await p.getByLabel('Key passphrase', { exact: true }).fill('short');
    await p.getByLabel('Confirm key passphrase', { exact: true }).fill('short');
    await p.getByRole('button', { name: 'Submit request' }).click();
    await expect(p.getByRole('alert').innerText()).resolves.toBe('Choose a key passphrase of at least 10 characters.');
    await p.getByLabel('Key passphrase', { exact: true }).fill(KEY_PASSPHRASE);
    await p.getByLabel('Confirm key passphrase', { exact: true }).fill(`${KEY_PASSPHRASE}!`);
    await p.getByRole('button', { name: 'Submit request' }).click();
    await expect(p.getByRole('alert').innerText()).resolves.toBe('The two key passphrases differ.');
    expect(await api<CertificateRequestView[]>('GET', `/api/v1/certificate-requests?filter=${encodeURIComponent(JSON.stringify({ organizationId: org.id }))}`)).toEqual([]);
    await p.getByLabel('Confirm key passphrase', { exact: true }).fill(KEY_PASSPHRASE);
    await shot(p, 'wizard');
    await p.getByRole('button', { name: 'Submit request' }).click();
    await p.getByText('Waiting for an operator; this page checks every 3 seconds').waitFor();
    const id = /#\/certificate-requests\/([0-9a-f-]{36})\/show/.exec(p.url())![1];
    request = await api<CertificateRequestView>('GET', `/api/v1/certificate-requests/${id}`);
    expect(request).toMatchObject({ status: 'submitted', sanUris: [san], keyType: 'RSA-2048' });

    // the CSR decoded in the browser: what OpenSSL reads in it
    const decoded = p.getByRole('table', { name: 'Decoded CSR' });
    await decoded.waitFor();
    const cells = async () => Object.fromEntries((await decoded.locator('tr').allInnerTexts()).map((r) => r.split('\t').map((x) => x.trim())));
    await expect(cells()).resolves.toEqual({
      Subject: 'CN=Key Clinic', 'SAN URIs': san, 'Public key': 'RSA 2048 bits', Signature: 'sha256WithRSAEncryption: valid (the requester holds the private key)',
    });
    const csrText = openssl(['req', '-noout', '-verify', '-text'], request.csrPem).output;
    expect(csrText).toContain('verify OK');
    expect(csrText).toContain('Public-Key: (2048 bit)');
    await shot(p, 'request-waiting');

    // the operator approves elsewhere; this page finds out by itself, without a reload
    await p.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true; });
    await api('POST', `/api/v1/certificate-requests/${id}/approve`);
    await p.getByText('Approved: the certificate is issued (below).').waitFor({ timeout: 15_000 });
    expect(await p.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    request = await api<CertificateRequestView>('GET', `/api/v1/certificate-requests/${id}`);
    certificate = await api<CertificateView>('GET', `/api/v1/certificates/${request.certificateId}`);
    // this tab made the key: it is unlocked here, and says where it is kept
    await p.getByText(`kept in this browser's storage for ${member.email}, encrypted under the passphrase you chose`).first().waitFor();
    await shot(p, 'request-issued');
    await downloadAndCheckPkcs12(p, 'first-tab');

    // what IndexedDB keeps: an AES-GCM ciphertext, no CryptoKey and no plain PKCS #8
    const stored = await p.evaluate(async () => new Promise<{ fields: string[]; wrapped: string; owner: string }[]>((resolve, reject) => {
      const open = indexedDB.open('anchorage-keys');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction('wrapped-keys').objectStore('wrapped-keys').getAll();
        all.onsuccess = () => resolve((all.result as Record<string, unknown>[]).map((r) => ({
          fields: Object.keys(r).sort(), wrapped: Object.prototype.toString.call(r.wrapped), owner: (r.owner as { email: string }).email,
        })));
      };
    }));
    expect(stored).toEqual([{
      fields: ['createdAt', 'fingerprint', 'id', 'iterations', 'iv', 'keyType', 'owner', 'salt', 'wrapped'], wrapped: '[object ArrayBuffer]', owner: member.email,
    }]);
    expect(await p.evaluate(() => Object.keys(sessionStorage).filter((k) => k !== 'anchorage.session'))).toEqual([]);
    await p.close();
  });

  it('finds the key in a second tab of the same profile: a wrong passphrase is refused and unlocks nothing, the right one gives the PKCS #12', async () => {
    const p = await memberTab();
    await p.goto(`${url}/#/certificates/${certificate.id}/show`);
    await unlock(p, true);
    await shot(p, 'second-tab-unlocked');
    await downloadAndCheckPkcs12(p, 'second-tab');
    await p.close();
  });

  it('keeps the key, encrypted, across a sign-out and sign-in, and a restart of the browser', async () => {
    const p = await memberTab();
    await p.getByRole('button', { name: /^Profile/ }).click();
    await p.getByRole('menuitem', { name: 'Logout' }).click();
    await p.getByLabel('E-mail').waitFor();
    await signIn(p);
    await p.goto(`${url}/#/certificate-requests/${request.id}/show`);
    await unlock(p);
    await downloadAndCheckPkcs12(p, 'after-sign-in');
    await context.close();

    await launch();
    const again = await memberTab();
    await again.goto(`${url}/#/certificate-requests/${request.id}/show`);
    await unlock(again);
    await downloadAndCheckPkcs12(again, 'after-restart');
    await again.close();
  });

  it('shows the issuer, the fingerprints OpenSSL computes and the chain as a picture on the certificate page', async () => {
    const p = await memberTab();
    await p.goto(`${url}/#/certificates/${certificate.id}/show`);
    const leafPem = join(dir, 'leaf.pem');
    writeFileSync(leafPem, certificate.pem);
    const fp = (alg: string) => openssl(['x509', '-noout', '-fingerprint', `-${alg}`, '-in', leafPem]).stdout.trim().split('=')[1];
    const issuer = openssl(['x509', '-noout', '-issuer', '-in', leafPem]).stdout.trim().replace(/^issuer=/, '').replace(/ = /g, '=');
    await expect(p.getByLabel('SHA-256 fingerprint', { exact: true }).innerText()).resolves.toBe(`SHA-256 ${fp('sha256')}`);
    await expect(p.getByLabel('SHA-1 fingerprint', { exact: true }).innerText()).resolves.toBe(`SHA-1 ${fp('sha1')}`);
    await expect(p.getByLabel('Issuer name').innerText()).resolves.toBe(issuer);
    const issuingPem = `-----BEGIN CERTIFICATE-----\n${certificate.x5c[1]}\n-----END CERTIFICATE-----\n`;
    const issuingFp = openssl(['x509', '-noout', '-fingerprint', '-sha256'], issuingPem).stdout.trim().split('=')[1];
    await expect(p.getByLabel('Issuer SHA-256 fingerprint').innerText()).resolves.toBe(`issuing CA SHA-256 ${issuingFp}`);
    // leaf -> issuing CA -> root, each box named in words
    const chain = p.getByRole('list', { name: 'Certificate chain' });
    const items = chain.getByRole('listitem');
    await expect(items.count()).resolves.toBe(3);
    const rootName = openssl(['x509', '-noout', '-issuer'], issuingPem).stdout.trim().replace(/^issuer=/, '').replace(/ = /g, '=');
    const leafName = openssl(['x509', '-noout', '-subject', '-in', leafPem]).stdout.trim().replace(/^subject=/, '').replace(/ = /g, '=');
    await expect(items.nth(0).getAttribute('aria-label')).resolves.toBe(`Leaf certificate: ${leafName}`);
    await expect(items.nth(1).getAttribute('aria-label')).resolves.toBe(`Issuing CA: ${issuer}`);
    await expect(items.nth(2).getAttribute('aria-label')).resolves.toBe(`Root CA (trust anchor): ${rootName}`);
    await expect(chain.innerText()).resolves.toMatch(/^LEAF CERTIFICATE[\s\S]+issued by\s+→?\s*ISSUING CA[\s\S]+issued by\s+→?\s*ROOT CA \(TRUST ANCHOR\)/i);
    await chain.scrollIntoViewIfNeeded();
    await shot(p, 'certificate-detail');
    await p.close();
  });

  it('keeps the SAN URIs and profile of a renewal fixed: shown, not editable', async () => {
    const p = await memberTab();
    await p.goto(`${url}/#/certificates/${certificate.id}/show`);
    await p.getByRole('link', { name: 'Renew' }).click();
    await p.getByText(`Renewing certificate ${certificate.serial}: same SAN URIs and profile (fixed), with a new key.`).waitFor();
    const sans = p.getByRole('list', { name: 'SAN URIs of the renewal' });
    await expect(sans.innerText()).resolves.toBe(san);
    // neither the certificate's SAN nor the organization's other one can be ticked or unticked
    const section = p.getByRole('region', { name: 'SAN URIs' });
    expect(await section.getByRole('checkbox').count()).toBe(0);
    expect(await p.getByText(otherSan).count()).toBe(0);
    for (const profile of [/^UDAP server/, /^UDAP client/]) await expect(p.getByLabel(profile).isDisabled()).resolves.toBe(true);
    await p.getByLabel('Key passphrase', { exact: true }).fill(KEY_PASSPHRASE);
    await p.getByLabel('Confirm key passphrase', { exact: true }).fill(KEY_PASSPHRASE);
    await shot(p, 'renewal');
    await p.getByRole('button', { name: 'Submit request' }).click();
    await p.getByText('Waiting for an operator').waitFor();
    const id = /#\/certificate-requests\/([0-9a-f-]{36})\/show/.exec(p.url())![1];
    expect(await api<CertificateRequestView>('GET', `/api/v1/certificate-requests/${id}`)).toMatchObject({ sanUris: [san], profile: certificate.profile, renewalOf: certificate.id });
    await p.close();
    expect(pageErrors).toEqual([]);
  });

  it('still finds a key an earlier console kept unencrypted for one tab (database version 1), and gives its PKCS #12', async () => {
    await context.close();
    // a key made before the upgrade: its certificate issued from an OpenSSL CSR of the same key
    const keyFile = join(dir, 'legacy.key');
    expect(openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile]).status).toBe(0);
    const csr = openssl(['req', '-new', '-key', keyFile, '-subj', '/CN=legacy', '-addext', `subjectAltName=URI:${otherSan}`]).stdout;
    const legacy = await api<CertificateView>('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-server', csr });
    const pkcs8 = spawnSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER', '-in', keyFile]).stdout.toString('base64');
    const spki = spawnSync('openssl', ['pkey', '-pubout', '-outform', 'DER', '-in', keyFile]).stdout;
    // the subjectPublicKey BIT STRING's contents of an RSA 2048 SubjectPublicKeyInfo start at octet 24
    const fingerprint = createHash('sha256').update(spki.subarray(24)).digest('hex');
    expect(readFileSync(keyFile, 'utf8')).toContain('PRIVATE KEY');

    await launch(join(dir, 'earlier-profile'));
    const p = await context.newPage();
    p.setDefaultTimeout(20_000);
    p.on('pageerror', (err) => pageErrors.push(err.message));
    await p.goto(`${url}/`);
    await p.getByLabel('E-mail').waitFor();
    // what the earlier console stored: a CryptoKey under a tab id, in version 1 of the database
    await p.evaluate(async ({ pkcs8B64, fp }) => {
      const bytes = Uint8Array.from(atob(pkcs8B64), (c) => c.charCodeAt(0));
      const privateKey = await crypto.subtle.importKey('pkcs8', bytes, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']);
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('anchorage-keys', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('keys', { keyPath: 'id' });
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('keys', 'readwrite');
          tx.objectStore('keys').put({ id: `old-tab:${fp}`, tab: 'old-tab', fingerprint: fp, keyType: 'RSA-2048', privateKey, createdAt: Date.now() });
          tx.oncomplete = () => { open.result.close(); resolve(); };
          tx.onerror = () => reject(tx.error);
        };
      });
    }, { pkcs8B64: pkcs8, fp: fingerprint });
    await signIn(p);
    await p.goto(`${url}/#/certificates/${legacy.id}/show`);
    await p.getByText('An earlier version of the console kept it in this browser\'s storage unencrypted, not on the server.').waitFor();
    await downloadAndCheckPkcs12(p, 'legacy', legacy);
    expect(pageErrors).toEqual([]);
  });
});
