import { randomUUID } from 'node:crypto';
import type { CertificateView, CommunityView, OrganizationView } from '@anchorage/contracts';
import {
  createTokenWithCli, isolatedPlatformOptions, opensslCsr, opensslVerify, signerClientEnv, startApiProcess, startSignerProcess, tempDir,
  type ApiProcess, type IsolatedPlatformOptions, type SignerProcess,
} from '@anchorage/testing';

// ANCHORAGE_API_PROCESSES=2: one command starts two API processes on one address (node:cluster), so
// one host's API uses both cores. Both serve; one that dies is started again while the other goes on
// serving; SIGTERM stops them all; a configuration that cannot start stops the whole command.
describe('API processes sharing one address', () => {
  let opts: IsolatedPlatformOptions;
  let signer: SignerProcess;
  let api: ApiProcess;
  let token = '';
  const dir = tempDir('anchorage-api-processes-');
  const host = `procs-${randomUUID().slice(0, 8)}.example.org`;
  const listening = () => [...api.output().matchAll(/listening on http:\/\/\S+ \(process (\d+) of 2, pid (\d+)\)/g)].map((m) => ({ id: Number(m[1]), pid: Number(m[2]) }));
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const until = async (what: () => boolean, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!what()) {
      if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${api.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${api.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', connection: 'close' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const fetchDer = async (path: string) => new Uint8Array(await (await fetch(`${api.url}${path}`)).arrayBuffer());

  beforeAll(async () => {
    opts = await isolatedPlatformOptions('http://pki.processes-test.invalid');
    signer = await startSignerProcess(opts);
    api = await startApiProcess({ ...signerClientEnv(opts, signer), ANCHORAGE_API_PROCESSES: '2' });
    token = createTokenWithCli(opts.databaseUrl, 'api-processes');
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await signer?.stop();
    await opts?.drop();
  });

  it('serves from both processes, starts again one that dies, and stops them all on SIGTERM', async () => {
    await until(() => listening().length === 2);
    const [first, second] = listening();
    expect(new Set([first.id, second.id]).size).toBe(2);
    expect(first.pid).not.toBe(second.pid);

    const community = await call<CommunityView>('POST', '/api/v1/communities', { name: 'Processes', uri: `udap://${host}/`, caKeyType: 'RSA-2048' });
    const org = await call<OrganizationView>('POST', '/api/v1/organizations', { communityId: community.id, name: 'Processes Clinic', sanUris: [`https://${host}/fhir`] });
    const issue = () => call<CertificateView>('POST', '/api/v1/certificates', { organizationId: org.id, profile: 'udap-server', csr: opensslCsr(dir, { rsaBits: 2048, sans: [`https://${host}/fhir`] }).csrPem });
    // each new connection goes to the next process: both issue, against the one database and signer
    const issued = await Promise.all(Array.from({ length: 6 }, issue));
    expect(new Set(issued.map((c) => c.serial)).size).toBe(6);
    const [root, issuing] = [await fetchDer(`/pki/ca/${community.rootCaId}.cer`), await fetchDer(`/pki/ca/${community.issuingCaId}.cer`)];
    const crls = [await fetchDer(`/pki/crl/${community.rootCaId}.crl`), await fetchDer(`/pki/crl/${community.issuingCaId}.crl`)];
    for (const c of issued) {
      expect(opensslVerify(dir, { anchors: [root], intermediates: [issuing], crls, leaf: new Uint8Array(Buffer.from(c.derBase64, 'base64')) }).status).toBe(0);
    }

    // one dies: another is started in its place, and the survivor serves meanwhile
    process.kill(first.pid, 'SIGKILL');
    await until(() => /exited \(SIGKILL\); starting another/.test(api.output()));
    expect((await issue()).status).toBe('issued');
    await until(() => listening().length === 3);
    const replacement = listening()[2];
    expect([first.pid, second.pid]).not.toContain(replacement.pid);
    expect(alive(replacement.pid) && alive(second.pid)).toBe(true);
    for (let i = 0; i < 4; i++) expect((await issue()).status).toBe('issued');

    await api.stop();
    await until(() => !alive(second.pid) && !alive(replacement.pid));
  }, 120_000);

  it('stops, and says why, when its processes cannot start', async () => {
    // no signer at this socket: every process would fail at start; the command must not retry forever
    const failed = await startApiProcess({ ...signerClientEnv(opts, signer), ANCHORAGE_SIGNER_SOCKET: `${dir}/no-signer.sock`, ANCHORAGE_API_PROCESSES: '2' }).then(
      () => 'started', (err: Error) => err.message,
    );
    expect(failed).toMatch(/API exited with [1-9]/);
    expect(failed).toMatch(/could not start/);
  }, 60_000);
});
