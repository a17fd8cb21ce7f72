/** RFC 5280 §5.3.1 CRLReason codes, the single revocation-reason enum of the platform. */
export const RevocationReason = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

/** Name of an RFC 5280 revocation reason. */
export type RevocationReasonName = keyof typeof RevocationReason;

/** Reasons a member (subscriber) may claim for their own certificate. */
export const SUBSCRIBER_REASONS: readonly RevocationReasonName[] = [
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
];

/**
 * Reasons an operator may set. removeFromCRL is never set directly: it is the effect of
 * releasing a hold (RFC 5280 §5.3.1), and aACompromise does not apply to X.509 public-key certificates.
 */
export const OPERATOR_REASONS: readonly RevocationReasonName[] = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
];

/** Returns true when `name` is one of the RFC 5280 reason names. */
export function isRevocationReasonName(name: string): name is RevocationReasonName {
  return Object.prototype.hasOwnProperty.call(RevocationReason, name);
}

/** Reverse lookup: RFC 5280 code to reason name. */
export function revocationReasonName(code: number): RevocationReasonName {
  const hit = (Object.keys(RevocationReason) as RevocationReasonName[]).find((k) => RevocationReason[k] === code);
  if (!hit) throw new RangeError(`unknown CRLReason code ${code}`);
  return hit;
}

/**
 * Reasons a bulk revocation may give every certificate of a suspended organization or a retired or
 * compromised CA (the database CHECK mirrors it). Not certificateHold: a bulk revocation is for good.
 */
export const BULK_REASONS: readonly RevocationReasonName[] = [
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
];
