// Bodies of organization routes (profile, approval, suspension, webhook, endpoint checks) and of invitations.
import { z } from 'zod';
import { id, text, uri, uris } from './fields';

/** POST /organizations. */
export const createOrganizationBody = z.object({ communityId: id, name: text(300), sanUris: uris.optional() });
export type CreateOrganizationBody = z.infer<typeof createOrganizationBody>;

/** POST /organizations/:id/san-uris. */
export const sanUrisBody = z.object({ sanUris: uris });
export type SanUrisBody = z.infer<typeof sanUrisBody>;

/** POST /organizations/:id/submit: the profile's fields are checked one by one by the authority (profile.ts), which names each bad field. */
export const organizationProfileBody = z.object({}).passthrough();
export type OrganizationProfileBody = z.infer<typeof organizationProfileBody>;

/** POST /organizations/:id/approve: the revision reviewed (the authority says when it is missing). */
export const approveOrganizationBody = z.object({ profileRevision: z.number().int().nonnegative().optional() });
export type ApproveOrganizationBody = z.infer<typeof approveOrganizationBody>;

/** POST /organizations/:id/suspend. */
export const suspendOrganizationBody = z.object({ reason: text().optional(), revokeCertificates: z.boolean().optional(), revocationReason: text(64).optional() });
export type SuspendOrganizationBody = z.infer<typeof suspendOrganizationBody>;

/** PUT /organizations/:id/webhook. */
export const webhookBody = z.object({ url: uri });
export type WebhookBody = z.infer<typeof webhookBody>;

/** POST /organizations/:id/endpoint-checks (and /run): one SAN URI of the organization. */
export const endpointCheckBody = z.object({ uri });
export type EndpointCheckBody = z.infer<typeof endpointCheckBody>;

/** POST /invitations: to a new draft organization (communityId, organizationName) or an existing one (organizationId). */
export const inviteBody = z.object({ email: text(320), communityId: id.optional(), organizationName: text(300).optional(), organizationId: id.optional() });
export type InviteBody = z.infer<typeof inviteBody>;

/** POST /invitations/lookup. */
export const invitationLookupBody = z.object({ token: text(200) });
export type InvitationLookupBody = z.infer<typeof invitationLookupBody>;

/** POST /invitations/accept. */
export const acceptInvitationBody = z.object({ token: text(200), displayName: text(200).optional(), password: text(1024).optional() });
export type AcceptInvitationBody = z.infer<typeof acceptInvitationBody>;
