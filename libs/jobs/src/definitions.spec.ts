import { BULK_REVOKE, CRL_PUBLISH, CRL_REFRESH, JOBS, outboxEntry, schedules } from './definitions';

describe('job definitions', () => {
  it('validates CRL refresh payloads', () => {
    expect(CRL_REFRESH.parse({ reason: 'startup' })).toEqual({ reason: 'startup' });
    expect(() => CRL_REFRESH.parse({ reason: 'whenever' })).toThrow(/schedule \| startup \| manual/);
    expect(() => CRL_REFRESH.parse(null)).toThrow();
  });

  it('derives the schedule table from settings', () => {
    const [s, e] = schedules({ crlRefreshSeconds: 600, expiryScanSeconds: 86400 });
    expect(s).toMatchObject({ id: 'crl-refresh', everyMs: 600_000, payload: { reason: 'schedule' } });
    expect(s.job.queue).toBe('anchorage-crl');
    expect(e).toMatchObject({ id: 'expiry-scan', everyMs: 86_400_000, payload: { reason: 'schedule' } });
    expect(e.job.queue).toBe('anchorage-notices');
  });

  it('derives outbox entries and job ids from the subject', () => {
    const id = '0b7c6f1e-3f4a-4d8e-9a51-2c3d4e5f6a7b';
    expect(outboxEntry(BULK_REVOKE, { bulkRevocationId: id })).toEqual({
      jobId: `bulk-revoke.${id}`, queue: 'anchorage-revocation', name: 'bulk-revoke', payload: { bulkRevocationId: id },
    });
    expect(() => outboxEntry(BULK_REVOKE, { bulkRevocationId: 'not-a-uuid' })).toThrow(/bulkRevocationId: a UUID/);
    // parse keeps only the schema's fields, so nothing unexpected reaches Redis
    expect(BULK_REVOKE.parse({ bulkRevocationId: id, extra: 1 })).toEqual({ bulkRevocationId: id });
    expect(Object.keys(JOBS).sort()).toEqual(['bulk-revoke', 'crl-publish', 'crl-refresh', 'expiry-scan', 'notice-deliver']);
    expect(CRL_PUBLISH.jobId(CRL_PUBLISH.parse({ caId: id, crlNumber: '12' }))).toBe(`crl-publish.${id}.12`);
    expect(() => CRL_PUBLISH.parse({ caId: id, crlNumber: 12 })).toThrow(/decimal string/);
    expect(() => CRL_PUBLISH.parse({ caId: id, crlNumber: '0' })).toThrow(/positive/);
  });
});
