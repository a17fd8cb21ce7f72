// An organization's webhook: where the platform posts signed expiry notices. The HMAC secret is
// generated here, shown once, and stored sealed under a KEK subkey bound to the organization.
import { randomBytes } from 'node:crypto';
import type { OrganizationRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { identityKeys } from '../identity/keys';

/** The webhook as set: its URL and the secret, shown this once. */
export interface WebhookSetting {
  url: string;
  secret: string;
}

type Deps = Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys'>;

function checkUrl(url: unknown): string {
  let u: URL;
  try {
    u = new URL(String(url ?? ''));
  } catch {
    throw new DomainError('validation', 'url must be an absolute https:// URL', { errors: [{ field: 'url', message: 'must be an absolute https:// URL' }] });
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || u.hash || String(url).length > 2000) {
    throw new DomainError('validation', 'url must be an https:// URL without credentials or fragment', { errors: [{ field: 'url', message: 'must be an https:// URL without credentials or fragment' }] });
  }
  // plain http is refused when delivered (outbound-http.ts) unless the deployment allows it (tests)
  return u.toString();
}

/** Sets the organization's webhook URL and a new HMAC secret (replacing any earlier one). */
export async function setOrganizationWebhook(deps: Deps, org: OrganizationRecord, url: unknown, actor: Actor): Promise<WebhookSetting> {
  const target = checkUrl(url);
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const sealed = identityKeys(deps).webhookBox.seal(secret, `webhook:${org.id}`);
  await deps.db.transaction(async (tx) => {
    await tx.notices.setWebhook(org.id, target, sealed);
    await tx.appendAudit({ at: deps.clock.now(), actor: actor.id, action: 'organization.webhook-set', subjectType: 'organization', subjectId: org.id, data: { url: target } });
  });
  return { url: target, secret };
}

/** Removes the organization's webhook. */
export async function removeOrganizationWebhook(deps: Deps, org: OrganizationRecord, actor: Actor): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.notices.setWebhook(org.id, null, null);
    await tx.appendAudit({ at: deps.clock.now(), actor: actor.id, action: 'organization.webhook-removed', subjectType: 'organization', subjectId: org.id, data: {} });
  });
}

/** The webhook's URL and its opened secret, or null when none is set. */
export async function webhookOf(deps: Deps, organizationId: string): Promise<WebhookSetting | null> {
  const w = await deps.db.notices.webhookOf(organizationId);
  return w ? { url: w.url, secret: identityKeys(deps).webhookBox.open(w.secretSealed, `webhook:${organizationId}`) } : null;
}
