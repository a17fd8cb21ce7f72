// Invitations of organization contacts by e-mail. An operator invites a contact to a new (draft)
// organization, or to one that exists; the link carries a random token stored only as a SHA-256
// hash, works once and expires. The e-mail is sent inside the transaction that stores the
// invitation: if the mail server refuses it, nothing is stored (and no link exists that nobody got).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { InvitationView, OrganizationView } from '@anchorage/contracts';
import type { InvitationRecord, OrganizationRecord } from '@anchorage/db';
import { MailError } from '@anchorage/mail';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError, notFound } from '../errors';
import { createUser, normalizeEmail } from '../identity/create-user';
import { organizationView } from '../views';

/** How long an invitation link works. */
export const INVITATION_DAYS = 7;
const TOKEN_PREFIX = 'ani_';

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Whether an invitation can still be accepted at `now`, and if not, why. */
export function invitationState(i: InvitationRecord, now: Date): InvitationView['state'] {
  if (i.acceptedAt) return 'accepted';
  if (i.revokedAt) return 'revoked';
  return i.expiresAt <= now ? 'expired' : 'pending';
}

/** The API's view of an invitation (never its token). */
export function invitationView(i: InvitationRecord, now: Date): InvitationView {
  return {
    id: i.id, organizationId: i.organizationId, email: i.email, invitedBy: i.invitedBy, createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(), state: invitationState(i, now),
  };
}

/** Who to invite: to a new organization (`communityId` + `organizationName`) or to `organizationId`. */
export interface InviteInput {
  email: string;
  communityId?: string;
  organizationName?: string;
  organizationId?: string;
}

function invitationMail(deps: Pick<AuthorityDeps, 'consoleUrl'>, org: OrganizationRecord, communityName: string, link: string, expiresAt: Date) {
  const text = [
    `You are invited to manage the certificates of ${org.name} in the trust community "${communityName}".`,
    '',
    'Open this link to set your password and complete your organization\'s profile:',
    link,
    '',
    `The link works once and expires on ${expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC.`,
    `If you did not expect this invitation, ignore this message. (${deps.consoleUrl})`,
  ].join('\n');
  return { subject: `Invitation: ${org.name} in ${communityName}`, text };
}

/**
 * Invites a contact: creates the draft organization if asked, stores the invitation and e-mails the
 * link. Operators scoped to some communities may invite only there (checked by the caller's scope
 * and again here through `canActInCommunity`).
 */
export async function inviteContact(
  deps: Pick<AuthorityDeps, 'db' | 'clock' | 'mailer' | 'consoleUrl'>, input: InviteInput, actor: Actor, canActInCommunity: (communityId: string) => boolean,
): Promise<{ invitation: InvitationView; organization: OrganizationView }> {
  const email = normalizeEmail(input.email);
  let org: OrganizationRecord | null = null;
  let communityId: string;
  if (input.organizationId !== undefined) {
    if (input.communityId !== undefined || input.organizationName !== undefined) {
      throw new DomainError('validation', 'give organizationId (an existing organization) or communityId and organizationName (a new one), not both');
    }
    org = await deps.db.organizations.find(input.organizationId);
    if (!org || !canActInCommunity(org.communityId)) throw notFound('organization', input.organizationId);
    if (org.status === 'suspended') throw new DomainError('organization-inactive', `organization ${org.id} is suspended: reinstate it before inviting anyone`);
    communityId = org.communityId;
  } else {
    const name = (input.organizationName ?? '').trim();
    if (!name || name.length > 200) throw new DomainError('validation', 'organizationName must be 1 to 200 characters', { errors: [{ field: 'organizationName', message: 'must be 1 to 200 characters' }] });
    communityId = input.communityId ?? '';
    if (!(await deps.db.communities.find(communityId)) || !canActInCommunity(communityId)) throw notFound('community', communityId);
    org = { id: randomUUID(), communityId, name, sanUris: [], status: 'draft', statusReason: null, profile: {}, profileRevision: 0, submittedAt: null, reviewedAt: null, createdAt: deps.clock.now(), webhookUrl: null };
  }
  const community = (await deps.db.communities.find(communityId))!;
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
  const link = `${deps.consoleUrl}/#/accept-invitation?token=${token}`;
  const isNew = input.organizationId === undefined;
  const target = org;
  try {
    const invitation = await deps.db.transaction(async (tx) => {
      if (isNew) {
        const created = await tx.organizations.create({ id: target.id, communityId, name: target.name, status: 'draft' });
        await tx.audit.append({ at: now, actor: actor.id, action: 'organization.created', subjectType: 'organization', subjectId: created.id, data: { communityId, name: target.name, status: 'draft' } });
      }
      const inv = await tx.onboarding.createInvitation({ id: randomUUID(), organizationId: target.id, email, invitedBy: actor.id, expiresAt, tokenHash: hashToken(token) });
      await tx.audit.append({ at: now, actor: actor.id, action: 'invitation.created', subjectType: 'invitation', subjectId: inv.id, data: { organizationId: target.id, email, expiresAt: expiresAt.toISOString() } });
      // last: a refused message rolls everything back
      await deps.mailer.send({ to: email, ...invitationMail(deps, target, community.name, link, expiresAt) });
      return inv;
    });
    return { invitation: invitationView(invitation, now), organization: organizationView((await deps.db.organizations.find(target.id))!) };
  } catch (err) {
    if (err instanceof MailError) throw new DomainError('mail-failed', `${err.message}; nothing was stored, try again`);
    throw err;
  }
}

