import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '@anchorage/db';
import { tempDir, testDatabaseUrl } from '@anchorage/testing';
import { PublicRepository } from './public-repository';

// Two worker instances (two repositories, two pools) write one publish directory while CRLs are
// committed; the file always ends as the newest CRL, and memory never goes back either.
describe('PublicRepository publish directory', () => {
  const dir = tempDir('anchorage-publish-');
  let a: Database;
  let b: Database;
  beforeAll(() => {
    a = Database.open(testDatabaseUrl(), 2);
    b = Database.open(testDatabaseUrl(), 2);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('writes the newest committed CRL, CA certificate and trust bundle, and never goes backwards', async () => {
    const communityId = randomUUID();
    await a.communities.create({ id: communityId, uri: `udap://publish-${communityId}/`, name: 'Publish', allowedLeafKeyTypes: ['RSA-2048'], maxLeafValidityDays: 30, crlLifetimeSeconds: 86400, allowGeneratedKeys: false, requireEndpointControl: false, autoApproveVerified: false });
    const caId = randomUUID();
    await a.cas.create({
      id: caId, communityId, role: 'root', status: 'active', parentId: null, subjectDer: new Uint8Array([0x30, 0]), subject: 'CN=x',
      keyType: 'RSA-2048', keyRef: 'soft:x', spkiDer: new Uint8Array([1]), certificateDer: Buffer.from('not really a certificate'), csrDer: null, notBefore: null, notAfter: null,
    });
    const crl = (n: bigint) => ({ id: randomUUID(), caId, crlNumber: n, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + 86400_000), entryCount: 0, sha256: `sha-${n}`, der: Buffer.from(`crl number ${n}`) });
    const fresh = new PublicRepository(a, dir);
    const stale = new PublicRepository(b, dir);
    await a.crls.generate(caId, (g) => g.storeCrl(crl(1n)));
    expect(await fresh.writeToDirectory(caId)).toEqual({ written: [`ca/${caId}.cer`, `communities/${communityId}/trust-bundle.pem`, `crl/${caId}.crl`], crlNumber: 1n });
    expect(readFileSync(join(dir, 'crl', `${caId}.crl`), 'utf8')).toBe('crl number 1');
    expect(readFileSync(join(dir, 'ca', `${caId}.cer`), 'utf8')).toBe('not really a certificate');
    expect(readFileSync(join(dir, 'communities', communityId, 'trust-bundle.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);

    // CRL 2 commits; two publication jobs race (one of them queued for CRL 1): the file ends as 2
    await a.crls.generate(caId, (g) => g.storeCrl(crl(2n)));
    const [x, y] = await Promise.all([fresh.writeToDirectory(caId), stale.writeToDirectory(caId)]);
    expect([x.crlNumber, y.crlNumber]).toEqual([2n, 2n]);
    expect(readFileSync(join(dir, 'crl', `${caId}.crl`), 'utf8')).toBe('crl number 2');

    // memory: an instance told late about an older CRL keeps the newer one
    expect(fresh.acceptCrl(caId, crl(2n))).toBe(true);
    expect(fresh.acceptCrl(caId, crl(1n))).toBe(false);
    expect(fresh.crl(caId)!.version).toBe(2n);
    // no directory configured: nothing written, nothing fails
    expect(await new PublicRepository(a, null).writeToDirectory(caId)).toEqual({ written: [], crlNumber: null });
  });
});
