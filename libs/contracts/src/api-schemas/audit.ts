// Queries of the audit routes: the list, its export, and the chain's verification.
import { z } from 'zod';
import { jsonObject, jsonParam, param, range, sort, withoutEmpty } from './query';

const auditText = param().min(1, 'must be 1 to 200 characters').max(200, 'must be 1 to 200 characters');
const AUDIT_TIME = 'must be an ISO 8601 time (2026-03-05T10:00:00Z) or date (2026-03-05)';
/** A bound of the audit list's date range: an ISO 8601 time with its offset, or a date (midnight UTC). */
const auditTime = z.string({ invalid_type_error: AUDIT_TIME })
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, AUDIT_TIME)
  .refine((v) => !Number.isNaN(Date.parse(v)), AUDIT_TIME);
const auditFilterText = z.string({ invalid_type_error: 'must be text' }).min(1, 'must be 1 to 200 characters').max(200, 'must be 1 to 200 characters');
/** The audit list's filter (GET /audit/events and its export). */
export const auditListFilter = z.object({
  actor: auditFilterText.optional(),
  action: auditFilterText.optional(),
  subjectType: auditFilterText.optional(),
  subjectId: auditFilterText.optional(),
  from: auditTime.optional(),
  to: auditTime.optional(),
  q: auditFilterText.optional(),
}).strict();
export type AuditListFilterParams = z.infer<typeof auditListFilter>;

/** GET /audit/events. */
export const auditEventsQuery = z.object({
  after: param().regex(/^\d{1,18}$/, 'must be a sequence number (a whole number of up to 18 digits)').transform(BigInt).optional()
    .describe('Only events after this sequence number (default 0)'),
  limit: param().regex(/^\d{1,4}$/, 'must be a whole number from 1 to 1000').transform(Number)
    .refine((n) => n >= 1 && n <= 1000, 'must be a whole number from 1 to 1000').optional()
    .describe('At most this many events, 1 to 1000 (default 100)'),
  subjectId: auditText.optional().describe('Only events about this subject'),
  subjectType: auditText.optional().describe('Only events about subjects of this type (e.g. certificate)'),
  actor: auditText.optional().describe('Only events of this actor'),
  action: auditText.optional().describe('Only events of this action; a prefix when it ends in "." (e.g. organization.)'),
  filter: jsonParam(jsonObject.transform(withoutEmpty).pipe(auditListFilter), 'filter={"action":"certificate."}').optional()
    .describe('JSON object with any of: actor, action (a prefix), subjectType, subjectId, from, to (ISO 8601 times or dates; from inclusive, to exclusive), q (text in the action, actor, subject id or payload). With filter, range or sort the list is newest first by default and answers Content-Range; after and limit go without them'),
  range: jsonParam(range, 'range=[0,24]').optional().describe('JSON [first, last]: the page, 0-based and inclusive (default [0,24]; at most 500 events)'),
  sort: jsonParam(sort, 'sort=["seq","DESC"]').optional().describe('JSON ["seq" | "at", "ASC" | "DESC"] (default ["seq","DESC"]: newest first)'),
}).strict();
export type AuditEventsQuery = z.infer<typeof auditEventsQuery>;

/** GET /audit/events/export. */
export const auditExportQuery = z.object({
  format: z.enum(['csv', 'jsonl'], { errorMap: () => ({ message: 'must be csv or jsonl' }) }).describe('csv (RFC 4180, one header row) or jsonl (one event view per line)'),
  filter: jsonParam(jsonObject.transform(withoutEmpty).pipe(auditListFilter), 'filter={"action":"certificate."}').optional()
    .describe('JSON object with any of: actor, action (a prefix), subjectType, subjectId, from, to, q, as for the list'),
  sort: jsonParam(sort, 'sort=["seq","DESC"]').optional().describe('JSON ["seq" | "at", "ASC" | "DESC"] (default ["seq","DESC"]: newest first)'),
}).strict();
export type AuditExportQuery = z.infer<typeof auditExportQuery>;

/** GET /audit/verify. */
export const auditVerifyQuery = z.object({
  // a compact JWS (RFC 7515 §7.1): three base64url parts
  checkpoint: param().max(4096, 'must be a compact JWS (audit/checkpoint.jws as published) of at most 4096 characters')
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be a compact JWS (audit/checkpoint.jws as published)').optional()
    .describe('A compact JWS audit checkpoint kept by the caller (audit/checkpoint.jws): the log must still hold the event it names'),
}).strict();
export type AuditVerifyQuery = z.infer<typeof auditVerifyQuery>;