/** What the accept page shows before the invitee sets a password; a dead link is 'invitation-invalid'. */
export async function describeInvitation(deps: Pick<AuthorityDeps, 'db' | 'clock'>, token: unknown): Promise<{ email: string; organizationName: string; expiresAt: string }> {
  const { invitation, org } = await liveInvitation(deps, token);
  return { email: invitation.email, organizationName: org.name, expiresAt: invitation.expiresAt.toISOString() };
}

async function liveInvitation(deps: Pick<AuthorityDeps, 'db' | 'clock'>, token: unknown): Promise<{ invitation: InvitationRecord; org: OrganizationRecord }> {
  const dead = (why: string) => new DomainError('invitation-invalid', `this invitation link ${why}; ask the network operator for a new one`);
  if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX) || token.length > 100) throw dead('is not valid');
  const invitation = await deps.db.onboarding.findInvitationByTokenHash(hashToken(token));
  if (!invitation) throw dead('is not valid');
  const state = invitationState(invitation, deps.clock.now());
  if (state === 'accepted') throw dead('was already used');
  if (state === 'revoked') throw dead('was withdrawn');
  if (state === 'expired') throw dead('has expired');
  const org = await deps.db.organizations.find(invitation.organizationId);
  if (!org) throw dead('is not valid');
  return { invitation, org };
}

/**
 * Accepts an invitation: creates the invitee's member-admin account for the organization and uses
 * up the link, in one transaction (a link raced twice yields one account).
 */
export async function acceptInvitation(
  deps: Pick<AuthorityDeps, 'db' | 'clock' | 'identityKeys'>, input: { token: unknown; displayName: unknown; password: unknown },
): Promise<{ userId: string; email: string; organizationId: string }> {
  const { invitation, org } = await liveInvitation(deps, input?.token);
  const system: Actor = { id: `invitation:${invitation.id}`, role: 'system' };
  const now = deps.clock.now();
  const user = await deps.db.transaction(async (tx) => {
    const created = await createUser({ ...deps, db: tx }, {
      email: invitation.email, displayName: String(input.displayName ?? ''), role: 'member-admin', password: input.password as string, organizationId: org.id,
    }, system);
    if (!(await tx.onboarding.acceptInvitation(invitation.id, created.id, now))) {
      throw new DomainError('invitation-invalid', 'this invitation link was just used or withdrawn; ask the network operator for a new one');
    }
    await tx.audit.append({ at: now, actor: system.id, action: 'invitation.accepted', subjectType: 'invitation', subjectId: invitation.id, data: { userId: created.id, organizationId: org.id } });
    return created;
  });
  return { userId: user.id, email: user.email, organizationId: org.id };
}

/** Withdraws a pending invitation. */
export async function revokeInvitation(deps: Pick<AuthorityDeps, 'db' | 'clock'>, invitation: InvitationRecord, actor: Actor): Promise<InvitationView> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (!(await tx.onboarding.revokeInvitation(invitation.id, now))) {
      throw new DomainError('invalid-transition', `invitation ${invitation.id} is ${invitationState(invitation, now)}, not pending`);
    }
    await tx.audit.append({ at: now, actor: actor.id, action: 'invitation.revoked', subjectType: 'invitation', subjectId: invitation.id, data: {} });
  });
  return invitationView((await deps.db.onboarding.findInvitation(invitation.id))!, now);
}
