// Endpoint control: before (or after) approval an operator may ask for proof that the member runs a
// server SAN URI. The platform issues a token; the member publishes it as the whole body of
// <uri>/.well-known/anchorage-endpoint-check; the platform fetches it (endpoint-prober.ts) and records
// whether it matched. Each check and its outcome is audited. A failure is recorded, audited and shown
// as a fixed code (ENDPOINT_CHECK_FAILURES in @anchorage/contracts), never with what the server said.
import { randomBytes } from 'node:crypto';
import { isEndpointCheckFailure, type EndpointCheckFailure, type EndpointCheckView } from '@anchorage/contracts';
import type { EndpointCheckRecord, OrganizationRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { OutboundError } from '../outbound-http';

/** Where the token is published under a SAN URI. */
export const ENDPOINT_CHECK_PATH = '.well-known/anchorage-endpoint-check';

/**
 * The URL the platform fetches for `uri`: the well-known path under the URI's path (RFC 8615 puts it at
 * the root; UDAP servers share hosts, so it goes under each SAN URI), without the URI's query, fragment
 * or credentials, so a member does not choose what else the request carries.
 */
export function endpointCheckUrl(uri: string): string {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return `${uri.replace(/\/+$/, '')}/${ENDPOINT_CHECK_PATH}`;
  }
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}/${ENDPOINT_CHECK_PATH}`;
}

/** The API's view of a check. */
export function endpointCheckView(c: EndpointCheckRecord): EndpointCheckView {
  return {
    organizationId: c.organizationId, uri: c.uri, token: c.token, publishAt: endpointCheckUrl(c.uri), status: c.status,
    checkedAt: c.checkedAt?.toISOString() ?? null, verifiedAt: c.verifiedAt?.toISOString() ?? null,
    // records from before the codes held the server's answer: never shown
    lastError: c.lastError === null ? null : isEndpointCheckFailure(c.lastError) ? c.lastError : 'unknown',
  };
}

function checkableUri(org: OrganizationRecord, uri: unknown): string {
  const candidates = new Set([...org.sanUris, ...(org.profile.requestedSanUris ?? [])]);
  if (typeof uri !== 'string' || !candidates.has(uri)) {
    throw new DomainError('validation', `uri must be one of the organization's SAN URIs (bound or requested): ${[...candidates].join(', ') || 'none yet'}`, { field: 'uri' });
  }
  return uri;
}

/** Starts (or restarts) the check of one of the organization's SAN URIs: a new token to publish. */
export async function startEndpointCheck(deps: Pick<AuthorityDeps, 'db' | 'clock'>, org: OrganizationRecord, uri: unknown, actor: Actor): Promise<EndpointCheckRecord> {
  const u = checkableUri(org, uri);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const c = await tx.onboarding.startEndpointCheck({ organizationId: org.id, uri: u, token: `anchorage-endpoint-check=${randomBytes(24).toString('base64url')}`, requestedBy: actor.id, now });
    await tx.audit.append({ at: now, actor: actor.id, action: 'endpoint.check-started', subjectType: 'organization', subjectId: org.id, data: { uri: u } });
    return c;
  });
}

/** Fetches the published token and records whether it matched (a failed check is an outcome, not an error). */
export async function runEndpointCheck(deps: Pick<AuthorityDeps, 'db' | 'clock' | 'endpointProber'>, org: OrganizationRecord, uri: unknown, actor: Actor): Promise<EndpointCheckRecord> {
  const u = checkableUri(org, uri);
  const check = await deps.db.onboarding.findEndpointCheck(org.id, u);
  if (!check) throw new DomainError('conflict', `no endpoint check was started for ${u}; start one to get the token to publish`);
  let error: EndpointCheckFailure | null = null;
  try {
    if ((await deps.endpointProber.fetchToken(endpointCheckUrl(u))) !== check.token) error = 'bad-token';
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    error = err.code;
  }
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (!(await tx.onboarding.recordEndpointCheck(org.id, u, check.token, { ok: error === null, error, now }))) {
      throw new DomainError('conflict', `the check of ${u} was restarted meanwhile; publish the new token and check again`);
    }
    await tx.audit.append({
      at: now, actor: actor.id, action: error === null ? 'endpoint.verified' : 'endpoint.check-failed', subjectType: 'organization', subjectId: org.id,
      data: { uri: u, ...(error ? { error } : {}) },
    });
  });
  return (await deps.db.onboarding.findEndpointCheck(org.id, u))!;
}
