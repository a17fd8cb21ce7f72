// Leaf certificates, certificate requests, and what revoking one answers.
import { z } from 'zod';
import { keyTypeSchema, leafProfileSchema, revocationReasonSchema, timestamp, uuid, view } from './common';
import { crlViewSchema } from './communities';

/** Lifecycle of a leaf certificate. */
export const certificateStatusSchema = z.enum(['pending', 'issued', 'revoked', 'on-hold']);
/** Lifecycle of a leaf certificate. */
export type CertificateStatus = z.infer<typeof certificateStatusSchema>;

/** An issued leaf certificate with everything a member needs to use it. */
export const certificateViewSchema = view({
  id: uuid,
  issuerId: uuid,
  organizationId: uuid,
  serial: z.string(),
  profile: leafProfileSchema,
  status: certificateStatusSchema,
  subject: z.string(),
  sanUris: z.array(z.string()),
  notBefore: timestamp,
  notAfter: timestamp,
  revokedAt: timestamp.nullable(),
  /** When the expiry scan marked it expired (null before). */
  expiredAt: timestamp.nullable(),
  revocationReason: revocationReasonSchema.nullable(),
  pem: z.string(),
  chainPem: z.string(),
  derBase64: z.string(),
  x5c: z.array(z.string()),
  crlUrl: z.string(),
  caIssuersUrl: z.string(),
  /** Where the platform generated the key: PKCS #12 (key, leaf, issuing CA), delivered once only. */
  pkcs12Base64: z.string().optional(),
  /** Set instead of pkcs12Base64 when a repeated request cannot deliver the key again. */
  pkcs12Unavailable: z.string().optional(),
  /** The certificate's extensions decoded (on the detail endpoint only). */
  extensions: z.array(view({ oid: z.string(), name: z.string(), critical: z.boolean(), value: z.string() })).optional(),
});
/** An issued leaf certificate with everything a member needs to use it. */
export type CertificateView = z.infer<typeof certificateViewSchema>;

/** What a revocation or a hold release answers: the certificate, and the CRL that reflects it. */
export const revocationViewSchema = view({ certificate: certificateViewSchema, crl: crlViewSchema });
/** What a revocation or a hold release answers: the certificate, and the CRL that reflects it. */
export type RevocationView = z.infer<typeof revocationViewSchema>;

/** A certificate request as the API shows it. */
export const certificateRequestViewSchema = view({
  id: uuid,
  organizationId: uuid,
  profile: leafProfileSchema,
  sanUris: z.array(z.string()),
  keyType: keyTypeSchema,
  /** The CSR, PEM. */
  csrPem: z.string(),
  status: z.enum(['submitted', 'approved', 'issued', 'rejected', 'cancelled']),
  /** Why it was rejected (or why approval could not issue). */
  reason: z.string().nullable(),
  requestId: z.string().nullable(),
  renewalOf: uuid.nullable(),
  requestedBy: z.string(),
  createdAt: timestamp,
  decidedBy: z.string().nullable(),
  decidedAt: timestamp.nullable(),
  /** The issued certificate. */
  certificateId: uuid.nullable(),
});
/** A certificate request as the API shows it. */
export type CertificateRequestView = z.infer<typeof certificateRequestViewSchema>;

/** An approved request and the certificate it produced. */
export const requestApprovalViewSchema = view({ request: certificateRequestViewSchema, certificate: certificateViewSchema });
/** An approved request and the certificate it produced. */
export type RequestApprovalView = z.infer<typeof requestApprovalViewSchema>;
