import { createPrivateKey, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactSign, decodeProtectedHeader } from 'jose';
import {
  createTokenWithCli, isolatedPlatformOptions, opensslCsr, opensslVerify, platformEnv, startApiProcess, tempDir, type ApiProcess, type IsolatedPlatformOptions,
} from '@anchorage/testing';
import { cliAgainst } from './testing/run';

const DAY = 86_400;

describe('operator CLI: certification templates, platform certifiers and certifications against the running API process', () => {
  // a database of its own: the API refuses to start while another test file's CA keys do not open
  let opts: IsolatedPlatformOptions;
  let api: ApiProcess;
  let token = '';
  const dir = tempDir('anchorage-cli-cert-');
  const host = `clicert${Date.now().toString(36)}.example.org`;
  const certifierUri = `https://certifier.${host}/udap`;
  const externalUri = `https://external.${host}/udap`;
  const appUri = `https://app.${host}/client`;
  const cli = cliAgainst(() => api.url, () => token);

  let community: { id: string; cas: { id: string; role: string; crlUrl: string; certificatePem: string }[] };
  let certifierOrg: string;
  let externalOrg: { id: string; keyPem: string; der: Buffer };
  let appOrg: string;

  const derOf = (pemText: string) => Buffer.from(pemText.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  const ca = (role: string) => community.cas.find((c) => c.role === role)!;
  /** The CRLs of the community as the API process serves them. */
  const crls = async () => Promise.all(community.cas.map(async (c) => new Uint8Array(await (await fetch(`${api.url}${new URL(c.crlUrl).pathname}`)).arrayBuffer())));
  const verifyCertificate = async (der: Uint8Array) =>
    opensslVerify(dir, { anchors: [derOf(ca('root').certificatePem)], intermediates: [derOf(ca('issuing').certificatePem)], crls: await crls(), leaf: der });

  beforeAll(async () => {
    opts = await isolatedPlatformOptions('http://pki.cli-cert-test.invalid');
    api = await startApiProcess(platformEnv(opts));
    token = createTokenWithCli(opts.databaseUrl, 'cli-cert-test');
    community = (await cli('--json', 'community', 'create', '--name', 'CLI Certifications', '--uri', `udap://${host}/`, '--key', 'RSA-2048')).json();
    const org = async (name: string, san: string) => (await cli('--json', 'org', 'create', '--community', community.id, '--name', name, '--san', san)).json().id as string;
    certifierOrg = await org('CLI Certification Body', certifierUri);
    appOrg = await org('CLI App Maker', appUri);
    // the app's client certificate, and an external certifier's own udap-certifier certificate
    const issue = async (orgId: string, profile: string, san: string) => {
      const csr = opensslCsr(dir, { rsaBits: 2048, sans: [san] });
      const i = await cli('--json', 'cert', 'issue', '--org', orgId, '--profile', profile, '--csr', csr.csrPath);
      expect(i.err).toBe('');
      return { keyPem: csr.keyPem, der: Buffer.from(i.json().derBase64 as string, 'base64') };
    };
    expect((await verifyCertificate((await issue(appOrg, 'udap-client', appUri)).der)).stdout).toMatch(/: OK/);
    const externalId = await org('CLI External Certifier', externalUri);
    externalOrg = { id: externalId, ...(await issue(externalId, 'udap-certifier', externalUri)) };
    expect((await verifyCertificate(externalOrg.der)).stdout).toMatch(/: OK/);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await opts?.drop();
  });

  it('adds the built-in template and lists it; refuses a wrong choice of options or an unreadable file in words', async () => {
    expect((await cli('certification', 'template', 'list', '--community', community.id)).out).toBe('no certification templates');
    const both = await cli('certification', 'template', 'add', '--community', community.id, '--built-in', 'tefca-basic-app', '--file', 'x.json');
    expect([both.code, both.err]).toEqual([2, 'error: give one of --built-in and --file']);
    const unknown = await cli('certification', 'template', 'add', '--community', community.id, '--built-in', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Allowed choices are tefca-basic-app/);
    const missing = await cli('certification', 'template', 'add', '--community', community.id, '--file', join(dir, 'missing.json'));
    expect([missing.code, missing.err]).toEqual([1, `error: cannot read the template file ${join(dir, 'missing.json')}: no such file`]);
    const badTerms = join(dir, 'terms.json');
    writeFileSync(badTerms, JSON.stringify({ name: 'Own', uris: ['https://example.org/c'] }));
    const refused = await cli('certification', 'template', 'add', '--community', community.id, '--file', badTerms);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^error: Bad Request \(400\): .*\n {2}- body.name: give builtIn \(e\.g\. "tefca-basic-app"\), or name, uris and grantTypes/);

    const added = await cli('--json', 'certification', 'template', 'add', '--community', community.id, '--built-in', 'tefca-basic-app');
    expect(added.code).toBe(0);
    expect(added.json()).toMatchObject({ name: 'TEFCA Basic App Certification', communityId: community.id });
    const listed = await cli('certification', 'template', 'list', '--community', community.id);
    expect(listed.out).toContain(`${added.json().id} "TEFCA Basic App Certification"`);
    expect(listed.out).toMatch(/exchange purposes {2}T-TREAT/);
  });

  it('creates a platform certifier, issues a certification with it, shows its status, records an external one from a file, and revokes', async () => {
    const templateId = (await cli('--json', 'certification', 'template', 'list', '--community', community.id)).json()[0].id as string;
    expect((await cli('certification', 'certifier', 'list', '--community', community.id)).out).toBe('no platform certifiers');
    const ecKey = await cli('certification', 'certifier', 'create', '--community', community.id, '--org', certifierOrg, '--san', certifierUri, '--key-type', 'EC-P256');
    expect(ecKey.code).toBe(2);
    const notBound = await cli('certification', 'certifier', 'create', '--community', community.id, '--org', certifierOrg, '--san', appUri);
    expect(notBound.code).toBe(1);
    expect(notBound.err).toMatch(new RegExp(`^error: .*${appUri.replace(/[.]/g, '\\.')} is not bound to organization ${certifierOrg}`));
    const created = await cli('--json', 'certification', 'certifier', 'create', '--community', community.id, '--org', certifierOrg, '--san', certifierUri);
    expect(created.code).toBe(0);
    const certifier = created.json();
    expect(certifier).toMatchObject({ organizationId: certifierOrg, sanUri: certifierUri });
    expect((await cli('certification', 'certifier', 'list', '--community', community.id)).out).toMatch(new RegExp(`^${certifier.id} ${certifierUri.replace(/[.]/g, '\\.')} \\(organization ${certifierOrg}`));

    // issued with the platform certifier: the JWT's x5c[0] is its certificate, which OpenSSL accepts
    const issuedHuman = await cli('certification', 'issue', '--certifier', certifier.id, '--template', templateId, '--org', appOrg, '--sub', appUri,
      '--grant-types', 'client_credentials', '--exchange-purposes', 'T-TREAT', '--validity-days', '90');
    expect(issuedHuman.err).toBe('');
    expect(issuedHuman.out).toMatch(/^certification [0-9a-f-]{36}\n {2}status {3}active\n/);
    const jwt = issuedHuman.out.split('\n').at(-1)!;
    const x5c = decodeProtectedHeader(jwt).x5c!;
    const certifierDer = Buffer.from(x5c[0], 'base64');
    expect((await verifyCertificate(certifierDer)).stdout).toMatch(/: OK/);
    const issued = (await cli('--json', 'certification', 'list', '--sub', appUri)).json()[0];
    expect(issued).toMatchObject({ iss: certifierUri, sub: appUri, status: 'active', jwt });

    const status = await cli('certification', 'status', issued.id);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/\n {4}answers valid: true$/);
    expect((await cli('--json', 'certification', 'status', issued.id)).json().statusEndpointAnswer).toEqual({ valid: true });

    // an external certifier's JWT, signed with its own key, recorded from a file
    const iat = Math.floor(Date.now() / 1000);
    const template = (await cli('--json', 'certification', 'template', 'list', '--community', community.id)).json()[0];
    const claims = {
      iss: externalUri, sub: appUri, iat, exp: iat + 60 * DAY, jti: randomUUID(), certification_name: template.name, certification_uris: template.uris,
      certification_description: template.description, certification_status_endpoint: template.statusEndpoint, is_endorsement: false,
      client_name: 'CLI App', grant_types: ['client_credentials'], exchange_purposes: ['T-TREAT'],
    };
    const external = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'RS256', x5c: [externalOrg.der.toString('base64'), derOf(ca('issuing').certificatePem).toString('base64')] })
      .sign(createPrivateKey(externalOrg.keyPem));
    const jwtFile = join(dir, 'external.jwt');
    writeFileSync(jwtFile, `${external}\n`);
    const noFile = await cli('certification', 'record', '--template', templateId, '--org', appOrg, '--jwt', join(dir, 'nothing.jwt'));
    expect([noFile.code, noFile.err]).toEqual([1, `error: cannot read the JWT file ${join(dir, 'nothing.jwt')}: no such file`]);
    const garbage = join(dir, 'garbage.jwt');
    writeFileSync(garbage, 'not a jws');
    const refused = await cli('certification', 'record', '--template', templateId, '--org', appOrg, '--jwt', garbage);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/\n {2}- body.jwt: must be a compact JWS \(header\.payload\.signature, base64url\)/);
    const wrongName = join(dir, 'wrong-name.jwt');
    writeFileSync(wrongName, await new CompactSign(new TextEncoder().encode(JSON.stringify({ ...claims, jti: randomUUID(), certification_name: 'Other' })))
      .setProtectedHeader({ alg: 'RS256', x5c: [externalOrg.der.toString('base64'), derOf(ca('issuing').certificatePem).toString('base64')] })
      .sign(createPrivateKey(externalOrg.keyPem)));
    const invalid = await cli('certification', 'record', '--template', templateId, '--org', appOrg, '--jwt', wrongName);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/^error: .*\(422\): .*certification_name must be/);
    const recorded = await cli('--json', 'certification', 'record', '--template', templateId, '--org', appOrg, '--jwt', jwtFile);
    expect(recorded.err).toBe('');
    expect(recorded.json()).toMatchObject({ iss: externalUri, jti: claims.jti, jwt: external, status: 'active' });

    const listed = await cli('certification', 'list', '--org', appOrg);
    expect(listed.out.split('\n')).toHaveLength(2);
    expect(listed.out).toContain(`by ${externalUri}`);

    // revoked: the status endpoint answers false; revoking again is refused in words
    const noReason = await cli('certification', 'revoke', issued.id);
    expect(noReason.code).toBe(2);
    const revoked = await cli('certification', 'revoke', issued.id, '--reason', 'the app no longer meets the criteria');
    expect(revoked.out).toMatch(new RegExp(`^certification ${issued.id} revoked at \\S+: the app no longer meets the criteria$`));
    expect((await cli('certification', 'status', issued.id)).out).toMatch(/status {3}revoked \(the app no longer meets the criteria\)[\s\S]*answers valid: false$/);
    const again = await cli('certification', 'revoke', issued.id, '--reason', 'again');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^error: .*\(409\)/);
    expect((await cli('certification', 'list', '--status', 'revoked')).out).toMatch(new RegExp(`^${issued.id} revoked `));
    const unknown = await cli('certification', 'status', randomUUID());
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^error: Not Found \(404\)/);
  });
});
