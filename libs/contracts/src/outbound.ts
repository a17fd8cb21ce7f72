// Why a request the platform made to a member's server (an endpoint check, a webhook) failed. Members
// see a fixed code and its fixed text, never the server's answer or a connection error's detail: those
// would turn the platform into a scanner of whatever network it sits in (which ports are open, what
// an internal service says). The detail goes to the server log only.

/** The texts of the failures of an outbound request, by code. */
export const OUTBOUND_FAILURES = {
  'bad-url': 'The address is not an absolute http(s) URL without a user name or password.',
  'not-https': 'The address must be https://.',
  'dns-failure': 'The host name does not resolve.',
  'non-public-address': 'The host name or address is not a public internet address.',
  'connect-failed': 'The connection to the server could not be made or was cut off.',
  'tls-failed': 'The TLS handshake failed: the server needs a certificate valid for its host name from a publicly trusted CA.',
  timeout: 'The server did not answer in time.',
  'too-large': 'The answer is larger than allowed.',
  redirect: 'The server answered with a redirect; redirects are not followed.',
  'http-status': 'The server answered with an HTTP status other than the one expected (200 for an endpoint check, 2xx for a webhook).',
  'bad-response': 'The answer is not valid HTTP.',
} as const;

/** A failure of an outbound request. */
export type OutboundFailure = keyof typeof OUTBOUND_FAILURES;

/** The texts of the reasons an endpoint check fails: the outbound failures, a wrong token, and older records. */
export const ENDPOINT_CHECK_FAILURES = {
  ...OUTBOUND_FAILURES,
  'bad-token': 'The server answered, but not with the expected token as the whole body.',
  unknown: 'The check failed; run it again to see why.',
} as const;

/** Why an endpoint check failed. */
export type EndpointCheckFailure = keyof typeof ENDPOINT_CHECK_FAILURES;

/** Whether `code` is an outbound failure code. */
export function isOutboundFailure(code: unknown): code is OutboundFailure {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(OUTBOUND_FAILURES, code);
}

/** Whether `code` is an endpoint-check failure code. */
export function isEndpointCheckFailure(code: unknown): code is EndpointCheckFailure {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ENDPOINT_CHECK_FAILURES, code);
}
