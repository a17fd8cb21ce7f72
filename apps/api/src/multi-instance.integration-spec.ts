import { randomUUID } from 'node:crypto';
import type { CertificateView, CommunityView, CrlView, OrganizationView } from '@anchorage/contracts';
import { hasSerial, readCrlInfo } from '@anchorage/pki';
import {
  createTokenWithCli, isolatedPlatformOptions, openssl, opensslCsr, signerClientEnv, startApiProcess, startSignerProcess, tempDir,
  type ApiProcess, type IsolatedPlatformOptions, type SignerProcess,
} from '@anchorage/testing';

// Two API processes on one database and one signer process, as deployed, revoking at the same time:
// CRL numbers stay strictly increasing, and both instances end up serving a CRL that lists every
// revocation, each signed through the signer's socket. A
// database of their own: API processes refuse to start while other test files' CAs, whose keys are
// in other key stores, are in theirs.
describe('two API instances revoking concurrently', () => {
  let opts: IsolatedPlatformOptions;
  const dir = tempDir('anchorage-multi-');
  const host = `multi-${randomUUID().slice(0, 8)}.example.org`;
  let a: ApiProcess;
  let b: ApiProcess;
  let signer: SignerProcess;
  let token = '';
  const call = async <T>(api: ApiProcess, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${api.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const servedCrl = async (api: ApiProcess, caId: string) => new Uint8Array(await (await fetch(`${api.url}/pki/crl/${caId}.crl`)).arrayBuffer());

  beforeAll(async () => {
    opts = await isolatedPlatformOptions('http://pki.multi-test.invalid');
    signer = await startSignerProcess(opts);
    const env = signerClientEnv(opts, signer);
    [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    token = createTokenWithCli(opts.databaseUrl, 'multi-instance');
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await signer?.stop();
    await opts?.drop();
  });

  it('keeps CRL numbers strictly increasing and both instances serve a complete CRL', async () => {
    const community = await call<CommunityView>(a, 'POST', '/api/v1/communities', { name: 'Multi', uri: `udap://${host}/`, caKeyType: 'RSA-2048' });
    const caId = community.issuingCaId!;
    const org = await call<OrganizationView>(a, 'POST', '/api/v1/organizations', { communityId: community.id, name: 'Multi Clinic', sanUris: [`https://${host}/app`] });
    const certs: CertificateView[] = [];
    for (let i = 0; i < 16; i++) {
      const csr = opensslCsr(dir, { rsaBits: 2048, sans: [`https://${host}/app`] });
      certs.push(await call<CertificateView>(i % 2 ? a : b, 'POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-client', csr: csr.csrPem }));
    }
    const results = await Promise.all(
      certs.map((c, i) => call<{ crl: CrlView }>(i % 2 ? a : b, 'POST', `/api/v1/certificates/${c.id}/revoke`, { reason: 'superseded' })),
    );
    for (const r of results) expect(BigInt(r.crl.crlNumber)).toBeGreaterThan(1n);
    const history = (await call<CrlView[]>(a, 'GET', `/api/v1/cas/${caId}/crls?range=[0,999]`)).map((c) => BigInt(c.crlNumber));
    // newest first, no number twice: strictly decreasing in this order means strictly increasing in time
    for (let i = 1; i < history.length; i++) expect(history[i - 1]).toBeGreaterThan(history[i]);
    const newest = history[0];
    // each call returned a committed CRL from this history that already listed something
    for (const r of results) {
      expect(history).toContain(BigInt(r.crl.crlNumber));
      expect(r.crl.entryCount).toBeGreaterThanOrEqual(1);
    }
    // the instance that did not make the newest CRL picks it up through NOTIFY
    for (const api of [a, b]) {
      let der = await servedCrl(api, caId);
      for (let tries = 0; readCrlInfo(der).crlNumber !== newest && tries < 50; tries++) {
        await new Promise((r) => setTimeout(r, 100));
        der = await servedCrl(api, caId);
      }
      expect(readCrlInfo(der).crlNumber).toBe(newest);
      for (const c of certs) expect(hasSerial(der, c.serial)).toBe(true);
      expect(openssl(['crl', '-inform', 'DER', '-noout', '-text'], der).stdout.match(/Serial Number:/g)).toHaveLength(certs.length);
    }
  });
});
