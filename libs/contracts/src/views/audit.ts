// The audit log as the API answers it: events and the verification of the hash chain. The problem
// codes are declared in wire.ts (AuditProblemCode, AuditProblem); the schemas here are checked against
// them both ways at compile time (api-responses.spec.ts).
import { z } from 'zod';
import { timestamp, view } from './common';

/** Why an audit-chain verification failed (the codes of AuditProblemCode). */
export const auditProblemCodeSchema = z.enum([
  'link-broken', 'edited', 'truncated', 'missing-event', 'hash-mismatch', 'count-mismatch', 'bad-signature', 'bad-checkpoint', 'not-linked',
]);

/** The first thing found wrong (AuditProblem). */
export const auditProblemSchema = view({ seq: z.string().nullable(), code: auditProblemCodeSchema, message: z.string() });

/** One audit event: its insertion number, and its place in the hash chain and links once the sequencer linked it (null until then). */
export const auditEventViewSchema = view({
  seq: z.string(),
  chainSeq: z.string().nullable(),
  at: timestamp,
  actor: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  data: z.record(z.unknown()),
  prevHash: z.string().nullable(),
  hash: z.string().nullable(),
});
/** One audit event (GET /api/v1/audit/events). */
export type AuditEventView = z.infer<typeof auditEventViewSchema>;

/** A signed checkpoint the chain was checked against. */
export const checkedCheckpointViewSchema = view({
  source: z.enum(['supplied', 'stored', 'published']),
  seq: z.string(),
  hash: z.string(),
  count: z.string(),
  signedAt: timestamp,
  keyId: z.string(),
});
/** A signed checkpoint the chain was checked against. */
export type CheckedCheckpointView = z.infer<typeof checkedCheckpointViewSchema>;

/** What checking the audit hash chain found (GET /api/v1/audit/verify). */
export const auditVerificationViewSchema = view({
  ok: z.boolean(),
  checked: z.number().int(),
  lastSeq: z.string().nullable(),
  lastHash: z.string(),
  problem: auditProblemSchema.optional(),
  /** The signed checkpoints checked; none means deleting the newest events could not have been noticed. */
  checkpoints: z.array(checkedCheckpointViewSchema),
  /** Committed events not linked into the chain yet (not checked), and how many of them for longer than the sequencer's bound. */
  unlinked: view({ count: z.number().int(), overdue: z.number().int() }),
});
/** What checking the audit hash chain found (GET /api/v1/audit/verify). */
export type AuditVerificationView = z.infer<typeof auditVerificationViewSchema>;
