import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { isolatedPlatformOptions, opensslCsr, opensslVerify, tempDir, type IsolatedPlatformOptions } from '@anchorage/testing';
import { createCommunity, type CreatedCommunity } from './create-community';
import { createOrganization } from './create-organization';
import type { Actor } from './deps';
import { generateCrl } from './generate-crl';
import { createUser } from './identity/create-user';
import { issueCertificate } from './issue-certificate';
import { assertKeysOpen } from './key-check';
import { openPlatform, type Platform, type PlatformOptions } from './platform';
import { expectDomainError } from './testing/expect-domain-error';
import { subscribeToRevocations } from './revocation-notices/subscribe';
import { createPlatformCertifier, type CreatedPlatformCertifier } from './certifications/create-platform-certifier';
import { revokeCertificate } from './revoke-certificate';

const operator: Actor = { id: 'key-check-operator', role: 'operator' };
const MODULES = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so'];

// A database of its own: the check reads every CA, and the run's shared database holds other test
// files' CAs, whose keys are in other key stores.
describe('start-up key check and signing with a key that does not open (PostgreSQL)', () => {
  const dir = tempDir('anchorage-key-check-');
  const host = `kc-${randomUUID().slice(0, 8)}.example.org`;
  let opts: IsolatedPlatformOptions;
  let p: Platform;
  let c: CreatedCommunity;
  let orgId: string;
  let userId: string;
  let subscriptionId: string;
  let certifier: CreatedPlatformCertifier;
  let sql: Client;
  const opened: Platform[] = [];
  const open = async (o: Partial<PlatformOptions>) => {
    const platform = await openPlatform({ ...opts, ...o });
    opened.push(platform);
    return platform;
  };
  const kekFile = (name: string) => {
    const path = join(dir, name);
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    return path;
  };

  beforeAll(async () => {
    opts = await isolatedPlatformOptions();
    p = await open({});
    c = await createCommunity(p, { name: 'Key Check', uri: `udap://${host}/`, caKeyType: 'EC-P256' }, operator);
    orgId = (await createOrganization(p, { communityId: c.community.id, name: 'Key Check Clinic', sanUris: [`https://${host}/fhir`] }, operator)).id;
    subscriptionId = (await subscribeToRevocations(p, { communityId: c.community.id, callbackUrl: `https://rp.${host}/revocations`, relyingParty: 'Key Check RP' }, operator)).subscription.id;
    const certifierOrg = await createOrganization(p, { communityId: c.community.id, name: 'Key Check Certifier', sanUris: [`https://certifier.${host}/udap`] }, operator);
    certifier = await createPlatformCertifier(p, { organizationId: certifierOrg.id, sanUri: `https://certifier.${host}/udap` }, operator);
    userId = (await createUser(p, { email: `op@${host}`, displayName: 'Op', role: 'operator', password: 'key check password', communities: 'all' }, operator)).id;
    sql = new Client({ connectionString: opts.databaseUrl });
    await sql.connect();
  }, 120_000);
  afterAll(async () => {
    await sql?.end();
    for (const platform of opened) await platform.close();
    await opts?.drop();
  });

  it('passes when the key-encryption key opens every CA key and the sealed secrets', async () => {
    await expect(assertKeysOpen(p)).resolves.toBeUndefined();
  });

  it('names every CA that a wrong key-encryption key does not open, and the sealed secret a wrong web key does not', async () => {
    const wrong = await open({ kekFile: kekFile('wrong-kek') });
    const err = await expectDomainError(assertKeysOpen(wrong), 'signer-error', /refusing to start/);
    for (const ca of [c.root, c.issuing]) expect(err.message).toMatch(new RegExp(`CA ${ca.id} .*cannot decrypt key ${ca.keyRef}: wrong key-encryption key`));
    expect(err.message).toMatch(new RegExp(`platform certifier ${certifier.certifier.id} \\(organization .*: its key does not open: .*cannot decrypt key ${certifier.certifier.keyRef}: wrong key-encryption key`));
    expect(err.message).not.toContain('TOTP'); // sealed under the web key, which is right
    const wrongWeb = await expectDomainError(assertKeysOpen(await open({ webKeyFile: kekFile('wrong-web-key') })), 'signer-error');
    expect(wrongWeb.message).toContain(`the TOTP secret of user ${userId} does not open: the web key`);
    expect(wrongWeb.message).toContain(`the secret of revocation subscription ${subscriptionId} does not open: the web key`);
    expect(wrongWeb.message).not.toMatch(/CA \S+ \(/);
  });

  it('names the CAs whose key files are not in the key directory, and the secrets without a web key', async () => {
    const empty = join(dir, 'empty-keys');
    mkdirSync(empty);
    const err = await expectDomainError(assertKeysOpen(await open({ keyDir: empty })), 'signer-error');
    for (const ca of [c.root, c.issuing]) expect(err.message).toMatch(new RegExp(`CA ${ca.id} .*key ${ca.keyRef} not found in ${empty}`));
    expect(err.message).toMatch(new RegExp(`platform certifier ${certifier.certifier.id} .*key ${certifier.certifier.keyRef} not found in ${empty}`));
    const none = await expectDomainError(assertKeysOpen(await open({ kekFile: null, webKeyFile: null })), 'signer-error');
    expect(none.message).toMatch(new RegExp(`CA ${c.issuing.id} .*no software key backend configured`));
    expect(none.message).toContain(`the TOTP secret of user ${userId} is sealed under the web key, but none is configured (ANCHORAGE_WEB_KEY_FILE)`);
    expect(none.message).toContain(`the secret of revocation subscription ${subscriptionId} is sealed under the web key, but none is configured`);
  });

  it('refuses an issuance whose CA key does not open as signer-error, before any pending certificate is recorded', async () => {
    const wrong = await open({ kekFile: kekFile('wrong-kek-2') });
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [`https://${host}/fhir`] });
    const before = (await sql.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n;
    for (const requestId of [undefined, 'kc-retry']) {
      await expectDomainError(issueCertificate(wrong, { organizationId: orgId, profile: 'udap-client', csr: csr.csrPem, requestId }, operator), 'signer-error', new RegExp(`CA ${c.issuing.id}`));
    }
    expect((await sql.query('SELECT count(*)::int AS n FROM certificate WHERE organization_id = $1', [orgId])).rows[0].n).toBe(0);
    expect((await sql.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n).toBe(before);
    // the same request, once the right key-encryption key is back, issues normally
    const issued = await issueCertificate(p, { organizationId: orgId, profile: 'udap-client', csr: csr.csrPem, requestId: 'kc-retry' }, operator);
    expect(issued.certificate.status).toBe('issued');
    // a CRL with a key that does not open is signer-error too (not an internal error)
    await expectDomainError(generateCrl(wrong, c.issuing.id, operator), 'signer-error');
  });

  it('names a platform certifier whose key is not the one its certificate certifies, and leaves out one whose certificate is revoked', async () => {
    const crls = async () => [(await p.db.crls.latest(c.root.id, true))!.der!, (await p.db.crls.latest(c.issuing.id, true))!.der!];
    const leaf = certifier.certificate.der!;
    expect(opensslVerify(dir, { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: await crls(), leaf }).stdout).toMatch(/: OK/);
    const own = certifier.certifier.keyRef;
    // another key of the signer (the issuing CA's) in the certifier's row: it opens, but is not the certified key
    await sql.query('UPDATE platform_certifier SET key_ref = $2 WHERE id = $1', [certifier.certifier.id, c.issuing.keyRef]);
    try {
      const err = await expectDomainError(assertKeysOpen(p), 'signer-error');
      expect(err.message).toContain(`platform certifier ${certifier.certifier.id} `);
      expect(err.message).toContain(`key ${c.issuing.keyRef} is not the one its udap-certifier certificate certifies`);
      expect(err.message).not.toMatch(/CA \S+ \(/);
      // its certificate revoked, the platform signs no more certifications with it, and the check leaves it out
      await revokeCertificate(p, { certificate: { certificateId: certifier.certificate.id }, reason: 'cessationOfOperation' }, operator);
      await expect(assertKeysOpen(p)).resolves.toBeUndefined();
      const rejected = opensslVerify(dir, { anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: await crls(), leaf });
      expect(rejected.status).not.toBe(0);
      expect(rejected.stdout + rejected.stderr).toMatch(/certificate revoked/);
    } finally {
      await sql.query('UPDATE platform_certifier SET key_ref = $2 WHERE id = $1', [certifier.certifier.id, own]);
    }
  });

  it('names a CA whose PKCS#11 key object is not on the token', async () => {
    const modulePath = MODULES.find((m) => existsSync(m));
    if (!modulePath || !process.env.ANCHORAGE_TEST_SOFTHSM_TOKEN) throw new Error('SoftHSM2 is not set up: run the tests through jest (global setup)');
    const pinFile = join(dir, 'pin');
    writeFileSync(pinFile, `${process.env.ANCHORAGE_TEST_SOFTHSM_PIN}\n`, { mode: 0o600 });
    const hsm = await open({ caKeyBackend: 'pkcs11', pkcs11: { modulePath, tokenLabel: process.env.ANCHORAGE_TEST_SOFTHSM_TOKEN, pinFile } });
    const h = await createCommunity(hsm, { name: 'Key Check HSM', uri: `udap://hsm-${host}/`, caKeyType: 'EC-P256' }, operator);
    await expect(assertKeysOpen(hsm)).resolves.toBeUndefined();
    const missing = h.issuing.keyRef.replace(/;id=.*$/, `;id=${[...randomBytes(16)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`);
    await sql.query('UPDATE certificate_authority SET key_ref = $2 WHERE id = $1', [h.issuing.id, missing]);
    const fresh = await open({ caKeyBackend: 'pkcs11', pkcs11: { modulePath, tokenLabel: process.env.ANCHORAGE_TEST_SOFTHSM_TOKEN, pinFile } });
    const err = await expectDomainError(assertKeysOpen(fresh), 'signer-error');
    expect(err.message).toContain(`CA ${h.issuing.id} `);
    expect(err.message).toContain(`key ${missing} not found on token`);
    expect(err.message).not.toContain(`CA ${h.root.id} `);
  });
});
