import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Client } from 'pg';
import { communityWarnings } from '@anchorage/contracts';
import { toPem } from '@anchorage/pki';
import { opensslRoot, tempDir, testDatabaseUrl, testPlatformOptions } from '@anchorage/testing';
import { createCommunity } from './create-community';
import type { Actor } from './deps';
import { installIssuingCaCertificate } from './install-issuing-ca-certificate';
import { openPlatform, type Platform } from './platform';
import { expectDomainError } from './testing/expect-domain-error';
import { communityView } from './views';

const operator: Actor = { id: 'test-operator', role: 'operator' };
const WARNING = 'ec-ca-rsa-only-relying-parties';

describe('CA key types and RSA-only relying parties (PostgreSQL, OpenSSL as an offline root)', () => {
  const opts = testPlatformOptions();
  const dir = tempDir('anchorage-ca-key-policy-');
  const host = `ckp${randomUUID().slice(0, 8)}.example.org`;
  let p: Platform;
  let sql: Client;

  const count = async (query: string, uri: string) => Number((await sql.query(query, [uri])).rows[0].n);

  beforeAll(async () => {
    p = await openPlatform(opts);
    sql = new Client({ connectionString: testDatabaseUrl() });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await p.close();
  });

  it('refuses an EC CA key where the policy requires an RSA chain, before any key, row or audit event exists', async () => {
    // first in this file: the platform's key directory is still empty
    expect(readdirSync(opts.keyDir)).toEqual([]);
    for (const [caKeyType, offlineRoot] of [['EC-P256', false], ['EC-P384', true]] as const) {
      const uri = `udap://${caKeyType.toLowerCase()}-${offlineRoot}.${host}/`;
      const err = await expectDomainError(
        createCommunity(p, { name: 'Strict', uri, caKeyType, offlineRoot, policy: { requireRsaChain: true } }, operator),
        'key-policy',
        new RegExp(`the CA key is ${caKeyType}; the community policy requireRsaChain allows only RSA CA keys \\(RSA-2048, RSA-3072, RSA-4096\\).*node-forge`),
      );
      expect(err.details.errors).toEqual([{ field: 'caKeyType', message: expect.stringMatching(new RegExp(`^is ${caKeyType}; `)) }]);
      expect(await count('SELECT count(*) AS n FROM community WHERE uri = $1', uri)).toBe(0);
      expect(await count("SELECT count(*) AS n FROM audit_event WHERE data->>'uri' = $1", uri)).toBe(0);
    }
    // no CA row can exist without its community; no key was generated either
    expect(readdirSync(opts.keyDir)).toEqual([]);
    await expectDomainError(createCommunity(p, { name: 'Strict', uri: `udap://bad.${host}/`, policy: { requireRsaChain: 'yes' as unknown as boolean } }, operator), 'validation');
  });

  it('creates RSA communities under the policy, stores it, and warns about no RSA community', async () => {
    const strict = await createCommunity(p, { name: 'Strict RSA', uri: `udap://strict.${host}/`, caKeyType: 'RSA-2048', policy: { requireRsaChain: true } }, operator);
    expect(strict.community.requireRsaChain).toBe(true);
    expect((await p.db.communities.find(strict.community.id))!.requireRsaChain).toBe(true);
    const view = communityView(strict.community, [strict.root, strict.issuing]);
    expect(view.policy.requireRsaChain).toBe(true);
    expect(view.warnings).toEqual([]);
    const audit = await sql.query("SELECT data FROM audit_event WHERE action = 'community.created' AND subject_id = $1", [strict.community.id]);
    expect(audit.rows[0].data.policy.requireRsaChain).toBe(true);
  });

  it('creates an EC community where the policy is silent (the default), with the warning in its view', async () => {
    const ec = await createCommunity(p, { name: 'EC Network', uri: `udap://ec.${host}/`, caKeyType: 'EC-P384' }, operator);
    expect(ec.community.requireRsaChain).toBe(false);
    const view = communityView((await p.db.communities.find(ec.community.id))!, await p.db.cas.ofCommunity(ec.community.id));
    expect(view.policy.requireRsaChain).toBe(false);
    expect(view.warnings).toEqual([{ code: WARNING, message: expect.stringMatching(/^EC CA key \(root CA EC-P384, issuing CA EC-P384\): .*ECDSA.*node-forge.*reject every certificate/) }]);
    // a retired or compromised CA issues nothing more: it alone calls for no warning
    expect(communityWarnings([{ role: 'issuing', status: 'retired', keyType: 'EC-P256' }, { role: 'root', status: 'active', keyType: 'RSA-4096' }])).toEqual([]);
    expect(communityWarnings([{ role: 'issuing', status: 'awaiting-certificate', keyType: 'EC-P256' }])).toHaveLength(1);
  });

  it('refuses an EC offline root for an RSA-chain community and leaves the CA awaiting; installs an RSA root', async () => {
    const c = await createCommunity(p, { name: 'Strict Offline', uri: `udap://strict-offline.${host}/`, caKeyType: 'RSA-2048', offlineRoot: true, policy: { requireRsaChain: true } }, operator);
    const csr = toPem(c.issuing.csrDer!, 'CERTIFICATE REQUEST');
    const ecRoot = opensslRoot(dir, { ec: 'P-384' });
    const err = await expectDomainError(
      installIssuingCaCertificate(p, { caId: c.issuing.id, certificate: ecRoot.sign(csr), rootCertificate: ecRoot.certPem }, operator),
      'key-policy',
      /the root certificate key is EC-P384; the community policy requireRsaChain allows only RSA CA keys/,
    );
    expect(err.details.errors).toEqual([{ field: 'rootCertificatePem', message: expect.stringMatching(/^is EC-P384; /) }]);
    expect((await p.db.cas.find(c.issuing.id))!.status).toBe('awaiting-certificate');
    expect((await p.db.cas.ofCommunity(c.community.id)).map((x) => x.role)).toEqual(['issuing']);

    const rsaRoot = opensslRoot(dir);
    const out = await installIssuingCaCertificate(p, { caId: c.issuing.id, certificate: rsaRoot.sign(csr), rootCertificate: rsaRoot.certPem }, operator);
    expect(out.ca.status).toBe('active');
    expect(out.warnings).toEqual([]);
  });

  it('installs an EC offline root where the policy is silent, with a warning, and the community view warns from then on', async () => {
    const c = await createCommunity(p, { name: 'Mixed Offline', uri: `udap://mixed-offline.${host}/`, caKeyType: 'RSA-2048', offlineRoot: true }, operator);
    expect(communityView(c.community, [c.issuing]).warnings).toEqual([]);
    const ecRoot = opensslRoot(dir, { ec: 'P-256' });
    const out = await installIssuingCaCertificate(
      p, { caId: c.issuing.id, certificate: ecRoot.sign(toPem(c.issuing.csrDer!, 'CERTIFICATE REQUEST')), rootCertificate: ecRoot.certPem }, operator,
    );
    expect(out.ca.status).toBe('active');
    expect(out.root.keyType).toBe('EC-P256');
    expect(out.warnings).toEqual([expect.stringMatching(/^root certificate key is EC-P256: the issuing CA's certificate carries an ECDSA signature.*node-forge/)]);
    const view = communityView(c.community, await p.db.cas.ofCommunity(c.community.id));
    expect(view.warnings).toEqual([{ code: WARNING, message: expect.stringMatching(/^EC CA key \(root CA EC-P256\): /) }]);
  });
});
