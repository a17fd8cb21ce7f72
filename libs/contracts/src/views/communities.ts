// Communities, their CAs and CRLs, as the API answers them.
import { z } from 'zod';
import { keyTypeSchema, timestamp, uuid, view } from './common';

/** A community's policy, as stored and as sent over the wire. */
export const communityPolicySchema = view({
  allowedLeafKeyTypes: z.array(keyTypeSchema),
  maxLeafValidityDays: z.number().int(),
  crlLifetimeSeconds: z.number().int(),
  allowGeneratedKeys: z.boolean(),
  /** udap-server requests are approved only once every SAN URI passed endpoint control (absent: false). */
  requireEndpointControl: z.boolean().optional(),
  /** Requests whose SAN URIs all passed endpoint control are approved (issued) at once (absent: false). */
  autoApproveVerifiedRequests: z.boolean().optional(),
  /**
   * Every CA of the community (its own and an offline root) must have an RSA key, so that relying
   * parties that verify only RSA signatures (node-forge) can verify its chains; an EC CA key is refused
   * at creation and at installing an issuing CA's certificate (absent: false).
   */
  requireRsaChain: z.boolean().optional(),
});
/** A community's policy, as stored and as sent over the wire. */
export type CommunityPolicy = z.infer<typeof communityPolicySchema>;

/** Code of a community warning: what works, but some relying parties will reject. */
export const communityWarningCodeSchema = z.enum(['ec-ca-rsa-only-relying-parties']);
/** Code of a community warning: what works, but some relying parties will reject. */
export type CommunityWarningCode = z.infer<typeof communityWarningCodeSchema>;

/** Something about a community that relying parties of the UDAP profile sheet treat differently. */
export const communityWarningSchema = view({
  code: communityWarningCodeSchema,
  message: z.string(),
});
/** Something about a community that relying parties of the UDAP profile sheet treat differently. */
export type CommunityWarning = z.infer<typeof communityWarningSchema>;

/** A trust community. */
export const communityViewSchema = view({
  id: uuid,
  uri: z.string(),
  name: z.string(),
  policy: communityPolicySchema,
  rootCaId: uuid.nullable(),
  issuingCaId: uuid.nullable(),
  /** Derived from its CAs on every read (empty when nothing applies); a creation response carries them too. */
  warnings: z.array(communityWarningSchema),
  /** Its catalog of exchange purposes: the fragments its client SAN URIs may carry (empty: no catalog, any fragment). */
  exchangePurposes: z.array(view({ code: z.string(), display: z.string(), active: z.boolean() })),
  createdAt: timestamp,
});
/** A trust community. */
export type CommunityView = z.infer<typeof communityViewSchema>;

/** Lifecycle of a CA. */
export const caStatusSchema = z.enum(['awaiting-certificate', 'active', 'retired', 'compromised']);
/** Lifecycle of a CA. */
export type CaStatus = z.infer<typeof caStatusSchema>;

/** A certificate authority of a community. */
export const caViewSchema = view({
  id: uuid,
  communityId: uuid,
  role: z.enum(['root', 'issuing']),
  status: caStatusSchema,
  subject: z.string(),
  keyType: keyTypeSchema,
  notBefore: timestamp.nullable(),
  notAfter: timestamp.nullable(),
  certificateUrl: z.string(),
  crlUrl: z.string(),
  certificatePem: z.string().nullable(),
  csrPem: z.string().nullable(),
  /** SHA-256 fingerprint of its certificate (DER), lowercase hex; null while it awaits one. */
  sha256: z.string().nullable(),
  /** When its certificate was revoked on its parent's CRL (retired or compromised), else null. */
  revokedAt: timestamp.nullable(),
});
/** A certificate authority of a community. */
export type CaView = z.infer<typeof caViewSchema>;

/** A community with its CAs (creation and detail). */
export const communityDetailViewSchema = communityViewSchema.extend({ cas: z.array(caViewSchema) });
/** A community with its CAs (creation and detail). */
export type CommunityDetailView = z.infer<typeof communityDetailViewSchema>;

/** Outcome of installing an externally signed certificate on a CA that awaited one (offline root). */
export const caCertificateInstallationSchema = view({
  /** The issuing CA, now active. */
  ca: caViewSchema,
  /** The external root, stored as a CA record without a key (the platform never signs with it). */
  root: caViewSchema,
  /** Deviations from the UDAP issuing-CA profile that relying parties tolerate; accepted with a warning. */
  warnings: z.array(z.string()),
});
/** Outcome of installing an externally signed certificate on a CA that awaited one (offline root). */
export type CaCertificateInstallation = z.infer<typeof caCertificateInstallationSchema>;

/** Metadata of a published CRL. */
export const crlViewSchema = view({
  caId: uuid,
  crlNumber: z.string(),
  thisUpdate: timestamp,
  nextUpdate: timestamp,
  entryCount: z.number().int(),
  sha256: z.string(),
  url: z.string(),
});
/** Metadata of a published CRL. */
export type CrlView = z.infer<typeof crlViewSchema>;
