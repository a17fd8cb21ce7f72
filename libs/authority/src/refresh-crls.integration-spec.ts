import { randomUUID } from 'node:crypto';
import { createMigratedDatabase, type FreshDatabase } from '@anchorage/db';
import { FakeClock, testDatabaseUrl, testPlatformOptions } from '@anchorage/testing';
import { createCommunity } from './create-community';
import { openPlatform, type Platform } from './platform';
import { refreshStaleCrls, type RefreshResult } from './refresh-crls';

// A database of its own: a sweep covers every CA, and other test files' CAs use other key stores.
describe('refreshStaleCrls', () => {
  const clock = new FakeClock(new Date());
  let p: Platform;
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_refresh`.slice(0, 63));
    p = await openPlatform({ ...testPlatformOptions(), databaseUrl: fresh.url, clock });
  });
  afterAll(async () => {
    await p.close();
    await fresh.drop();
  });

  it('leaves fresh CRLs alone and regenerates them past half their lifetime, never letting one lapse', async () => {
    const c = await createCommunity(p, { name: 'Refresh', uri: `udap://refresh-${randomUUID()}/`, caKeyType: 'EC-P256', policy: { crlLifetimeSeconds: 86400 } }, { id: 'op', role: 'operator' });
    const first: RefreshResult[] = await refreshStaleCrls(p, { id: 'worker', role: 'system' });
    expect(first.map((r) => [r.caId, r.action])).toEqual([[c.root.id, 'fresh'], [c.issuing.id, 'fresh']]);
    // simulate a worker that wakes up every 6 hours for 5 days: the served CRL never expires
    for (let i = 0; i < 20; i++) {
      clock.advance(6 * 3600_000);
      const sweep = await refreshStaleCrls(p, { id: 'worker', role: 'system' });
      expect(sweep.filter((r) => r.action === 'failed')).toEqual([]);
      for (const ca of [c.root, c.issuing]) {
        const served = p.repository.crl(ca.id)!;
        expect(served.expires!.getTime()).toBeGreaterThan(clock.now().getTime() + 86400_000 / 2 - 6 * 3600_000);
      }
    }
    const latest = await p.db.crls.latest(c.issuing.id, false);
    expect(latest!.crlNumber).toBeGreaterThanOrEqual(5n);
  });
});
