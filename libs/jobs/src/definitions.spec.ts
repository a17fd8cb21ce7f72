import { CRL_REFRESH, schedules } from './definitions';

describe('job definitions', () => {
  it('validates CRL refresh payloads', () => {
    expect(CRL_REFRESH.parse({ reason: 'startup' })).toEqual({ reason: 'startup' });
    expect(() => CRL_REFRESH.parse({ reason: 'whenever' })).toThrow(/schedule \| startup \| manual/);
    expect(() => CRL_REFRESH.parse(null)).toThrow();
  });

  it('derives the schedule table from settings', () => {
    const [s] = schedules({ crlRefreshSeconds: 600 });
    expect(s).toMatchObject({ id: 'crl-refresh', everyMs: 600_000, payload: { reason: 'schedule' } });
    expect(s.job.queue).toBe('anchorage-crl');
  });
});
