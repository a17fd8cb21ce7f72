// Bodies of certification templates, certifiers and certifications.
import { z } from 'zod';
import { keyTypeSchema } from '../views/common';
import { id, needed, text, uri, uris } from './fields';

/** POST /communities/:id/certification-templates: a built-in template by name, or the community's own terms (checked by the authority). */
export const defineCertificationTemplateBody = z.object({
  builtIn: text(64).optional(),
  name: text(200).optional(), uris: uris.optional(), logoUri: uri.nullable().optional(), description: text(2000).nullable().optional(),
  grantTypes: z.array(text(64)).max(10).optional(), scopes: z.array(text(200)).max(200).optional(), responseTypes: z.array(text(64)).max(10).optional(),
  exchangePurposes: z.array(text(200)).max(50).optional(), isEndorsement: z.boolean().optional(),
}).strict().superRefine((body, ctx) => {
  const own = Object.keys(body).filter((k) => k !== 'builtIn');
  if (body.builtIn !== undefined && own.length) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['builtIn'], message: `give builtIn alone, or the template's own terms (got also ${own.join(', ')})` });
  if (body.builtIn === undefined && (body.name === undefined || body.uris === undefined || body.grantTypes === undefined)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['name'], message: 'give builtIn (e.g. "tefca-basic-app"), or name, uris and grantTypes' });
  }
}).describe('A built-in template ({"builtIn": "tefca-basic-app"}) or the terms of the community\'s own.');
export type DefineCertificationTemplateBody = z.infer<typeof defineCertificationTemplateBody>;

/** POST /certifications: a certification JWT the certifier signed, of an app of `organizationId`, following template `templateId`. */
export const recordCertificationBody = z.object({
  templateId: id, organizationId: id,
  jwt: needed('give the certification as a compact JWS in "jwt"', 65_536).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be a compact JWS (header.payload.signature, base64url)'),
}).strict();
export type RecordCertificationBody = z.infer<typeof recordCertificationBody>;

/** POST /communities/:id/certifiers: a certifier whose key the signer generates, for an organization's https SAN URI. */
export const createPlatformCertifierBody = z.object({
  organizationId: id, sanUri: uri, keyType: keyTypeSchema.optional(), validityDays: z.number().int().optional(),
}).strict();
export type CreatePlatformCertifierBody = z.infer<typeof createPlatformCertifierBody>;

/** POST /certifications/issue: a certification the platform signs with one of its certifiers. */
export const issueCertificationBody = z.object({
  certifierId: id, templateId: id, organizationId: id, sub: uri, validityDays: z.number().int().optional(),
  grantTypes: z.array(text(64)).max(10).optional(), responseTypes: z.array(text(64)).max(10).optional(), scope: text(4000).optional(),
  exchangePurposes: z.array(text(200)).max(50).optional(),
  appClaims: z.record(z.union([text(2048), z.array(text(2048)).max(50)])).optional(),
}).strict();
export type IssueCertificationBody = z.infer<typeof issueCertificationBody>;

/** POST /certifications/:id/revoke: why, in words (the authority says when it is missing or empty). */
export const revokeCertificationBody = z.object({ reason: needed('reason is required: why the certification is revoked', 1000) });
export type RevokeCertificationBody = z.infer<typeof revokeCertificationBody>;
