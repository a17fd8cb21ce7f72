// An organization's webhook: where the platform posts signed expiry notices. The HMAC secret is
// generated here, shown once, and stored sealed under a KEK subkey bound to the organization. The URL
// is checked by the outbound guard's rules when set (https unless the deployment is a test or
// development one, no credentials, no non-public address literal) and again at each delivery, when
// its name is resolved.
import { randomBytes } from 'node:crypto';
import type { OutboundFailure } from '@anchorage/contracts';
import type { OrganizationRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { identityKeys } from '../identity/keys';
import { OutboundError, type OutboundGuard } from '../outbound-http';

/** The webhook as set: its URL and the secret, shown this once. */
export interface WebhookSetting {
  url: string;
  secret: string;
}

type Deps = Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys' | 'outbound'>;

/** What an organization's webhook secret is sealed to, so a sealed secret copied to another organization does not open. */
export function webhookSecretContext(organizationId: string): string {
  return `webhook:${organizationId}`;
}

const URL_PROBLEMS: Partial<Record<OutboundFailure, string>> = {
  'not-https': 'must be an https:// URL',
  'non-public-address': 'must not be a private, loopback, link-local or other non-public address',
};

function invalidUrl(message: string, field = 'url'): DomainError {
  return new DomainError('validation', `${field} ${message}`, { errors: [{ field, message }] });
}

/** Checks a callback URL by the outbound guard's rules, with field `field` named in the validation error (webhooks, revocation subscriptions). */
export function checkUrl(outbound: OutboundGuard, url: unknown, field = 'url'): string {
  let u: URL;
  try {
    u = new URL(String(url ?? ''));
  } catch {
    throw invalidUrl('must be an absolute https:// URL', field);
  }
  if (u.hash || String(url).length > 2000) throw invalidUrl('must be an https:// URL without credentials or fragment', field);
  try {
    outbound.checkUrl(u.toString());
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    throw invalidUrl(URL_PROBLEMS[err.code] ?? 'must be an https:// URL without credentials or fragment', field);
  }
  return u.toString();
}

/** Sets the organization's webhook URL and a new HMAC secret (replacing any earlier one). */
export async function setOrganizationWebhook(deps: Deps, org: OrganizationRecord, url: unknown, actor: Actor): Promise<WebhookSetting> {
  const target = checkUrl(deps.outbound, url);
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const sealed = identityKeys(deps).webhookBox.seal(secret, webhookSecretContext(org.id));
  await deps.db.transaction(async (tx) => {
    await tx.notices.setWebhook(org.id, target, sealed);
    await tx.audit.append({ at: deps.clock.now(), actor: actor.id, action: 'organization.webhook-set', subjectType: 'organization', subjectId: org.id, data: { url: target } });
  });
  return { url: target, secret };
}

/** Removes the organization's webhook. */
export async function removeOrganizationWebhook(deps: Deps, org: OrganizationRecord, actor: Actor): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.notices.setWebhook(org.id, null, null);
    await tx.audit.append({ at: deps.clock.now(), actor: actor.id, action: 'organization.webhook-removed', subjectType: 'organization', subjectId: org.id, data: {} });
  });
}

/** The webhook's URL and its opened secret, or null when none is set. */
export async function webhookOf(deps: Deps, organizationId: string): Promise<WebhookSetting | null> {
  const w = await deps.db.notices.webhookOf(organizationId);
  return w ? { url: w.url, secret: identityKeys(deps).webhookBox.open(w.secretSealed, webhookSecretContext(organizationId)) } : null;
}
