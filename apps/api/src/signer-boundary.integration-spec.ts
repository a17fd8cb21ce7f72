import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateView, CommunityView, OrganizationView } from '@anchorage/contracts';
import {
  createTokenWithCli, isolatedPlatformOptions, opensslCsr, opensslVerify, startApiProcess, startSignerProcess, tempDir,
  type ApiProcess, type IsolatedPlatformOptions, type SignerProcess,
} from '@anchorage/testing';

/** The unprivileged user the API runs as here (nobody / nogroup on Debian). */
const NOBODY = { uid: 65534, gid: 65534 };

/** Whether `as` can read `path`: the error code of the attempt, or 'read'. */
function readAs(as: { uid: number; gid: number }, path: string): string {
  const r = spawnSync(process.execPath, ['-e', `try { require('fs').readFileSync(${JSON.stringify(path)}); console.log('read') } catch (e) { console.log(e.code) }`], {
    ...as, encoding: 'utf8',
  });
  return r.stdout.trim();
}

// The signer is the only holder of CA keys: the API runs as another user, without the KEK or the key
// directory in its settings, and reaches the keys only through the signer's socket. Issuance still
// works, while that user cannot read a key file or the KEK, and the API process has none of them open.
describe('API process and signer process as separate users', () => {
  let opts: IsolatedPlatformOptions;
  let signer: SignerProcess;
  let api: ApiProcess;
  let token: string;
  const dir = tempDir('anchorage-boundary-');
  const host = `b${randomUUID().slice(0, 8)}.example.org`;

  beforeAll(async () => {
    opts = await isolatedPlatformOptions('http://pki.boundary-test.invalid');
    // what the API user needs: a directory it can enter, the socket (group nogroup, 0660), the signer token and the web key
    const shared = tempDir('anchorage-shared-');
    chmodSync(shared, 0o755);
    signer = await startSignerProcess({ ...opts, dir: shared }, { ANCHORAGE_SIGNER_SOCKET_GROUP: String(NOBODY.gid) });
    chownSync(signer.tokenFile, NOBODY.uid, NOBODY.gid);
    const webKey = join(shared, 'web-key');
    copyFileSync(opts.webKeyFile, webKey);
    chownSync(webKey, NOBODY.uid, NOBODY.gid);
    api = await startApiProcess({
      ANCHORAGE_DATABASE_URL: opts.databaseUrl, ANCHORAGE_PORT: '0', ANCHORAGE_HOST: '127.0.0.1', ANCHORAGE_PUBLIC_BASE_URL: opts.publicBaseUrl,
      ...signer.clientEnv, ANCHORAGE_WEB_KEY_FILE: webKey,
    }, NOBODY);
    token = createTokenWithCli(opts.databaseUrl, 'boundary');
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await signer?.stop();
    await opts?.drop();
  });

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${api.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
  const fetchDer = async (path: string) => new Uint8Array(await (await fetch(`${api.url}${path}`)).arrayBuffer());

  it('issues through the signer while the API user can read no key file and not the KEK', async () => {
    const community = await call<CommunityView>('POST', '/api/v1/communities', { name: 'Boundary', uri: `udap://${host}/`, caKeyType: 'RSA-2048' });
    const org = await call<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Boundary Clinic', sanUris: [`https://${host}/fhir`] });
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [`https://${host}/fhir`] });
    const issued = await call<CertificateView>('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-server', csr: csr.csrPem });
    const leaf = new Uint8Array(Buffer.from(issued.derBase64, 'base64'));
    const [root, issuing] = [await fetchDer(`/pki/ca/${community.rootCaId}.cer`), await fetchDer(`/pki/ca/${community.issuingCaId}.cer`)];
    const crls = [await fetchDer(`/pki/crl/${community.rootCaId}.crl`), await fetchDer(`/pki/crl/${community.issuingCaId}.crl`)];
    expect(opensslVerify(dir, { anchors: [root], intermediates: [issuing], crls, leaf }).status).toBe(0);
    expect(opensslVerify(dir, { anchors: [issuing], crls, leaf }).status).not.toBe(0); // not a trust anchor of its own

    const keyFiles = readdirSync(opts.keyDir).map((f) => join(opts.keyDir, f));
    expect(keyFiles.length).toBeGreaterThanOrEqual(3); // root, issuing and the audit key
    for (const f of [...keyFiles, opts.kekFile]) expect(`${f}: ${readAs(NOBODY, f)}`).toBe(`${f}: EACCES`);
    expect(readAs({ uid: 0, gid: 0 }, opts.kekFile)).toBe('read'); // the check itself can tell a readable file

    const pid = api.proc.pid!;
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(new RegExp(`^Uid:\\s+${NOBODY.uid}\\b`, 'm'));
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toMatch(/ANCHORAGE_(KEK_FILE|KEY_DIR|PKCS11)/);
    const open = readdirSync(`/proc/${pid}/fd`).map((fd) => { try { return readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { return ''; } });
    expect(open.filter((target) => target.startsWith(opts.keyDir) || target === opts.kekFile)).toEqual([]);
  });

  it('answers 503 signer-error, never 500, while the signer is down, and still serves what it has published', async () => {
    const community = await call<CommunityView>('POST', '/api/v1/communities', { name: 'Before the outage', uri: `udap://before.${host}/`, caKeyType: 'EC-P256' });
    await signer.stop();
    const problem = async (path: string, body: unknown) => {
      const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, type: res.headers.get('content-type'), body: await res.json() as { code?: string; detail?: string } };
    };
    // a new CA key, a CRL: both need the signer
    const create = await problem('/api/v1/communities', { name: 'Outage', uri: `udap://outage.${host}/`, caKeyType: 'EC-P256' });
    expect(create).toMatchObject({ status: 503, type: expect.stringMatching(/^application\/problem\+json/), body: { code: 'signer-error' } });
    expect(create.body.detail).toMatch(/signer process at .* is unreachable/);
    const crl = await problem(`/api/v1/cas/${community.issuingCaId}/crl`, {});
    expect(crl).toMatchObject({ status: 503, body: { code: 'signer-error' } });
    expect((await fetch(`${api.url}/pki/crl/${community.issuingCaId}.crl`)).status).toBe(200);
  });
});
