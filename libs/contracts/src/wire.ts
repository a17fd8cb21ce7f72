// The wire views the API answers with and the console reads: each is a zod schema (views/*), checked
// against every response in test deployments, and its TypeScript type is inferred from it, so the
// schema is the one definition. The audit problem codes below are plain types; their schemas
// (views/audit.ts) are checked against them at compile time.
export * from './views/communities';
export * from './views/organizations';
export * from './views/certificates';
export * from './views/identity';
export * from './views/operations';
export * from './views/audit';
export * from './views/certifications';
export * from './views/revocation-notices';
export * from './views/conformance';
export * from './views/test-kits';
export * from './views/reports';

/** Why an audit-chain verification failed. */
export type AuditProblemCode =
  | 'link-broken' | 'edited' | 'truncated' | 'missing-event' | 'hash-mismatch' | 'count-mismatch' | 'bad-signature' | 'bad-checkpoint'
  /** Committed events the sequencer has not linked into the chain for longer than its bound (no sequencer running?). */
  | 'not-linked';

/** The first thing found wrong: at event `seq` (for a checkpoint, the event it names; null when a checkpoint cannot be read at all). */
export interface AuditProblem {
  seq: string | null;
  code: AuditProblemCode;
  message: string;
}
