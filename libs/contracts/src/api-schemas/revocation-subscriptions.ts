// Body of the revocation-subscription route.
import { z } from 'zod';
import { id, needed, text } from './fields';

/**
 * POST /revocation-subscriptions: an operator names a relying party it registers (relyingParty) or a
 * member organization of the community (organizationId); a member admin subscribes its own
 * organization. The callback URL is checked by the authority (the outbound guard's rules).
 */
export const subscribeToRevocationsBody = z.object({
  communityId: needed('communityId is required: the community whose revocations to receive', 100).uuid(),
  callbackUrl: needed('callbackUrl is required: the https:// URL the notices are posted to', 2048),
  relyingParty: text(200).optional(),
  organizationId: id.optional(),
}).strict();
export type SubscribeToRevocationsBody = z.infer<typeof subscribeToRevocationsBody>;
