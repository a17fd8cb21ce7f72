import { AUDIT_CHECKPOINT, BULK_REVOKE, CONFORMANCE_ALERT, CONFORMANCE_CHECK, CRL_PUBLISH, CRL_REFRESH, JOBS, REVOCATION_NOTICE_DELIVER, REVOCATION_NOTICE_JOB_PREFIX, STATE_NOTICE_DELIVER, jobSubject, outboxEntry, schedules } from './definitions';

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

  it('schedules audit checkpoints every few minutes, and a look for enough new events unless turned off', () => {
    const on = schedules({ crlRefreshSeconds: 600, expiryScanSeconds: 86400, auditCheckpointSeconds: 300, auditCheckpointEvents: 500 });
    expect(on.find((s) => s.id === 'audit-checkpoint')).toMatchObject({ everyMs: 300_000, payload: { reason: 'schedule' }, job: { name: 'audit-checkpoint', queue: 'anchorage-publish' } });
    expect(on.find((s) => s.id === 'audit-checkpoint-events')).toMatchObject({ everyMs: 60_000, payload: { reason: 'events' } });
    const off = schedules({ crlRefreshSeconds: 600, expiryScanSeconds: 86400, auditCheckpointSeconds: 300, auditCheckpointEvents: 0 });
    expect(off.map((s) => s.id)).toEqual(['crl-refresh', 'expiry-scan', 'audit-checkpoint', 'conformance-scan']);
    expect(schedules({ crlRefreshSeconds: 600, expiryScanSeconds: 86400 }).find((s) => s.id === 'audit-checkpoint')!.everyMs).toBe(600_000);
    expect(AUDIT_CHECKPOINT.parse({ reason: 'events', extra: 1 })).toEqual({ reason: 'events' });
    expect(() => AUDIT_CHECKPOINT.parse({ reason: 'whenever' })).toThrow(/schedule \| startup \| manual \| events/);
    expect(AUDIT_CHECKPOINT.jobId({ reason: 'startup' })).toBe('audit-checkpoint.startup');
    expect(jobSubject('audit-checkpoint', { reason: 'schedule' })).toBeNull();
  });

  it('derives outbox entries and job ids from the subject', () => {
    const id = '0b7c6f1e-3f4a-4d8e-9a51-2c3d4e5f6a7b';
    expect(outboxEntry(BULK_REVOKE, { bulkRevocationId: id })).toEqual({
      jobId: `bulk-revoke.${id}`, queue: 'anchorage-revocation', name: 'bulk-revoke', payload: { bulkRevocationId: id },
    });
    expect(() => outboxEntry(BULK_REVOKE, { bulkRevocationId: 'not-a-uuid' })).toThrow(/bulkRevocationId: a UUID/);
    // parse keeps only the schema's fields, so nothing unexpected reaches Redis
    expect(BULK_REVOKE.parse({ bulkRevocationId: id, extra: 1 })).toEqual({ bulkRevocationId: id });
    expect(Object.keys(JOBS).sort()).toEqual([
      'audit-checkpoint', 'bulk-revoke', 'conformance-alert', 'conformance-check', 'conformance-scan', 'crl-publish', 'crl-refresh', 'expiry-scan', 'notice-deliver',
      'revocation-notice-deliver', 'state-notice-deliver',
    ]);
    expect(STATE_NOTICE_DELIVER.jobId(STATE_NOTICE_DELIVER.parse({ noticeId: id, organizationId: id }))).toBe(`state-notice.${id}`);
    expect(() => STATE_NOTICE_DELIVER.parse({ noticeId: id })).toThrow(/organizationId/);
    // a revocation notice's job id is built by the CRL transaction's SQL from the prefix: the definition must agree
    expect(REVOCATION_NOTICE_DELIVER.jobId(REVOCATION_NOTICE_DELIVER.parse({ deliveryId: id }))).toBe(`${REVOCATION_NOTICE_JOB_PREFIX}${id}`);
    expect(REVOCATION_NOTICE_DELIVER.subject({ deliveryId: id })).toEqual({ kind: 'revocation-delivery', id });
    expect(() => REVOCATION_NOTICE_DELIVER.parse({ deliveryId: 'nope' })).toThrow(/deliveryId: a UUID/);
    expect(CRL_PUBLISH.jobId(CRL_PUBLISH.parse({ caId: id, crlNumber: '12' }))).toBe(`crl-publish.${id}.12`);
    expect(() => CRL_PUBLISH.parse({ caId: id, crlNumber: 12 })).toThrow(/decimal string/);
    expect(() => CRL_PUBLISH.parse({ caId: id, crlNumber: '0' })).toThrow(/positive/);
  });

  it('names the record each job is about, and none for sweeps and for what it cannot read', () => {
    const id = '0b7c6f1e-3f4a-4d8e-9a51-2c3d4e5f6a7b';
    expect(jobSubject('bulk-revoke', { bulkRevocationId: id })).toEqual({ kind: 'bulk-revocation', id });
    expect(jobSubject('notice-deliver', { noticeId: id })).toEqual({ kind: 'notice', id });
    expect(jobSubject('crl-publish', { caId: id, crlNumber: '3' })).toEqual({ kind: 'ca', id });
    expect(jobSubject('crl-refresh', { reason: 'schedule' })).toBeNull();
    expect(jobSubject('expiry-scan', { reason: 'startup' })).toBeNull();
    expect(jobSubject('bulk-revoke', { bulkRevocationId: 'nope' })).toBeNull();
    expect(jobSubject('toString', {})).toBeNull();
    expect(jobSubject('made-up', { caId: id })).toBeNull();
  });

  it('schedules the conformance scan hourly by default, and names each check and alert job by its subject', () => {
    const id = '0b7c6f1e-3f4a-4d8e-9a51-2c3d4e5f6a7b';
    const org = '1c8d7a2f-4a5b-4e9f-8b62-3d4e5f6a7b8c';
    expect(schedules({ crlRefreshSeconds: 600, expiryScanSeconds: 86400 }).find((s) => s.id === 'conformance-scan')).toMatchObject({
      everyMs: 3_600_000, payload: { reason: 'schedule' }, job: { name: 'conformance-scan', queue: 'anchorage-conformance' },
    });
    expect(schedules({ crlRefreshSeconds: 600, expiryScanSeconds: 86400, conformanceScanSeconds: 900 }).find((s) => s.id === 'conformance-scan')!.everyMs).toBe(900_000);
    const check = outboxEntry(CONFORMANCE_CHECK, { endpointId: id, organizationId: org, lease: '1780000000000' });
    expect(check).toEqual({ jobId: `conformance-check.${id}.1780000000000`, queue: 'anchorage-conformance', name: 'conformance-check', payload: { endpointId: id, organizationId: org, lease: '1780000000000' } });
    expect(() => CONFORMANCE_CHECK.parse({ endpointId: id, organizationId: org, lease: 'soon' })).toThrow(/lease/);
    expect(jobSubject('conformance-check', check.payload)).toEqual({ kind: 'organization', id: org });
    expect(outboxEntry(CONFORMANCE_ALERT, { alertId: id, organizationId: org }).jobId).toBe(`conformance-alert.${id}`);
    expect(jobSubject('conformance-alert', { alertId: id, organizationId: org })).toEqual({ kind: 'organization', id: org });
    expect(jobSubject('conformance-scan', { reason: 'schedule' })).toBeNull();
  });
});
