// Endpoint control: before (or after) approval an operator may ask for proof that the member runs a
// server SAN URI. The platform issues a token; the member publishes it as the whole body of
// <uri>/.well-known/anchorage-endpoint-check; the platform fetches it (endpoint-prober.ts) and records
// whether it matched. Each check and its outcome is audited.
import { randomBytes } from 'node:crypto';
import type { EndpointCheckView } from '@anchorage/contracts';
import type { EndpointCheckRecord, OrganizationRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';

/** Where the token is published under a SAN URI. */
export const ENDPOINT_CHECK_PATH = '.well-known/anchorage-endpoint-check';

/** The URL the platform fetches for `uri`. */
export function endpointCheckUrl(uri: string): string {
  return `${uri.replace(/\/+$/, '')}/${ENDPOINT_CHECK_PATH}`;
}

/** The API's view of a check. */
export function endpointCheckView(c: EndpointCheckRecord): EndpointCheckView {
  return {
    organizationId: c.organizationId, uri: c.uri, token: c.token, publishAt: endpointCheckUrl(c.uri), status: c.status,
    checkedAt: c.checkedAt?.toISOString() ?? null, verifiedAt: c.verifiedAt?.toISOString() ?? null, lastError: c.lastError,
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
    await tx.appendAudit({ at: now, actor: actor.id, action: 'endpoint.check-started', subjectType: 'organization', subjectId: org.id, data: { uri: u } });
    return c;
  });
}

/** Fetches the published token and records whether it matched (a failed check is an outcome, not an error). */
export async function runEndpointCheck(deps: Pick<AuthorityDeps, 'db' | 'clock' | 'endpointProber'>, org: OrganizationRecord, uri: unknown, actor: Actor): Promise<EndpointCheckRecord> {
  const u = checkableUri(org, uri);
  const check = await deps.db.onboarding.findEndpointCheck(org.id, u);
  if (!check) throw new DomainError('conflict', `no endpoint check was started for ${u}; start one to get the token to publish`);
  let error: string | null = null;
  try {
    const body = await deps.endpointProber.fetchToken(endpointCheckUrl(u));
    if (body !== check.token) error = `${endpointCheckUrl(u)} does not hold the expected token (it answered ${JSON.stringify(body.slice(0, 80))})`;
  } catch (err) {
    error = (err as Error).message;
  }
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (!(await tx.onboarding.recordEndpointCheck(org.id, u, check.token, { ok: error === null, error, now }))) {
      throw new DomainError('conflict', `the check of ${u} was restarted meanwhile; publish the new token and check again`);
    }
    await tx.appendAudit({
      at: now, actor: actor.id, action: error === null ? 'endpoint.verified' : 'endpoint.check-failed', subjectType: 'organization', subjectId: org.id,
      data: { uri: u, ...(error ? { error } : {}) },
    });
  });
  return (await deps.db.onboarding.findEndpointCheck(org.id, u))!;
}
