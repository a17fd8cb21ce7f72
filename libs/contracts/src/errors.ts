import { z } from 'zod';

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
  certificationInvalid: 'certification-invalid',
} as const;
/** A domain error code. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The one error type of a refused or impossible operation, with a stable code: the authority's refusals,
 * the PKI library's (PkiError) and the signer's (SignerError, code signer-error) all are one, so the API
 * maps every one of them to its problem document in one place (a signer or HSM failure: 503, never 500).
 */
export class DomainError extends Error {
  constructor(
    public readonly code: ErrorCodeValue,
    message: string,
    public readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

/** RFC 7807 problem document as served by the API (every error, as application/problem+json). */
export const problemDocumentSchema = z.object({
  /** A URI naming the kind of problem (https://anchorage.dev/problems/<code>, or about:blank). */
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  /** The domain error code, where the problem has one. */
  code: z.enum(Object.values(ErrorCode) as [ErrorCodeValue, ...ErrorCodeValue[]]).optional(),
  /** Each bad input field, where the input did not have the route's shape. */
  errors: z.array(z.object({ field: z.string(), message: z.string() }).strict()).optional(),
}).strict();
/** RFC 7807 problem document as served by the API. */
export type ProblemDocument = z.infer<typeof problemDocumentSchema>;
