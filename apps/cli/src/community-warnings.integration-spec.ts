import { createTokenWithCli, isolatedPlatformOptions, platformEnv, startApiProcess, type ApiProcess, type IsolatedPlatformOptions } from '@anchorage/testing';
import { cliAgainst } from './testing/run';

describe('operator CLI: EC CA keys and --require-rsa-chain against the running API process', () => {
  // a database of its own: the API refuses to start while another test file's CA keys do not open
  let opts: IsolatedPlatformOptions;
  let api: ApiProcess;
  let token = '';
  const host = `clikeys${Date.now().toString(36)}.example.org`;

  const cli = cliAgainst(() => api.url, () => token);

  beforeAll(async () => {
    opts = await isolatedPlatformOptions('http://pki.cli-keys-test.invalid');
    api = await startApiProcess(platformEnv(opts));
    token = createTokenWithCli(opts.databaseUrl, 'cli-keys-test');
  }, 90_000);
  afterAll(async () => {
    await api?.stop();
    await opts?.drop();
  });

  it('prints the EC warning on stderr, and carries it in --json output', async () => {
    const human = await cli('community', 'create', '--name', 'CLI EC', '--uri', `udap://ec.${host}/`, '--key', 'EC-P256');
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^community [0-9a-f-]{36} \(udap:\/\/ec\./);
    expect(human.err).toMatch(/^warning \[ec-ca-rsa-only-relying-parties\]: EC CA key \(root CA EC-P256, issuing CA EC-P256\): .*node-forge/);

    const json = await cli('--json', 'community', 'create', '--name', 'CLI EC JSON', '--uri', `udap://ec-json.${host}/`, '--key', 'EC-P384');
    expect(json.code).toBe(0);
    expect(json.err).toMatch(/^warning \[ec-ca-rsa-only-relying-parties\]: /);
    expect(json.json().warnings).toEqual([{ code: 'ec-ca-rsa-only-relying-parties', message: expect.stringMatching(/^EC CA key \(root CA EC-P384, issuing CA EC-P384\)/) }]);

    const rsa = await cli('--json', 'community', 'create', '--name', 'CLI RSA', '--uri', `udap://rsa.${host}/`, '--key', 'RSA-2048', '--require-rsa-chain');
    expect(rsa.err).toBe('');
    expect(rsa.code).toBe(0);
    expect(rsa.json()).toMatchObject({ warnings: [], policy: { requireRsaChain: true } });
  });

  it('refuses an EC key with --require-rsa-chain, printing the API\'s problem', async () => {
    const refused = await cli('community', 'create', '--name', 'CLI Strict', '--uri', `udap://strict.${host}/`, '--key', 'EC-P256', '--require-rsa-chain');
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toMatch(/^error: Unprocessable Content \(422\): the CA key is EC-P256; the community policy requireRsaChain allows only RSA CA keys/);
    expect(refused.err).toMatch(/\n {2}- caKeyType: is EC-P256; /);
  });
});
