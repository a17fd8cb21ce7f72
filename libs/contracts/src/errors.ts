/** Stable error codes shared by the authority, the API's problem documents and the CLI. */
export const ErrorCode = {
  validation: 'validation',
  notFound: 'not-found',
  conflict: 'conflict',
  sanTaken: 'san-taken',
  badCsr: 'bad-csr',
  badCertificate: 'bad-certificate',
  keyPolicy: 'key-policy',
  sanInvalid: 'san-invalid',
  lint: 'lint-failed',
  alreadyRevoked: 'already-revoked',
  notRevoked: 'not-revoked',
  reasonNotAllowed: 'reason-not-allowed',
  caNotActive: 'ca-not-active',
  externalCa: 'external-ca',
  idempotencyMismatch: 'idempotency-mismatch',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  tooManyRequests: 'too-many-requests',
  identityUnavailable: 'identity-unavailable',
  organizationInactive: 'organization-inactive',
  invalidTransition: 'invalid-transition',
  profileChanged: 'profile-changed',
  invitationInvalid: 'invitation-invalid',
  mailFailed: 'mail-failed',
  endpointUnverified: 'endpoint-unverified',
  publicationFailed: 'publication-failed',
  signer: 'signer-error',
  queueUnavailable: 'queue-unavailable',
  webhookFailed: 'webhook-failed',
} as const;
/** A domain error code. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** RFC 7807 problem document as served by the API. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: ErrorCodeValue;
  errors?: { field: string; message: string }[];
}
