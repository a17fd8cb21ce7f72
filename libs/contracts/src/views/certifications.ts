// Certification templates and the certifications of member apps (docs/certifications.md).
import { z } from 'zod';
import { timestamp, uuid, view } from './common';

/** A certification template of a community (udap.org Certifications and Endorsements; UDAP STU2 §7.4.1). */
export const certificationTemplateViewSchema = view({
  id: uuid,
  communityId: uuid,
  name: z.string(),
  uris: z.array(z.string()),
  logoUri: z.string().nullable(),
  description: z.string().nullable(),
  grantTypes: z.array(z.string()),
  /** Empty: the scope claim is not restricted. */
  scopes: z.array(z.string()),
  responseTypes: z.array(z.string()),
  exchangePurposes: z.array(z.string()),
  isEndorsement: z.boolean(),
  /** The certification_status_endpoint every certification of the community must carry. */
  statusEndpoint: z.string(),
  createdBy: z.string(),
  createdAt: timestamp,
});
/** A certification template of a community. */
export type CertificationTemplateView = z.infer<typeof certificationTemplateViewSchema>;

/** A certification of a member app. `valid` is what the public status endpoint answers for it now. */
export const certificationViewSchema = view({
  id: uuid,
  communityId: uuid,
  templateId: uuid,
  jti: z.string(),
  iss: z.string(),
  sub: z.string(),
  organizationId: uuid,
  certifierCertificateId: uuid,
  certifierSerial: z.string(),
  certifierOrganizationId: uuid,
  iat: timestamp,
  exp: timestamp,
  /** The compact JWS, as the certifier signed it. */
  jwt: z.string(),
  status: z.enum(['active', 'revoked']),
  revokedAt: timestamp.nullable(),
  revocationReason: z.string().nullable(),
  revokedBy: z.string().nullable(),
  statusEndpoint: z.string(),
  createdBy: z.string(),
  createdAt: timestamp,
});
/** A certification of a member app. */
export type CertificationView = z.infer<typeof certificationViewSchema>;

/** What the public status endpoint answers (GET /pki/communities/{id}/certifications/status?jti=&exp=). */
export const certificationStatusAnswerSchema = view({ valid: z.boolean() });
/** What the public status endpoint answers. */
export type CertificationStatusAnswer = z.infer<typeof certificationStatusAnswerSchema>;

/** A certifier whose key the signer process holds, with its udap-certifier certificate. */
export const platformCertifierViewSchema = view({
  id: uuid,
  communityId: uuid,
  organizationId: uuid,
  certificateId: uuid,
  /** Its iss: the certificate's SAN URI. */
  sanUri: z.string(),
  notAfter: timestamp,
  createdBy: z.string(),
  createdAt: timestamp,
});
/** A certifier whose key the signer process holds. */
export type PlatformCertifierView = z.infer<typeof platformCertifierViewSchema>;
