// Where domain error codes meet HTTP: the status of each code, and the title of each status (problem
// documents, and the problem responses the OpenAPI document states for each route).
import type { ErrorCodeValue } from '@anchorage/contracts';

/** HTTP status for each domain error code: the single place codes meet HTTP. */
export const STATUS: Record<ErrorCodeValue, number> = {
  validation: 400,
  'bad-csr': 400,
  'bad-certificate': 422,
  'key-policy': 422,
  'san-invalid': 422,
  'lint-failed': 422,
  'reason-not-allowed': 403,
  'not-found': 404,
  conflict: 409,
  'san-taken': 409,
  'already-revoked': 409,
  'not-revoked': 409,
  'ca-not-active': 409,
  'external-ca': 409,
  'idempotency-mismatch': 409,
  unauthorized: 401,
  forbidden: 403,
  'too-many-requests': 429,
  'identity-unavailable': 503,
  'organization-inactive': 409,
  'invalid-transition': 409,
  'profile-changed': 409,
  'invitation-invalid': 410,
  'mail-failed': 502,
  'endpoint-unverified': 409,
  'publication-failed': 503,
  'signer-error': 503,
  'queue-unavailable': 503,
  'webhook-failed': 502,
  'certification-invalid': 422,
};

/** The title of a problem document of each status. */
export const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};
