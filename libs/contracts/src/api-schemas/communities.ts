// Bodies of community routes: creation, policy and the exchange-purpose catalog.
import { z } from 'zod';
import { exchangePurposeSchema, EXCHANGE_PURPOSE_PRESETS, MAX_EXCHANGE_PURPOSES } from '../exchange-purposes';
import { keyTypeSchema } from '../views/common';
import { text, uri } from './fields';

const policy = z.object({
  allowedLeafKeyTypes: z.array(keyTypeSchema).max(10),
  maxLeafValidityDays: z.number().int(),
  crlLifetimeSeconds: z.number().int(),
  allowGeneratedKeys: z.boolean(),
  requireEndpointControl: z.boolean(),
  autoApproveVerifiedRequests: z.boolean(),
  requireRsaChain: z.boolean(),
}).partial();

/** POST /communities. */
export const createCommunityBody = z.object({
  name: text(200), uri, caKeyType: keyTypeSchema.optional(), policy: policy.optional(),
  rootValidityYears: z.number().int().optional(), issuingValidityYears: z.number().int().optional(), offlineRoot: z.boolean().optional(),
});
export type CreateCommunityBody = z.infer<typeof createCommunityBody>;

/** PUT /communities/:id/policy: the policy fields to change (the others keep their values). */
export const updateCommunityPolicyBody = policy.strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one policy field to change').describe('Any of the policy fields; at least one.');
export type UpdateCommunityPolicyBody = z.infer<typeof updateCommunityPolicyBody>;

/** PUT /communities/:id/exchange-purposes: the whole catalog in `purposes`, or a `preset` to set it from. */
export const setExchangePurposesBody = z.object({
  preset: z.enum(Object.keys(EXCHANGE_PURPOSE_PRESETS) as [keyof typeof EXCHANGE_PURPOSE_PRESETS]).optional(),
  purposes: z.array(exchangePurposeSchema).max(MAX_EXCHANGE_PURPOSES, `a catalog holds at most ${MAX_EXCHANGE_PURPOSES} exchange purposes`).optional(),
}).superRefine((body, ctx) => {
  if ((body.preset === undefined) === (body.purposes === undefined)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['purposes'], message: 'give either the catalog in "purposes" or a "preset" (tefca), not both and not neither' });
  }
}).describe('Exactly one of preset and purposes.');
export type SetExchangePurposesBody = z.infer<typeof setExchangePurposesBody>;
