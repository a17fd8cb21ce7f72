// How an audit export writes events: CSV (RFC 4180) or JSON lines, one event view per row or line.
import type { AuditEventView } from '@anchorage/contracts';

/** An audit event as the API shows it (GET /api/v1/audit/events). */
export interface AuditEventLike {
  seq: bigint; chainSeq: bigint | null; at: Date; actor: string; action: string; subjectType: string; subjectId: string;
  data: Record<string, unknown>; prevHash: string | null; hash: string | null;
}

/** The API's view of an audit event: numbers as decimal strings, times in ISO 8601. */
export function auditEventView(e: AuditEventLike): AuditEventView {
  return {
    seq: e.seq.toString(), chainSeq: e.chainSeq?.toString() ?? null, at: e.at.toISOString(), actor: e.actor, action: e.action,
    subjectType: e.subjectType, subjectId: e.subjectId, data: e.data, prevHash: e.prevHash, hash: e.hash,
  };
}

/** The CSV columns, in order (the payload as its JSON text). */
export const AUDIT_CSV_COLUMNS = ['seq', 'chainSeq', 'at', 'actor', 'action', 'subjectType', 'subjectId', 'data', 'prevHash', 'hash'] as const;

/**
 * One CSV cell: quoted when it holds a comma, quote, CR or LF (quotes doubled, RFC 4180); a cell a
 * spreadsheet would read as a formula (starting with = + - @, or a tab or CR) gets a leading apostrophe.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The header row of the CSV export, CRLF-terminated. */
export function auditCsvHeader(): string {
  return `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
}

/** One event as a CSV row, CRLF-terminated. */
export function auditCsvRow(e: AuditEventView): string {
  return `${AUDIT_CSV_COLUMNS.map((c) => csvCell(c === 'data' ? JSON.stringify(e.data) : e[c])).join(',')}\r\n`;
}

/** One event as a JSON line. */
export function auditJsonLine(e: AuditEventView): string {
  return `${JSON.stringify(e)}\n`;
}
