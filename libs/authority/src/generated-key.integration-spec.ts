import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl, opensslVerify, tempDir, testPlatformOptions } from '@anchorage/testing';
import { createCommunity, type CreatedCommunity } from './create-community';
import { createOrganization } from './create-organization';
import type { Actor } from './deps';
import { issueWithGeneratedKey, PKCS12_UNAVAILABLE, type IssueWithGeneratedKeyInput } from './issue-with-generated-key';
import { openPlatform, type Platform } from './platform';
import { linkAuditChain } from './audit-sequencer';
import { verifyAuditChain } from './verify-audit';
import { expectDomainError } from './testing/expect-domain-error';

const operator: Actor = { id: 'test-operator', role: 'operator' };
const PASSWORD = 'correct horse battery staple';

describe('platform-generated member keys delivered as PKCS #12 (PostgreSQL + OpenSSL)', () => {
  let p: Platform;
  let c: CreatedCommunity;
  let orgId: string;
  const dir = tempDir('anchorage-p12-');
  const host = `p12${randomUUID().slice(0, 8)}.example.org`;
  const serverUri = `https://${host}/fhir`;
  const clientUri = `https://${host}/app`;
  let files = 0;
  const writeP12 = (der: Uint8Array) => {
    const path = join(dir, `member-${++files}.p12`);
    writeFileSync(path, der);
    return path;
  };
  const countCertificates = async (organizationId = orgId) => (await p.db.certificates.list({ organizationId }, 0, 1)).total;
  const issue = (o: Partial<IssueWithGeneratedKeyInput> = {}) =>
    issueWithGeneratedKey(p, { organizationId: orgId, profile: 'udap-server', sanUris: [serverUri], pkcs12Password: PASSWORD, ...o }, operator);

  beforeAll(async () => {
    p = await openPlatform(testPlatformOptions());
    c = await createCommunity(p, {
      name: 'Generated Keys', uri: `udap://${host}/`, caKeyType: 'RSA-2048', policy: { allowGeneratedKeys: true, allowedLeafKeyTypes: ['RSA-2048', 'EC-P256'] },
    }, operator);
    orgId = (await createOrganization(p, { communityId: c.community.id, name: 'Key Clinic', sanUris: [serverUri, clientUri] }, operator)).id;
  });
  afterAll(() => p.close());

  it('delivers key, leaf and issuing CA in a PKCS #12 that OpenSSL opens, with localKeyID on key and leaf, and the leaf verifies strictly', async () => {
    const out = await issue();
    expect(out.created).toBe(true);
    expect(out.pkcs12Unavailable).toBeUndefined();
    expect(out.certificate.keyType).toBe('RSA-2048');
    const path = writeP12(out.pkcs12!);
    const r = openssl(['pkcs12', '-in', path, '-passin', `pass:${PASSWORD}`, '-nodes']);
    expect(r.status).toBe(0);
    expect(r.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2); // leaf + issuing CA, not the root
    expect(r.stdout.match(/-----BEGIN PRIVATE KEY-----/g)).toHaveLength(1);
    expect(r.stdout).toContain('subject=O = Generated Keys, CN = Generated Keys Issuing CA');
    expect(r.stdout).not.toContain('subject=O = Generated Keys, CN = Generated Keys Root CA');
    // the key is the leaf's key
    const keyPem = r.stdout.slice(r.stdout.indexOf('-----BEGIN PRIVATE KEY-----'), r.stdout.indexOf('-----END PRIVATE KEY-----') + 25);
    const keyPub = openssl(['pkey', '-pubout'], keyPem);
    expect(keyPub.status).toBe(0);
    expect(keyPub.stdout).toBe(openssl(['x509', '-inform', 'DER', '-noout', '-pubkey'], out.certificate.der!).stdout);
    expect(openssl(['pkey', '-noout', '-text'], keyPem).stdout).toMatch(/Private-Key: \(2048 bit/);

    const info = openssl(['pkcs12', '-in', path, '-passin', `pass:${PASSWORD}`, '-nodes', '-info']);
    const output = info.stdout + info.stderr;
    expect(output).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
    const localKeyId = createHash('sha1').update(out.certificate.der!).digest('hex').toUpperCase().match(/../g)!.join(' ');
    expect(output.split(`localKeyID: ${localKeyId}`).length - 1).toBe(2);

    const v = opensslVerify(dir, {
      anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!],
      crls: [p.repository.crl(c.root.id)!.body, p.repository.crl(c.issuing.id)!.body], leaf: out.certificate.der!,
    });
    expect(v.stdout).toMatch(/: OK/);

    const wrong = openssl(['pkcs12', '-in', path, '-passin', 'pass:not the password', '-nodes']);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toMatch(/mac verify failure|Mac verify error/i);
  });

  it('generates EC P-256 keys where the community allows them, and refuses types it does not', async () => {
    const out = await issue({ profile: 'udap-client', sanUris: [clientUri], keyType: 'EC-P256' });
    const r = openssl(['pkcs12', '-in', writeP12(out.pkcs12!), '-passin', `pass:${PASSWORD}`, '-nodes']);
    expect(r.status).toBe(0);
    expect(openssl(['pkey', '-noout', '-text'], r.stdout.slice(r.stdout.indexOf('-----BEGIN PRIVATE KEY-----'))).stdout).toMatch(/prime256v1|P-256/);
    const before = await countCertificates();
    await expectDomainError(issue({ keyType: 'RSA-4096' }), 'key-policy', /RSA-4096 is not allowed by the community policy/);
    await expectDomainError(issue({ keyType: 'EC-P256' }), 'key-policy', /requires an RSA key/); // udap-server signs RS256
    expect(await countCertificates()).toBe(before);
  });

  it('returns the certificate without the key on a repeat of the request, and refuses a reused request id', async () => {
    const requestId = `p12-${randomUUID()}`;
    const first = await issue({ requestId });
    expect(first.pkcs12).toBeDefined();
    const again = await issue({ requestId });
    expect(again.created).toBe(false);
    expect(again.certificate.id).toBe(first.certificate.id);
    expect(again.pkcs12).toBeUndefined();
    expect(again.pkcs12Unavailable).toBe(PKCS12_UNAVAILABLE);
    expect(PKCS12_UNAVAILABLE).toBe('the private key is only delivered once');
    await expectDomainError(issue({ requestId, sanUris: [serverUri], profile: 'udap-idp' }), 'idempotency-mismatch');
  });

  it('refuses weak passwords and communities that do not allow generated keys, storing nothing', async () => {
    const before = await countCertificates();
    await expectDomainError(issue({ pkcs12Password: 'short' }), 'validation', /at least 12 characters \(got 5\)/);
    await expectDomainError(issue({ pkcs12Password: undefined as unknown as string }), 'validation', /pkcs12Password is required/);
    await expectDomainError(issue({ pkcs12Password: 'twelve chars\u0000!' }), 'validation', /control characters/);
    await expectDomainError(issue({ sanUris: [] }), 'san-invalid', /give sanUris/);
    await expectDomainError(issue({ sanUris: [`https://nobody.${host}/fhir`] }), 'san-invalid', /not registered/);
    expect(await countCertificates()).toBe(before);

    const strict = await createCommunity(p, { name: 'No Generated Keys', uri: `udap://strict.${host}/`, caKeyType: 'EC-P256' }, operator);
    const org = await createOrganization(p, { communityId: strict.community.id, name: 'Strict Clinic', sanUris: [`https://strict.${host}/fhir`] }, operator);
    await expectDomainError(
      issueWithGeneratedKey(p, { organizationId: org.id, profile: 'udap-server', sanUris: [`https://strict.${host}/fhir`], pkcs12Password: PASSWORD }, operator),
      'key-policy', /does not allow platform-generated keys/,
    );
    expect(await countCertificates(org.id)).toBe(0);
  });

  it('never records the password or the private key, and keeps the audit chain intact', async () => {
    const audit = JSON.stringify((await p.db.audit.read(0n, 100_000)).map((e) => ({ action: e.action, data: e.data })));
    expect(audit).toContain('"action":"certificate.pkcs12-delivered"');
    expect(audit).not.toContain(PASSWORD);
    expect(audit).not.toMatch(/PRIVATE KEY|pkcs8/i);
    await linkAuditChain(p); // as the worker's sequencer would
    expect((await verifyAuditChain(p)).ok).toBe(true);
  });
});
