import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createTokenWithCli, isolatedPlatformOptions, openssl, opensslCsr, opensslVerify, platformEnv, runCliBundle, startApiProcess, tempDir, type ApiProcess, type IsolatedPlatformOptions,
} from '@anchorage/testing';
import { cliAgainst } from './testing/run';

// The published CLI (the bundle, plain node) as scripts use it: list and get with --json, failures as
// problem documents, and bootstrap checking the root's fingerprint, against the API process.
describe('operator CLI for scripts: list, get, --json problems, bootstrap', () => {
  let opts: IsolatedPlatformOptions;
  let api: ApiProcess;
  let token = '';
  const dir = tempDir('anchorage-cli-scripting-');
  const host = `cliscript${Date.now().toString(36)}.example.org`;
  const cli = cliAgainst(() => api.url, () => token);
  let community: { id: string; rootCaId: string; issuingCaId: string; rootFingerprint: string };
  let rootDer: Buffer;

  /** OpenSSL's verdict on a community's issuing CA certificate under its root, with both CRLs, as the repository serves them. */
  const chainOf = async (c: { rootCaId: string; issuingCaId: string }) => {
    const pki = async (path: string) => Buffer.from(await (await fetch(`${api.url}/pki/${path}`)).arrayBuffer());
    return opensslVerify(dir, {
      anchors: [await pki(`ca/${c.rootCaId}.cer`)], crls: [await pki(`crl/${c.rootCaId}.crl`), await pki(`crl/${c.issuingCaId}.crl`)], leaf: await pki(`ca/${c.issuingCaId}.cer`),
    }).stdout;
  };

  /** The API's own answer, for comparing with what the CLI printed. */
  const apiGet = async (path: string) => (await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json();

  beforeAll(async () => {
    opts = await isolatedPlatformOptions('http://pki.cli-scripting-test.invalid');
    api = await startApiProcess(platformEnv(opts));
    token = createTokenWithCli(opts.databaseUrl, 'cli-scripting-test');
    const human = await cli('community', 'create', '--name', 'CLI Scripting', '--uri', `udap://${host}/`, '--key', 'RSA-2048');
    expect(human.code).toBe(0);
    const id = /^community ([0-9a-f-]{36}) /.exec(human.out)![1];
    const detail = await apiGet(`/api/v1/communities/${id}`);
    rootDer = Buffer.from(await (await fetch(`${api.url}/pki/ca/${detail.rootCaId}.cer`)).arrayBuffer());
    // the fingerprint OpenSSL computes of the root the public repository serves
    const fp = /sha256 Fingerprint=([0-9A-F:]+)/i.exec(openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], rootDer).stdout)![1];
    community = { id, rootCaId: detail.rootCaId, issuingCaId: detail.issuingCaId, rootFingerprint: fp };
    expect(await chainOf(community)).toMatch(/: OK$/m);
    expect(human.out).toContain(`  root CA ${detail.rootCaId} (active)\n    certificate http://pki.cli-scripting-test.invalid/pki/ca/${detail.rootCaId}.cer\n    SHA-256     ${fp}\n`);
    expect(human.out).toContain(`anchorage bootstrap --community ${id} --fingerprint ${fp.replace(/:/g, '').toLowerCase()}`);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await opts?.drop();
  });

  it('prints the root fingerprint in --json output of community create', async () => {
    const c = await cli('--json', 'community', 'create', '--name', 'CLI Scripting JSON', '--uri', `udap://json.${host}/`, '--key', 'EC-P256');
    expect(c.code).toBe(0);
    const created = c.json();
    const root = created.cas.find((a: { role: string }) => a.role === 'root');
    const der = Buffer.from(await (await fetch(`${api.url}/pki/ca/${root.id}.cer`)).arrayBuffer());
    const fp = /Fingerprint=([0-9A-F:]+)/i.exec(openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], der).stdout)![1];
    expect(created.rootFingerprint).toBe(fp.replace(/:/g, '').toLowerCase());
    expect(await chainOf(created)).toMatch(/: OK$/m);
  });

  it('lists and reads communities, CAs and CRLs: a table by default, the API\'s JSON with --json', async () => {
    const listed = await cli('--json', 'list', 'communities', '--limit', '500');
    expect(listed.err).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.json()).toEqual(await apiGet(`/api/v1/communities?range=${encodeURIComponent('[0,499]')}`));
    const table = await cli('list', 'communities');
    expect(table.code).toBe(0);
    const lines = table.out.split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+URI\s+ROOT CA\s+ISSUING CA\s+CREATED$/);
    expect(lines.find((l) => l.startsWith(community.id))).toMatch(new RegExp(`^${community.id}\\s+CLI Scripting\\s+udap://${host.replace(/\./g, '\\.')}/\\s+${community.rootCaId}\\s+${community.issuingCaId}\\s+\\d{4}-`));

    const got = await cli('--json', 'get', 'community', community.id);
    expect(got.json()).toEqual(await apiGet(`/api/v1/communities/${community.id}`));
    expect((await cli('get', 'community', community.id)).out).toMatch(new RegExp(`^id\\s+${community.id}$`, 'm'));

    const cas = await cli('--json', 'list', 'cas', '--community', community.id);
    expect(cas.json().map((a: { id: string; role: string }) => [a.role, a.id])).toEqual([['root', community.rootCaId], ['issuing', community.issuingCaId]]);
    const allCas = await cli('list', 'cas');
    expect(allCas.out).toMatch(new RegExp(`^${community.issuingCaId}\\s+${community.id}\\s+issuing\\s+active\\s+RSA-2048\\s+`, 'm'));
    const ca = await cli('get', 'ca', community.issuingCaId);
    expect(ca.out).toMatch(/^certificatePem:\n-----BEGIN CERTIFICATE-----/m);

    const g = await cli('--json', 'crl', 'generate', '--ca', community.issuingCaId);
    const crlNumber = g.json().crlNumber as string;
    const crls = await cli('--json', 'list', 'crls', '--ca', community.issuingCaId);
    expect(crls.json()[0]).toMatchObject({ crlNumber, caId: community.issuingCaId });
    const crl = await cli('--json', 'get', 'crl', crlNumber, '--ca', community.issuingCaId);
    expect(crl.json()).toEqual(g.json());
    // the CRL whose entry the CLI read is the one the repository serves, and OpenSSL reads it
    const served = Buffer.from(await (await fetch(`${api.url}/pki/crl/${community.issuingCaId}.crl`)).arrayBuffer());
    const servedNumber = /crlNumber=0x([0-9A-F]+)/i.exec(openssl(['crl', '-inform', 'DER', '-noout', '-crlnumber'], served).stdout)![1];
    expect(BigInt(`0x${servedNumber}`)).toBe(BigInt(crlNumber));
  });

  it('lists and reads organizations, requests, certificates, users, tokens and the audit log', async () => {
    const san = `https://${host}/fhir`;
    const org = (await cli('--json', 'org', 'create', '--community', community.id, '--name', 'Scripted Clinic', '--san', san)).json();
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [san] });
    const cert = (await cli('--json', 'cert', 'issue', '--org', org.id, '--profile', 'udap-server', '--csr', csr.csrPath, '--request-id', 'script-1')).json();
    const leaf = join(dir, 'script-leaf.der');
    writeFileSync(leaf, Buffer.from(cert.derBase64, 'base64'));
    expect(openssl(['x509', '-inform', 'DER', '-in', leaf, '-noout', '-ext', 'subjectAltName']).stdout).toContain(`URI:${san}`);

    const orgs = await cli('--json', 'list', 'organizations', '--community', community.id);
    expect(orgs.json()).toEqual([await apiGet(`/api/v1/organizations/${org.id}`)]);
    expect((await cli('list', 'orgs', '--community', community.id)).out).toMatch(new RegExp(`^${org.id}\\s+Scripted Clinic\\s+active\\s+${community.id}\\s+${san.replace(/\./g, '\\.')}$`, 'm'));
    expect((await cli('--json', 'get', 'org', org.id)).json().id).toBe(org.id);

    const certs = await cli('--json', 'list', 'certificates', '--org', org.id);
    expect(certs.json().map((c: { id: string }) => c.id)).toEqual([cert.id]);
    expect((await cli('list', 'certs', '--serial', cert.serial)).out).toMatch(new RegExp(`^${cert.id}\\s+${cert.serial}\\s+issued\\s+udap-server\\s+`, 'm'));
    expect((await cli('--json', 'get', 'certificate', cert.id)).json()).toEqual(await apiGet(`/api/v1/certificates/${cert.id}`));

    const requests = await cli('--json', 'list', 'requests', '--org', org.id);
    expect(requests.code).toBe(0);
    expect(Array.isArray(requests.json())).toBe(true);
    for (const r of requests.json()) expect((await cli('--json', 'get', 'request', r.id)).json()).toEqual(r);

    const users = await cli('--json', 'list', 'users');
    expect(users.json()).toEqual(await apiGet(`/api/v1/users?range=${encodeURIComponent('[0,99]')}`));

    const tokens = await cli('--json', 'list', 'tokens');
    const mine = tokens.json().find((t: { name: string }) => t.name === 'cli-scripting-test');
    expect(mine).toMatchObject({ status: 'active' });
    expect(JSON.stringify(tokens.json())).not.toContain(token);
    expect((await cli('--json', 'get', 'token', mine.id)).json()).toEqual(mine);

    // paging: one at a time, the table says where the next ones are
    const second = await cli('--json', 'community', 'create', '--name', 'CLI Scripting Paging', '--uri', `udap://paging.${host}/`, '--key', 'EC-P256');
    expect(second.code).toBe(0);
    expect(await chainOf(second.json())).toMatch(/: OK$/m);
    const paged = await cli('list', 'communities', '--limit', '1');
    expect(paged.out).toMatch(/\n\(1 of \d+; the next ones with --offset 1\)$/);

    const events = await cli('--json', 'list', 'audit-events', '--subject', cert.id);
    expect(events.json().length).toBeGreaterThan(0);
    expect(events.json().every((e: { subjectId: string }) => e.subjectId === cert.id)).toBe(true);
    const first = events.json()[0];
    expect((await cli('--json', 'get', 'audit-event', first.seq)).json()).toEqual(first);
    expect((await cli('list', 'audit-events', '--action', 'certificate.', '--limit', '5')).out).toMatch(/^SEQ\s+AT\s+ACTOR\s+ACTION\s+SUBJECT\n\d+\s+\S+\s+\S+\s+certificate\./);
  });

  it('lists every other resource the API exposes, as JSON arrays', async () => {
    const lists: string[][] = [
      ['certification-templates', '--community', community.id], ['certifiers', '--community', community.id], ['certifications'],
      ['conformance-endpoints'], ['conformance-alerts'], ['revocation-subscriptions'], ['bulk-revocations'], ['invitations'], ['expiry-notices'],
    ];
    for (const args of lists) {
      const r = await cli('--json', 'list', ...args);
      expect([args[0], r.code, r.err]).toEqual([args[0], 0, '']);
      expect(Array.isArray(r.json())).toBe(true);
      // a table, or the line saying there is nothing (what exists depends on the tests before)
      expect((await cli('list', ...args)).out).toMatch(r.json().length ? /^[A-Z]+\s/ : new RegExp(`^no ${args[0]}$`));
    }
  });

  it('prints failures as problem documents on stdout with --json, with a non-zero exit code', async () => {
    const missing = randomUUID();
    const notFound = await cli('--json', 'get', 'community', missing);
    expect(notFound.code).toBe(1);
    expect(notFound.err).toBe('');
    expect(notFound.json()).toMatchObject({ status: 404, title: 'Not Found', code: 'not-found', type: 'https://anchorage.dev/problems/not-found' });
    // the same failure for people: a line on stderr, nothing on stdout
    const human = await cli('get', 'community', missing);
    expect([human.code, human.out]).toEqual([1, '']);
    expect(human.err).toMatch(/^error: Not Found \(404\): /);

    const badId = await cli('--json', 'get', 'certificate', 'not-a-uuid');
    expect(badId.code).toBe(1);
    expect(badId.json()).toMatchObject({ status: 400 });
    const noSuchToken = await cli('--json', 'get', 'token', missing);
    expect(noSuchToken.json()).toMatchObject({ status: 404, code: 'not-found', detail: `token ${missing} not found` });

    const unauthorized = await cli('--json', '--token', 'anc_not_a_token', 'list', 'communities');
    expect(unauthorized.code).toBe(1);
    expect(unauthorized.json()).toMatchObject({ status: 401 });

    const usage = await cli('--json', 'list', 'crls');
    expect(usage.code).toBe(2);
    expect(usage.err).toBe('');
    expect(usage.json()).toEqual({ type: 'https://anchorage.dev/problems/cli-usage', title: 'Usage error', detail: "required option '--ca <id>' not specified" });
    const humanUsage = await cli('list', 'crls');
    expect([humanUsage.code, humanUsage.out]).toEqual([2, '']);
    expect(humanUsage.err).toBe("error: required option '--ca <id>' not specified");
    expect((await cli('--json', 'list', 'communities', '--limit', '0')).json()).toMatchObject({ type: 'https://anchorage.dev/problems/cli-usage', detail: '--limit must be 1 to 500' });

    const unreachable = await runCliBundle(['--json', '--api-url', 'http://127.0.0.1:9', '--token', token, 'list', 'communities']);
    expect(unreachable.code).toBe(1);
    expect(JSON.parse(unreachable.out)).toMatchObject({ type: 'https://anchorage.dev/problems/cli-unreachable', title: 'API unreachable', detail: expect.stringMatching(/^cannot reach the API at http:\/\/127\.0\.0\.1:9/) });
    const noToken = await runCliBundle(['--json', '--api-url', api.url, 'list', 'communities']);
    expect([noToken.code, JSON.parse(noToken.out).type]).toEqual([1, 'https://anchorage.dev/problems/cli-no-token']);
    const badSetting = await runCliBundle(['--json', 'list', 'communities'], { ANCHORAGE_API_URL: 'ftp://ca.example.org' });
    expect([badSetting.code, badSetting.err]).toEqual([1, '']);
    expect(JSON.parse(badSetting.out)).toMatchObject({ type: 'https://anchorage.dev/problems/cli-config', detail: expect.stringContaining('ANCHORAGE_API_URL: must be an http(s) URL') });
  });

  it('bootstraps with the right fingerprint: saves the root and config.json, which later calls use', async () => {
    const home = join(dir, 'bootstrap-ok');
    const b = await runCliBundle(['--api-url', api.url, '--json', 'bootstrap', '--community', community.id, '--fingerprint', community.rootFingerprint], { ANCHORAGE_CLI_DIR: home });
    expect(b.err).toBe('');
    expect(b.code).toBe(0);
    const saved = JSON.parse(b.out);
    expect(saved).toMatchObject({ communityId: community.id, rootCaId: community.rootCaId, fingerprint: community.rootFingerprint.replace(/:/g, '').toLowerCase() });
    expect(saved.rootCertificate).toBe(join(home, 'certs', `${community.id}-root.pem`));
    // the saved file is the root the repository serves, self-signed, as OpenSSL sees it
    expect(openssl(['x509', '-in', saved.rootCertificate, '-noout', '-fingerprint', '-sha256']).stdout).toContain(`=${community.rootFingerprint}`);
    expect(openssl(['x509', '-in', saved.rootCertificate, '-noout', '-subject']).stdout).toBe(openssl(['x509', '-inform', 'DER', '-noout', '-subject'], rootDer).stdout);
    expect(openssl(['verify', '-CAfile', saved.rootCertificate, saved.rootCertificate]).stdout).toMatch(/: OK/);
    const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ apiUrl: api.url, communityId: community.id, rootCertificate: saved.rootCertificate, rootFingerprint: saved.fingerprint });
    expect(statSync(join(home, 'config.json')).mode & 0o777).toBe(0o600);

    // no --api-url: the saved apiUrl is used
    const listed = await runCliBundle(['--json', 'list', 'communities'], { ANCHORAGE_CLI_DIR: home, ANCHORAGE_API_TOKEN: token });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out).map((c: { id: string }) => c.id)).toContain(community.id);

    // colons and case as OpenSSL prints them work too; an existing config.json needs --force
    const again = await runCliBundle(['--api-url', api.url, 'bootstrap', '--community', community.id, '--fingerprint', community.rootFingerprint.toLowerCase()], { ANCHORAGE_CLI_DIR: home });
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/config\.json exists; pass --force/);
    const forced = await runCliBundle(['--api-url', api.url, 'bootstrap', '--community', community.id, '--fingerprint', community.rootFingerprint.toLowerCase(), '--force'], { ANCHORAGE_CLI_DIR: home });
    expect(forced.code).toBe(0);
    expect(forced.out).toContain(`  SHA-256 ${community.rootFingerprint}`);
  });

  it('refuses to bootstrap with a wrong fingerprint, saving nothing', async () => {
    const home = join(dir, 'bootstrap-wrong');
    const wrong = community.rootFingerprint.replace(/^(.)/, (c) => (c === 'A' ? 'B' : 'A'));
    const r = await runCliBundle(['--api-url', api.url, '--json', 'bootstrap', '--community', community.id, '--fingerprint', wrong], { ANCHORAGE_CLI_DIR: home });
    expect(r.code).toBe(1);
    const problem = JSON.parse(r.out);
    expect(problem).toMatchObject({ type: 'https://anchorage.dev/problems/cli-fingerprint-mismatch', title: 'Fingerprint mismatch' });
    expect(problem.detail).toContain(`does not have the fingerprint given (${wrong})`);
    expect(problem.detail).toContain(`it has ${community.rootFingerprint} (${api.url}/pki/ca/${community.rootCaId}.cer)`);
    expect(existsSync(home)).toBe(false);

    const human = await runCliBundle(['--api-url', api.url, 'bootstrap', '--community', community.id, '--fingerprint', 'abc'], { ANCHORAGE_CLI_DIR: home });
    expect(human.code).toBe(2);
    expect(human.err).toMatch(/^error: --fingerprint must be the SHA-256 fingerprint/);
    const unknown = await runCliBundle(['--api-url', api.url, '--json', 'bootstrap', '--community', randomUUID(), '--fingerprint', community.rootFingerprint], { ANCHORAGE_CLI_DIR: home });
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.out)).toMatchObject({ status: 404 });
    expect(existsSync(home)).toBe(false);
  });
});
