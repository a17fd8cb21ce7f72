// Validity periods (RFC 5280 §4.1.2.5) clamped to policy and to the issuer's own validity.
import { PkiError } from './errors';

/**
 * notBefore is backdated by this many seconds so relying parties whose clocks run slightly behind
 * accept a fresh certificate immediately.
 */
export const VALIDITY_BACKDATE_SECONDS = 60;

const DAY_MS = 86_400_000;

/** Inputs of validityWithin; `now` comes from the caller's clock. */
export interface ValidityRequest {
  requestedDays: number;
  /** Community policy maximum (e.g. maxLeafValidityDays). */
  maxDays: number;
  now: Date;
  issuerNotAfter: Date;
  /** When given, notBefore is never earlier than the issuer's notBefore (validity inside the issuer's). */
  issuerNotBefore?: Date;
}

/**
 * Returns { notBefore, notAfter }: notBefore = now − 60 s (not before the issuer's notBefore),
 * notAfter = now + min(requested, max) days, cut to the issuer's notAfter (UDAP profile: validity inside
 * the issuer's). Throws PkiError 'validation' when the issuer has already expired or inputs are invalid.
 */
export function validityWithin(req: ValidityRequest): { notBefore: Date; notAfter: Date } {
  const { requestedDays, maxDays, now, issuerNotAfter, issuerNotBefore } = req;
  for (const [name, v] of [['requestedDays', requestedDays], ['maxDays', maxDays]] as const) {
    if (!Number.isFinite(v) || v <= 0) throw new PkiError('validation', `${name} must be a positive number of days`);
  }
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs) || !Number.isFinite(issuerNotAfter.getTime())) throw new PkiError('validation', 'invalid date');
  if (issuerNotAfter.getTime() <= nowMs) {
    throw new PkiError('validation', `the issuing CA expired at ${issuerNotAfter.toISOString()}; it cannot issue`);
  }
  if (issuerNotBefore && issuerNotBefore.getTime() > nowMs) {
    throw new PkiError('validation', `the issuing CA is not valid before ${issuerNotBefore.toISOString()}`);
  }
  const seconds = (ms: number) => Math.floor(ms / 1000) * 1000; // DER times carry whole seconds
  let notBefore = seconds(nowMs - VALIDITY_BACKDATE_SECONDS * 1000);
  if (issuerNotBefore) notBefore = Math.max(notBefore, Math.ceil(issuerNotBefore.getTime() / 1000) * 1000);
  const days = Math.min(requestedDays, maxDays);
  const notAfter = Math.min(seconds(nowMs + days * DAY_MS), seconds(issuerNotAfter.getTime()));
  return { notBefore: new Date(notBefore), notAfter: new Date(notAfter) };
}
