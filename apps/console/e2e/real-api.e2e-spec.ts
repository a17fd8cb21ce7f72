// The console in Chromium against the real API process and PostgreSQL: an operator signs in,
// finds a certificate and revokes it; the CRL the public repository serves then lists the serial,
// and OpenSSL rejects the certificate.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CertificateView, CommunityView, OrganizationView } from '@anchorage/contracts';
import { CONSOLE_DIST, REPO_ROOT } from './build-console';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'test-output/screenshots');
const skip = !existsSync(CHROMIUM) && !process.env.CI;
const node = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['-r', join(REPO_ROOT, 'scripts/register.cjs'), join(REPO_ROOT, script), ...args], { cwd: REPO_ROOT, env, encoding: 'utf8' });
const pem = (label: string, der: Buffer) => `-----BEGIN ${label}-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

(skip ? describe.skip : describe)('console in Chromium against the real API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-console-real-'));
  const host = `console-${randomBytes(4).toString('hex')}.example.org`;
  let env: NodeJS.ProcessEnv;
  let apiProc: ChildProcess;
  let url = '';
  let token = '';
  let browser: Browser;
  let page: Page;
  let cert: CertificateView;
  let community: CommunityView;

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    const kek = join(dir, 'kek');
    writeFileSync(kek, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    mkdirSync(join(dir, 'keys'));
    env = {
      ...process.env, ANCHORAGE_DATABASE_URL: process.env.ANCHORAGE_TEST_DATABASE_URL, ANCHORAGE_KEK_FILE: kek,
      ANCHORAGE_KEY_DIR: join(dir, 'keys'), ANCHORAGE_PUBLISH_DIR: join(dir, 'publish'), ANCHORAGE_CONSOLE_DIR: CONSOLE_DIST,
      ANCHORAGE_HOST: '127.0.0.1', ANCHORAGE_PORT: '0', ANCHORAGE_PUBLIC_BASE_URL: 'http://pki.console-test.invalid',
    };
    apiProc = spawn(process.execPath, ['-r', join(REPO_ROOT, 'scripts/register.cjs'), join(REPO_ROOT, 'apps/api/src/main.ts')], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      };
      apiProc.stdout!.on('data', onData);
      apiProc.stderr!.on('data', onData);
      apiProc.on('exit', (code) => reject(new Error(`API exited with ${code}: ${out}`)));
    });
    const t = node('apps/cli/src/main.ts', ['token', 'create', '--name', 'console-e2e', '--json'], env);
    expect(t.stderr).toBe('');
    token = JSON.parse(t.stdout).token;

    community = await api<CommunityView>('POST', '/api/v1/communities', { name: 'Console E2E Network', uri: `udap://${host}/`, caKeyType: 'RSA-2048' });
    const org = await api<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Console Clinic', sanUris: [`https://${host}/fhir`] });
    const key = join(dir, 'leaf.key');
    const csr = spawnSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', '/CN=console', '-addext', `subjectAltName=URI:https://${host}/fhir`], { encoding: 'utf8' });
    cert = await api<CertificateView>('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-server', csr: csr.stdout });

    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(20_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    apiProc?.kill('SIGTERM');
  });

  it('revokes a certificate from the console and the served CRL lists it', async () => {
    await page.goto(`${url}/`);
    await page.getByLabel('Operator API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Console E2E Network').first().waitFor();
    await page.goto(`${url}/#/certificates/${cert.id}/show`);
    await page.getByText(`https://${host}/fhir`).first().waitFor();
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').click();
    await page.getByRole('option', { name: 'keyCompromise' }).click();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText(new RegExp(`Certificate ${cert.serial} revoked \\(keyCompromise\\); CRL #\\d+ lists it`)).waitFor();
    await page.screenshot({ path: join(SHOTS, 'console-real-revoked.png'), fullPage: true });

    const crl = Buffer.from(await (await fetch(`${url}/pki/crl/${community.issuingCaId}.crl`)).arrayBuffer());
    const text = spawnSync('openssl', ['crl', '-inform', 'DER', '-noout', '-text'], { input: crl, encoding: 'utf8' }).stdout;
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
  });
});
