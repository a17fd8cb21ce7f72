import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '@anchorage/db';
import { tempDir, testDatabaseUrl } from '@anchorage/testing';
import { PublicRepository } from './public-repository';

// Two application instances (two repositories, two pools) publish into one directory; an instance
// that is late with an older CRL must not overwrite the newer file.
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

  it('never lets a published CRL file go backwards', async () => {
    const communityId = randomUUID();
    await a.createCommunity({ id: communityId, uri: `udap://publish-${communityId}/`, name: 'Publish', allowedLeafKeyTypes: ['RSA-2048'], maxLeafValidityDays: 30, crlLifetimeSeconds: 86400, allowGeneratedKeys: false, requireEndpointControl: false, autoApproveVerified: false });
    const caId = randomUUID();
    await a.createCa({
      id: caId, communityId, role: 'issuing', status: 'awaiting-certificate', parentId: null, subjectDer: new Uint8Array([0x30, 0]), subject: 'CN=x',
      keyType: 'RSA-2048', keyRef: 'soft:x', spkiDer: new Uint8Array([1]), certificateDer: null, csrDer: null, notBefore: null, notAfter: null,
    });
    const crl = (n: bigint) => ({ id: randomUUID(), caId, crlNumber: n, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + 86400_000), entryCount: 0, sha256: `sha-${n}`, der: Buffer.from(`crl number ${n}`) });
    const first = crl(1n);
    const second = crl(2n);
    await a.withCrlGeneration(caId, (g) => g.storeCrl(first));
    await a.withCrlGeneration(caId, (g) => g.storeCrl(second));
    const fresh = new PublicRepository(a, dir);
    const stale = new PublicRepository(b, dir);
    await fresh.publishCrl(caId, second);
    await stale.publishCrl(caId, first); // late, older: accepted into its own memory, but not written
    expect(readFileSync(join(dir, 'crl', `${caId}.crl`), 'utf8')).toBe('crl number 2');
    expect(stale.crl(caId)!.version).toBe(1n);
    await stale.publishCrl(caId, second);
    expect(stale.crl(caId)!.version).toBe(2n);
    expect(readFileSync(join(dir, 'crl', `${caId}.crl`), 'utf8')).toBe('crl number 2');
  });
});
