import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLI_BUNDLE, createTokenWithCli, openssl, opensslCsr, opensslRoot, opensslVerify, pkcs12Problems, REPO_ROOT, signerClientEnv, SmtpReceiver, startApiProcess, startSignerProcess, type SignerProcess, tempDir, isolatedPlatformOptions, writePem,
  type ApiProcess, type IsolatedPlatformOptions,
} from '@anchorage/testing';
import { totpCode } from '@anchorage/authority';
import { runCli } from './cli';
import { cliAgainst } from './testing/run';

describe('operator CLI against the running API process', () => {
  // a database of its own: the API process refuses to start while other test files' CAs, whose keys
  // are in other key stores, are in its database
  let opts: IsolatedPlatformOptions;
  const dir = tempDir('anchorage-cli-');
  let api: ApiProcess;
  let token = '';
  const host = `cli${Date.now().toString(36)}.example.org`;

  const cli = cliAgainst(() => api.url, () => token);

  let smtp: SmtpReceiver;
  let signer: SignerProcess;

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    opts = await isolatedPlatformOptions('http://pki.cli-test.invalid');
    // the CA keys in a signer process, as deployed: the offline root's CSR below is signed through it too
    signer = await startSignerProcess(opts);
    api = await startApiProcess({ ...signerClientEnv(opts, signer), ANCHORAGE_SMTP_URL: smtp.url });
    // `token create` runs the real CLI entry point against the database
    token = createTokenWithCli(opts.databaseUrl, 'cli-test');
  }, 90_000);
  afterAll(async () => {
    await api?.stop();
    await signer?.stop();
    await smtp?.close();
    await opts?.drop();
  });

  it('creates a community and organization, issues, revokes, regenerates the CRL and verifies the audit log', async () => {
    const c = await cli('--json', 'community', 'create', '--name', 'CLI Test', '--uri', `udap://${host}/`, '--key', 'RSA-2048', '--crl-lifetime-days', '3');
    expect(c.err).toBe('');
    expect(c.code).toBe(0);
    const community = c.json();
    expect(community.policy.crlLifetimeSeconds).toBe(3 * 86400);
    // exchange purposes: none, then the TEFCA preset, then one retired; a code not in the catalog is refused
    expect((await cli('community', 'purposes', '--community', community.id)).out).toMatch(/has no catalog of exchange purposes/);
    const tefca = await cli('--json', 'community', 'purposes', '--community', community.id, '--preset', 'tefca');
    expect(tefca.code).toBe(0);
    expect(tefca.json().map((x: { code: string }) => x.code)).toContain('T-TREAT');
    const retired = await cli('community', 'purposes', '--community', community.id, '--retire', 'T-GOVDTRM');
    expect(retired.code).toBe(0);
    expect(retired.out).toMatch(/#T-GOVDTRM\s+retired\s+Government Benefits Determination/);
    expect(retired.out).toMatch(/#T-TREAT\s+active\s+Treatment/);
    const notThere = await cli('community', 'purposes', '--community', community.id, '--retire', 'T-NOPE');
    expect(notThere.code).toBe(1);
    expect(notThere.err).toMatch(/not in the catalog of CLI Test: T-NOPE/);
    const badFile = join(dir, 'purposes.json');
    writeFileSync(badFile, JSON.stringify([{ code: 'has space', display: 'x' }]));
    const refused = await cli('community', 'purposes', '--community', community.id, '--file', badFile);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/code must be 1 to 64 letters/);
    expect((await cli('--json', 'community', 'purposes', '--community', community.id)).json().filter((x: { active: boolean }) => !x.active).map((x: { code: string }) => x.code)).toEqual(['T-GOVDTRM']);
    const o = await cli('--json', 'org', 'create', '--community', community.id, '--name', 'CLI Clinic', '--san', `https://${host}/fhir`, `https://${host}/app`);
    const org = o.json();
    expect(org.sanUris).toHaveLength(2);

    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [`https://${host}/fhir`] });
    const derPath = join(dir, 'req.der');
    writeFileSync(derPath, spawnSync('openssl', ['req', '-in', csr.csrPath, '-outform', 'DER']).stdout);
    const i = await cli('--json', 'cert', 'issue', '--org', org.id, '--profile', 'udap-server', '--csr', derPath, '--request-id', 'cli-1');
    expect(i.code).toBe(0);
    const cert = i.json();
    expect(cert.x5c).toHaveLength(2);
    expect(cert.crlUrl).toBe(`http://pki.cli-test.invalid/pki/crl/${community.issuingCaId}.crl`);
    const leafPath = writePem(dir, 'leaf.pem', [Buffer.from(cert.derBase64, 'base64')]);
    expect(openssl(['x509', '-in', leafPath, '-noout', '-ext', 'subjectAltName']).stdout).toContain(`URI:https://${host}/fhir`);

    const human = await cli('cert', 'show', cert.id);
    expect(human.out).toContain(`serial   ${cert.serial}`);

    const bad = await cli('cert', 'revoke', '--ca', community.issuingCaId, '--serial', cert.serial, '--reason', 'becauseISaidSo');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/unknown revocation reason "becauseISaidSo"/);
    const rv = await cli('--json', 'cert', 'revoke', '--ca', community.issuingCaId, '--serial', cert.serial, '--reason', 'keyCompromise');
    expect(rv.code).toBe(0);
    const crlNumber = BigInt(rv.json().crl.crlNumber);
    // the CRL the API serves lists the serial as soon as the command returns
    const served = Buffer.from(await (await fetch(`${api.url}/pki/crl/${community.issuingCaId}.crl`)).arrayBuffer());
    expect(openssl(['crl', '-inform', 'DER', '-noout', '-text'], served).stdout.toUpperCase()).toContain(cert.serial.toUpperCase());

    const g = await cli('--json', 'crl', 'generate', '--ca', community.issuingCaId);
    expect(BigInt(g.json().crlNumber)).toBeGreaterThan(crlNumber);
    expect(g.json().entryCount).toBe(1);

    const a = await cli('audit', 'verify');
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/audit chain intact: \d+ events/);

    const noToken = await runCli(['--api-url', api.url, 'crl', 'generate', '--ca', community.issuingCaId], { out: () => undefined, err: () => undefined }, { apiUrl: api.url, apiToken: 'anc_wrong', configDir: dir }, async () => {
      throw new Error('x');
    });
    expect(noToken).toBe(1);
  });

  it('creates a community with an offline root, writes its CSR, and installs the certificate the root signed', async () => {
    const usage = await cli('community', 'create', '--name', 'x', '--uri', `udap://x.${host}/`, '--csr-out', join(dir, 'x.csr'));
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/--csr-out needs --offline-root/);

    const printed = await cli('community', 'create', '--name', 'CLI Offline Printed', '--uri', `udap://printed.${host}/`, '--key', 'RSA-2048', '--offline-root');
    expect(printed.code).toBe(0);
    expect(printed.out).toMatch(/issuing CA [0-9a-f-]{36} \(awaiting-certificate\)/);
    expect(printed.out).toContain('-----BEGIN CERTIFICATE REQUEST-----');

    const csrPath = join(dir, 'offline.csr');
    const c = await cli('community', 'create', '--name', 'CLI Offline', '--uri', `udap://offline.${host}/`, '--key', 'RSA-2048', '--offline-root', '--csr-out', csrPath);
    expect(c.code).toBe(0);
    expect(c.out).not.toContain('BEGIN CERTIFICATE REQUEST');
    expect(c.out).toContain(`CSR of the issuing CA written to ${csrPath}`);
    const caId = /issuing CA ([0-9a-f-]{36})/.exec(c.out)![1];
    expect(openssl(['req', '-in', csrPath, '-verify', '-noout']).stderr).toMatch(/verify OK/i);

    const root = opensslRoot(dir);
    const certDer = join(dir, 'offline-issuing.der'); // DER on purpose: the CLI converts
    writeFileSync(certDer, spawnSync('openssl', ['x509', '-outform', 'DER'], { input: root.sign(readFileSync(csrPath, 'utf8')) }).stdout);
    const i = await cli('ca', 'install-cert', '--ca', caId, '--cert', certDer, '--root', root.certPath);
    expect(i.err).toBe('');
    expect(i.code).toBe(0);
    expect(i.out).toMatch(new RegExp(`CA ${caId} is active: O=CLI Offline, CN=CLI Offline Issuing CA`));
    expect(i.out).toMatch(/root [0-9a-f-]{36} \(offline\): O=Offline Root Test, CN=Offline Root \d+/);
    const twice = await cli('ca', 'install-cert', '--ca', caId, '--cert', certDer, '--root', root.certPath);
    expect(twice.code).toBe(1);
    expect(twice.err).toMatch(/not awaiting a certificate/);
  });

  it('issues with a platform-generated key and writes the PKCS#12 with mode 0600, once', async () => {
    const community = (await cli('--json', 'community', 'create', '--name', 'CLI P12', '--uri', `udap://p12.${host}/`, '--key', 'EC-P256', '--allow-generated-keys')).json();
    const san = `https://p12.${host}/fhir`;
    const org = (await cli('--json', 'org', 'create', '--community', community.id, '--name', 'CLI P12 Clinic', '--san', san)).json();
    const pwFile = join(dir, 'p12-password');
    writeFileSync(pwFile, 'cli pkcs12 password\n');
    const p12 = join(dir, 'member.p12');
    const none = await cli('cert', 'issue', '--org', org.id, '--profile', 'udap-server', '--san', san);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/either --csr FILE or --generate-key/);

    const args = ['cert', 'issue', '--org', org.id, '--profile', 'udap-server', '--san', san, '--generate-key', '--p12-password-file', pwFile, '--request-id', 'cli-p12-1'];
    const i = await cli('--json', ...args, '--p12-out', p12);
    expect(i.err).toBe('');
    expect(i.code).toBe(0);
    expect(i.json()).toMatchObject({ pkcs12File: p12, sanUris: [san] });
    expect(i.json().pkcs12Base64).toBeUndefined();
    expect(statSync(p12).mode & 0o777).toBe(0o600);
    const r = openssl(['pkcs12', '-in', p12, '-passin', `file:${pwFile}`, '-nodes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('BEGIN PRIVATE KEY');
    const leaf = Buffer.from(i.json().derBase64, 'base64');
    const keyPub = openssl(['pkey', '-pubout'], r.stdout.slice(r.stdout.indexOf('-----BEGIN PRIVATE KEY-----'))).stdout;
    expect(keyPub).toBe(openssl(['x509', '-inform', 'DER', '-noout', '-pubkey'], leaf).stdout);
    const crls = await Promise.all([community.rootCaId, community.issuingCaId].map(async (id: string) => Buffer.from(await (await fetch(`${api.url}/pki/crl/${id}.crl`)).arrayBuffer())));
    const [rootDer, issuingDer] = await Promise.all([community.rootCaId, community.issuingCaId].map(async (id: string) => Buffer.from(await (await fetch(`${api.url}/pki/ca/${id}.cer`)).arrayBuffer())));
    expect(opensslVerify(dir, { anchors: [rootDer], intermediates: [issuingDer], crls, leaf }).stdout).toMatch(/: OK/);
    // what relying parties parse it with: OpenSSL, Java's keytool and node-forge (the Node UDAP library's parser)
    expect(pkcs12Problems(readFileSync(p12), { password: 'cli pkcs12 password', leafDer: leaf, chainDers: [issuingDer], friendlyName: san })).toEqual([]);

    const overwrite = await cli(...args, '--p12-out', p12);
    expect(overwrite.code).toBe(1);
    expect(overwrite.err).toMatch(/exists; refusing to overwrite/);
    const again = join(dir, 'again.p12');
    const repeat = await cli(...args, '--p12-out', again);
    expect(repeat.code).toBe(1);
    expect(repeat.err).toMatch(/the private key is only delivered once/);
    expect(existsSync(again)).toBe(false);
  });

  it('creates users: an operator gets a TOTP secret once and signs in with it; bad input is refused', async () => {
    const pw = join(dir, 'user-password');
    writeFileSync(pw, 'cli user password 1\n', { mode: 0o600 });
    const email = `ops-${host}@example.org`;
    const u = await cli('--json', 'user', 'create', '--email', email, '--name', 'CLI Ops', '--role', 'operator', '--communities', 'all', '--password-file', pw);
    expect(u.err).toBe('');
    const user = u.json();
    expect(user).toMatchObject({ email, role: 'operator', communities: 'all', totpEnabled: true });
    const login = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'cli user password 1', code: totpCode(user.totpEnrollment.secret, new Date()) }),
    });
    expect(login.status).toBe(200);
    const human = await cli('user', 'create', '--email', `aud-${host}@example.org`, '--name', 'CLI Auditor', '--role', 'auditor', '--password-file', pw);
    // an auditor, like an operator, gets its TOTP secret and recovery codes, shown this once
    expect(human.out).toMatch(/^user [0-9a-f-]{36} aud-.* \(auditor\)\nTOTP secret \(give it to aud-.*; not shown again\):\n {2}[A-Z2-7]{32}\n {2}otpauth:\/\/totp\/.*\nRecovery codes \(each signs in once in place of a code; not shown again\):\n( {2}[a-z2-7]{4}(-[a-z2-7]{4}){3}\n?){10}$/);
    const dup = await cli('user', 'create', '--email', email, '--name', 'Again', '--role', 'auditor', '--password-file', pw);
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already exists/);
    const noOrg = await cli('user', 'create', '--email', `m-${host}@example.org`, '--name', 'M', '--role', 'member-admin', '--password-file', pw);
    expect(noOrg.err).toMatch(/a member admin needs organizationId/);
  });

  it('onboards by invitation, reviews the organization and approves its certificate request', async () => {
    const c = (await cli('--json', 'community', 'create', '--name', 'CLI Onboarding', '--uri', `udap://onb.${host}/`, '--key', 'RSA-2048')).json();
    const email = `contact@onb.${host}`;
    const inv = await cli('org', 'invite', '--email', email, '--community', c.id, '--name', 'Invited Clinic');
    expect(inv.err).toBe('');
    expect(inv.out).toMatch(/^invitation [0-9a-f-]{36} sent to contact@onb\..* for organization [0-9a-f-]{36} \(draft\)/);
    const token = /token=(ani_[A-Za-z0-9_-]+)/.exec((await smtp.waitFor(email)).text)![1];
    const post = async (path: string, body: unknown, bearer?: string) => {
      const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: JSON.stringify(body) });
      return res.json();
    };
    const accepted = await post('/api/v1/invitations/accept', { token, displayName: 'Contact', password: 'cli contact password' });
    const member = (await post('/api/v1/auth/login', { email, password: 'cli contact password' })).accessToken as string;
    const san = `https://fhir.onb.${host}/r4`;
    const extra = `https://extra.onb.${host}/r4`;
    const submit = (requestedSanUris: string[]) => post(`/api/v1/organizations/${accepted.organizationId}/submit`, {
      legalName: 'Invited Clinic LLC', identifiers: [{ type: 'NPI', value: '1234567893' }], address: { lines: ['1 Main St'], city: 'Springfield', country: 'US' },
      technicalContact: { name: 'T', email: 't@onb.example' }, securityContact: { name: 'S', email: 's@onb.example' }, requestedSanUris,
    }, member);
    await submit([san]);
    const noReason = await cli('org', 'review', accepted.organizationId, '--decision', 'reject');
    expect(noReason.code).toBe(1);
    expect(noReason.err).toMatch(/reason is required/);

    const shown = await cli('org', 'show', accepted.organizationId);
    expect(shown.err).toBe('');
    expect(shown.out).toContain('profile revision 1');
    expect(shown.out).toMatch(new RegExp(`requested SAN URI +${san.replace(/\./g, '\\.')}`));
    expect(shown.out).toContain(`org review ${accepted.organizationId} --decision approve --profile-version 1`);
    // approving without naming the reviewed revision is a usage error; nothing is sent
    const unnamed = await cli('org', 'review', accepted.organizationId, '--decision', 'approve');
    expect(unnamed.code).toBe(2);
    expect(unnamed.err).toMatch(/--profile-version/);
    expect((await cli('org', 'review', accepted.organizationId, '--decision', 'reject', '--reason', 'x', '--profile-version', '1')).code).toBe(2);

    // the member adds a SAN URI after the operator read revision 1: approving revision 1 is refused, nothing bound
    await submit([san, extra]);
    const stale = await cli('org', 'review', accepted.organizationId, '--decision', 'approve', '--profile-version', '1');
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/Conflict \(409\).*submitted again \(revision 2\)/);
    expect(stale.err).toContain(`org show ${accepted.organizationId}`);
    const after = (await cli('--json', 'org', 'show', accepted.organizationId)).json();
    expect(after).toMatchObject({ status: 'submitted', sanUris: [], profileRevision: 2 });
    expect((await cli('org', 'show', accepted.organizationId)).out).toMatch(new RegExp(`requested SAN URI +${extra.replace(/\./g, '\\.')}`));

    const approved = await cli('org', 'review', accepted.organizationId, '--decision', 'approve', '--profile-version', '2');
    expect(approved.err).toBe('');
    expect(approved.out).toMatch(/is active$/);

    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [san] });
    const req = await post('/api/v1/certificate-requests', { organizationId: accepted.organizationId, profile: 'udap-server', csr: csr.csrPem }, member);
    const listed = await cli('request', 'list', '--status', 'submitted');
    expect(listed.out).toContain(`${req.id} submitted udap-server ${san}`);
    const done = await cli('--json', 'request', 'approve', req.id);
    expect(done.err).toBe('');
    const leaf = writePem(dir, 'onb-leaf.pem', [Buffer.from(done.json().certificate.derBase64, 'base64')]);
    expect(openssl(['x509', '-in', leaf, '-noout', '-ext', 'subjectAltName']).stdout).toContain(`URI:${san}`);
    const pki = async (path: string) => Buffer.from(await (await fetch(`${api.url}/pki/${path}`)).arrayBuffer());
    const v = opensslVerify(dir, {
      anchors: [await pki(`ca/${c.rootCaId}.cer`)], intermediates: [await pki(`ca/${c.issuingCaId}.cer`)],
      crls: [await pki(`crl/${c.rootCaId}.crl`), await pki(`crl/${c.issuingCaId}.crl`)], leaf: Buffer.from(done.json().certificate.derBase64, 'base64'),
    });
    expect(v.status).toBe(0);
    const again = await cli('request', 'reject', req.id, '--reason', 'too late');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/is issued/);
  });

  it('creates a token with an expiry from the database, lists tokens and revokes one through the API', async () => {
    const r = spawnSync(process.execPath, [CLI_BUNDLE, 'token', 'create', '--name', 'weekly job', '--expires-in-days', '7', '--json'], {
      env: { ...process.env, ANCHORAGE_DATABASE_URL: opts.databaseUrl }, encoding: 'utf8', cwd: REPO_ROOT,
    });
    expect(r.stderr).toBe('');
    const made = JSON.parse(r.stdout) as { id: string; token: string; expiresAt: string };
    expect(Math.abs(new Date(made.expiresAt).getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(120_000);
    const list = await cli('token', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`${made.id}\\s+active\\s+weekly job\\s+\\(created .*, expires ${made.expiresAt}, last used never\\)`));
    expect(list.out).toMatch(/\s+active\s+cli-test /);
    expect(list.out).not.toContain(made.token);
    expect((await cli('--token', made.token, 'request', 'list')).code).toBe(0);

    const revoked = await cli('token', 'revoke', made.id);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toMatch(new RegExp(`token weekly job \\(${made.id}\\) revoked at `));
    const refused = await cli('--token', made.token, 'request', 'list');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/\(401\)/);
    const again = await cli('token', 'revoke', made.id);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/was revoked already/);
    expect((await cli('--json', 'token', 'list')).json().find((t: { id: string }) => t.id === made.id).status).toBe('revoked');
  });

  it('refuses to start the API with a bad setting, naming it', () => {
    const r = spawnSync(process.execPath, ['-r', join(REPO_ROOT, 'scripts/register.cjs'), join(REPO_ROOT, 'apps/api/src/main.ts')], {
      env: { ...process.env, ...signerClientEnv(opts, signer), ANCHORAGE_PORT: 'eighty' }, encoding: 'utf8', cwd: REPO_ROOT, timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ANCHORAGE_PORT/);
  });
});
