// Examples of an audit event and a verification of the chain.
import type { AuditEventView, AuditVerificationView } from '../wire';
import { ids, operatorActor } from './shared';

export const auditEventExample: AuditEventView = {
  seq: '1207',
  chainSeq: '1207',
  at: '2026-03-05T11:00:00.000Z',
  actor: operatorActor,
  action: 'organization.suspended',
  subjectType: 'organization',
  subjectId: ids.organization,
  data: { reason: 'Contract ended', bulkRevocationId: ids.bulk },
  prevHash: '0c7d1e9a5b3f2e8d4c6a1b0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
  hash: '8b1f6e2d9c4a7b3e0f5d8c1a6b9e2f4d7c0a3b5e8f1d4c6a9b2e5f8d1c4a7b0e',
};

export const auditVerificationExample: AuditVerificationView = {
  ok: true,
  checked: 1207,
  lastSeq: '1207',
  lastHash: auditEventExample.hash!,
  checkpoints: [{
    source: 'stored', seq: '1200', hash: 'f3a9c1e7b5d2f8a4c6e0b9d3f7a1c5e9b2d6f0a4c8e3b7d1f5a9c2e6b0d4f8a1', count: '1200',
    signedAt: '2026-03-05T10:50:00.000Z', keyId: 'audit-2026-01',
  }],
  unlinked: { count: 0, overdue: 0 },
};
