import { createHash } from 'node:crypto';
import type { AuditInput } from './records';

/** The hash before the first audit event. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every level, so jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The canonical form of an event that its hash covers (everything but the chain links). */
export function auditBody(e: AuditInput): string {
  return canonicalJson({
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    data: e.data,
  });
}

/** SHA-256 over the previous hash and an event's canonical form (auditBody): the link of the chain. */
export function auditHashOfBody(prevHash: string, body: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** SHA-256 over the previous hash and the event's canonical form: the link of the chain. */
export function auditHash(prevHash: string, e: AuditInput): string {
  return auditHashOfBody(prevHash, auditBody(e));
}
