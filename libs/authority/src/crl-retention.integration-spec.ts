import { randomUUID } from 'node:crypto';
import { hasSerial } from '@anchorage/pki';
import { FakeClock, opensslCsr, tempDir, testPlatformOptions } from '@anchorage/testing';
import { createCommunity } from './create-community';
import { createOrganization } from './create-organization';
import { generateCrl } from './generate-crl';
import { issueCertificate } from './issue-certificate';
import { openPlatform, type Platform } from './platform';
import { revokeCertificate } from './revoke-certificate';

// RFC 5280 §3.3: a revoked certificate stays on the CRL until at least one CRL issued after it expired.
describe('CRL entry retention after expiry', () => {
  const clock = new FakeClock(new Date());
  const op = { id: 'op', role: 'operator' as const };
  let p: Platform;
  beforeAll(async () => {
    p = await openPlatform({ ...testPlatformOptions(), clock });
  });
  afterAll(() => p.close());

  it('lists an expired revoked certificate for one more CRL lifetime, then drops it', async () => {
    const host = `ret-${randomUUID().slice(0, 8)}.example.org`;
    const c = await createCommunity(p, { name: 'Retention', uri: `udap://${host}/`, caKeyType: 'EC-P256', policy: { crlLifetimeSeconds: 86400, allowedLeafKeyTypes: ['EC-P256'] } }, op);
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Ret', sanUris: [`https://${host}/app`] }, op);
    const csr = opensslCsr(tempDir(), { curve: 'P-256', sans: [`https://${host}/app`] });
    const cert = (await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: csr.csrPem, validityDays: 1 }, op)).certificate;
    await revokeCertificate(p, { certificate: { certificateId: cert.id }, reason: 'superseded' }, op);
    const listed = async () => hasSerial((await generateCrl(p, c.issuing.id, op)).crl.der!, cert.serial);
    expect(await listed()).toBe(true);
    clock.set(new Date(cert.notAfter.getTime() + 3600_000)); // expired an hour ago
    expect(await listed()).toBe(true);
    clock.set(new Date(cert.notAfter.getTime() + 86400_000 - 60_000)); // still within one CRL lifetime
    expect(await listed()).toBe(true);
    clock.set(new Date(cert.notAfter.getTime() + 86400_000 + 60_000)); // a CRL issued after expiry has listed it
    expect(await listed()).toBe(false);
  });
});
