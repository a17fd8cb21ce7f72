import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { toPem } from '@anchorage/pki';
import { openssl, opensslCsr, opensslRoot, opensslVerify, startSignerProcess, tempDir, testPlatformOptions, writePem } from '@anchorage/testing';
import { createCommunity } from './create-community';
import { createOrganization } from './create-organization';
import { installIssuingCaCertificate } from './install-issuing-ca-certificate';
import { issueCertificate } from './issue-certificate';
import { openPlatform, type Platform } from './platform';
import { revokeCertificate } from './revoke-certificate';

const MODULES = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so'];

// CA keys kept in an HSM: the same flows with the PKCS#11 backend on the SoftHSM2 token the
// Jest global setup created.
describe('community CAs in a PKCS#11 token (SoftHSM2)', () => {
  let p: Platform;
  const dir = tempDir('anchorage-hsm-');
  const opts = testPlatformOptions();
  let pkcs11: { modulePath: string; tokenLabel: string; pinFile: string };

  beforeAll(async () => {
    const modulePath = MODULES.find((m) => existsSync(m));
    if (!modulePath || !process.env.ANCHORAGE_TEST_SOFTHSM_TOKEN) throw new Error('SoftHSM2 is not set up: run the tests through `npm test`');
    const pinFile = join(dir, 'pin');
    writeFileSync(pinFile, `${process.env.ANCHORAGE_TEST_SOFTHSM_PIN}\n`, { mode: 0o600 });
    pkcs11 = { modulePath, tokenLabel: process.env.ANCHORAGE_TEST_SOFTHSM_TOKEN, pinFile };
    p = await openPlatform({ ...opts, caKeyBackend: 'pkcs11', pkcs11 });
  });
  afterAll(() => p?.close());

  it('creates the CA hierarchy on the token, issues and revokes, and OpenSSL agrees', async () => {
    const host = `hsm-${randomUUID().slice(0, 8)}.example.org`;
    const c = await createCommunity(p, { name: 'HSM', uri: `udap://${host}/`, caKeyType: 'RSA-2048' }, { id: 'op', role: 'operator' });
    expect(c.root.keyRef).toMatch(/^pkcs11:/);
    expect(c.issuing.keyRef).toMatch(/^pkcs11:/);
    const org = await createOrganization(p, { communityId: c.community.id, name: 'HSM org', sanUris: [`https://${host}/fhir`] }, { id: 'op', role: 'operator' });
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [`https://${host}/fhir`] });
    const issued = await issueCertificate(p, { organizationId: org.id, profile: 'udap-server', csr: csr.csrPem }, { id: 'op', role: 'operator' });
    const chain = { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!] };
    const crls = () => [p.repository.crl(c.root.id)!.body, p.repository.crl(c.issuing.id)!.body];
    expect(opensslVerify(dir, { ...chain, crls: crls(), leaf: issued.certificate.der! }).stdout).toMatch(/: OK/);
    await revokeCertificate(p, { certificate: { certificateId: issued.certificate.id }, reason: 'keyCompromise' }, { id: 'op', role: 'operator' });
    const after = opensslVerify(dir, { ...chain, crls: crls(), leaf: issued.certificate.der! });
    expect(after.stdout + after.stderr).toMatch(/certificate revoked/);
    // the CA keys never touched the software key store
    expect(readdirSync(opts.keyDir)).toEqual([]);
  });

  it('signs the offline-root CSR with the token key and activates the CA once the root signed it', async () => {
    const host = `hsm-off-${randomUUID().slice(0, 8)}.example.org`;
    const op = { id: 'op', role: 'operator' as const };
    const c = await createCommunity(p, { name: 'HSM Offline', uri: `udap://${host}/`, caKeyType: 'EC-P256', offlineRoot: true }, op);
    expect(c.issuing.keyRef).toMatch(/^pkcs11:/);
    const csrPath = writePem(dir, 'hsm-offline.csr', [c.issuing.csrDer!], 'CERTIFICATE REQUEST');
    expect(openssl(['req', '-in', csrPath, '-verify', '-noout']).stderr).toMatch(/verify OK/i);
    const root = opensslRoot(dir);
    const out = await installIssuingCaCertificate(p, { caId: c.issuing.id, certificate: root.sign(toPem(c.issuing.csrDer!, 'CERTIFICATE REQUEST')), rootCertificate: root.certPem }, op);
    expect(out.ca.status).toBe('active');
    const crl = writePem(dir, 'hsm-offline-crl.pem', [p.repository.crl(c.issuing.id)!.body], 'X509 CRL');
    expect(openssl(['crl', '-in', crl, '-CAfile', writePem(dir, 'hsm-offline-ca.pem', [out.ca.certificateDer!]), '-verify', '-noout']).stderr).toMatch(/verify OK/);
  });

  it('as deployed: the token is opened by the signer process alone, which signs certificates and CRLs over its socket', async () => {
    const sopts = testPlatformOptions();
    const signer = await startSignerProcess(sopts, {
      ANCHORAGE_PKCS11_MODULE: pkcs11.modulePath, ANCHORAGE_PKCS11_TOKEN: pkcs11.tokenLabel, ANCHORAGE_PKCS11_PIN_FILE: pkcs11.pinFile,
    });
    // this process has no KEK, no PIN and no module: only the socket
    const remote = await openPlatform({ ...sopts, kekFile: null, pkcs11: null, caKeyBackend: 'pkcs11', signer: { socketPath: signer.socketPath, tokenFile: signer.tokenFile } });
    try {
      const op = { id: 'op', role: 'operator' as const };
      const host = `hsm-sock-${randomUUID().slice(0, 8)}.example.org`;
      const c = await createCommunity(remote, { name: 'HSM socket', uri: `udap://${host}/`, caKeyType: 'RSA-2048' }, op);
      expect(c.issuing.keyRef).toMatch(/^pkcs11:/);
      const org = await createOrganization(remote, { communityId: c.community.id, name: 'HSM socket org', sanUris: [`https://${host}/fhir`] }, op);
      const csr = opensslCsr(dir, { rsaBits: 2048, sans: [`https://${host}/fhir`] });
      const issued = await issueCertificate(remote, { organizationId: org.id, profile: 'udap-server', csr: csr.csrPem }, op);
      const chain = { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!] };
      const crls = () => [remote.repository.crl(c.root.id)!.body, remote.repository.crl(c.issuing.id)!.body];
      expect(opensslVerify(dir, { ...chain, crls: crls(), leaf: issued.certificate.der! }).stdout).toMatch(/: OK/);
      await revokeCertificate(remote, { certificate: { certificateId: issued.certificate.id }, reason: 'keyCompromise' }, op);
      const after = opensslVerify(dir, { ...chain, crls: crls(), leaf: issued.certificate.der! });
      expect(after.stdout + after.stderr).toMatch(/certificate revoked/);
      expect(readdirSync(sopts.keyDir).filter((f) => !f.startsWith('signed-serials'))).toEqual([]); // nothing of the CAs in the software store
    } finally {
      await remote.close();
      await signer.stop();
    }
  });
});
