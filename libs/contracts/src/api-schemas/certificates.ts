// Bodies of certificate issuance and revocation, and of certificate requests (a CSR, or a key the platform generates).
import { z } from 'zod';
import { MAX_EXCHANGE_PURPOSES } from '../exchange-purposes';
import { keyTypeSchema } from '../views/common';
import { blob, id, needed, text, uris } from './fields';

const CSR_CHOICE = 'give the CSR as PEM in "csr" or as base64 DER in "csrDerBase64"';
/** A DER CSR as base64 (RFC 4648 §4, standard alphabet); line breaks are allowed, as `base64` writes them. */
const csrDerBase64 = blob.regex(/^[A-Za-z0-9+/\r\n]+={0,2}[\r\n]*$/, 'must be the DER CSR as base64 (a PEM CSR goes in "csr")');
const csrFields = { csr: blob.optional(), csrDerBase64: csrDerBase64.optional() };

/** Adds an issue unless exactly one of `csr` and `csrDerBase64` is given (`alternative`: what else may stand for both). */
function oneCsr(body: { csr?: string; csrDerBase64?: string }, ctx: z.RefinementCtx, alternative = ''): void {
  if (body.csr === undefined && body.csrDerBase64 === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['csr'], message: `${CSR_CHOICE}${alternative}` });
  if (body.csr !== undefined && body.csrDerBase64 !== undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['csrDerBase64'], message: `give the CSR once: as PEM in "csr" or as base64 DER in "csrDerBase64", not both` });
  }
}

/** A key pair the platform generates for the certificate, delivered once as a PKCS #12 (communities whose policy allows it). */
const generateKey = z.object({
  keyType: keyTypeSchema.optional(),
  pkcs12Password: needed('pkcs12Password is required: it protects the PKCS #12 that carries the private key', 1024),
}, { invalid_type_error: 'generateKey must be an object: { keyType?, pkcs12Password }' });

/** POST /certificates: a CSR (PEM in `csr`, or base64 DER in `csrDerBase64`), or `generateKey` instead. */
export const issueCertificateBody = z.object({
  organizationId: id, profile: text(64), ...csrFields, sanUris: uris.optional(),
  validityDays: z.number().int().optional(), requestId: text(200).optional(), generateKey: generateKey.optional(),
}).superRefine((body, ctx) => {
  if (body.generateKey === undefined) oneCsr(body, ctx, ', or generateKey: { keyType?, pkcs12Password } for a key the platform generates');
  else if (body.csr !== undefined || body.csrDerBase64 !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['generateKey'], message: 'give either a CSR or generateKey, not both' });
}).describe('Exactly one of csr, csrDerBase64 and generateKey.');
export type IssueCertificateBody = z.infer<typeof issueCertificateBody>;

const REASON_REQUIRED = 'reason is required (an RFC 5280 reason name, e.g. keyCompromise)';
/** POST /certificates/:id/revoke and /cas/:caId/certificates/:serial/revoke (which reason names a role may give is the authority's to say). */
export const revokeCertificateBody = z.object({ reason: needed(REASON_REQUIRED, 64), invalidityDate: text(64).optional() });
export type RevokeCertificateBody = z.infer<typeof revokeCertificateBody>;

/** POST /certificate-requests: a CSR, PEM in `csr` or base64 DER in `csrDerBase64`. */
export const submitCertificateRequestBody = z.object({
  organizationId: id, profile: text(64), ...csrFields, sanUris: uris.optional(),
  requestId: text(200).optional(), renewalOf: id.optional(), keyType: text(32).optional(),
  /** Exchange purpose codes of the community's catalog: each SAN URI (without a fragment) becomes one client URI per purpose, `uri#code`. */
  exchangePurposes: z.array(text(64)).min(1, 'exchangePurposes must name at least one purpose when given').max(MAX_EXCHANGE_PURPOSES).optional(),
}).superRefine((body, ctx) => oneCsr(body, ctx)).describe('Exactly one of csr and csrDerBase64.');
export type SubmitCertificateRequestBody = z.infer<typeof submitCertificateRequestBody>;
