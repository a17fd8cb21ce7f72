import { randomUUID } from 'node:crypto';
import { FakeClock, testPlatformOptions } from '@anchorage/testing';
import { createCommunity } from './create-community';
import { openPlatform, type Platform } from './platform';
import { refreshStaleCrls, type RefreshResult } from './refresh-crls';

describe('refreshStaleCrls', () => {
  const clock = new FakeClock(new Date());
  let p: Platform;
  beforeAll(async () => {
    p = await openPlatform({ ...testPlatformOptions(), clock });
  });
  afterAll(() => p.close());

  it('leaves fresh CRLs alone and regenerates them past half their lifetime, never letting one lapse', async () => {
    const c = await createCommunity(p, { name: 'Refresh', uri: `udap://refresh-${randomUUID()}/`, caKeyType: 'EC-P256', policy: { crlLifetimeSeconds: 86400 } }, { id: 'op', role: 'operator' });
    const mine = (r: RefreshResult[]) => r.filter((x) => x.caId === c.root.id || x.caId === c.issuing.id);
    const first = mine(await refreshStaleCrls(p, { id: 'worker', role: 'system' }));
    expect(first.map((r) => r.action)).toEqual(['fresh', 'fresh']);
    // simulate a worker that wakes up every 6 hours for 5 days: the served CRL never expires
    for (let i = 0; i < 20; i++) {
      clock.advance(6 * 3600_000);
      await refreshStaleCrls(p, { id: 'worker', role: 'system' });
      for (const ca of [c.root, c.issuing]) {
        const served = p.repository.crl(ca.id)!;
        expect(served.expires!.getTime()).toBeGreaterThan(clock.now().getTime() + 86400_000 / 2 - 6 * 3600_000);
      }
    }
    const latest = await p.db.latestCrl(c.issuing.id, false);
    expect(latest!.crlNumber).toBeGreaterThanOrEqual(5n);
  });
});
