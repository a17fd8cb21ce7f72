// Member organizations, their onboarding (profile, invitations, endpoint control) and webhooks.
import { z } from 'zod';
import { endpointCheckFailureSchema, timestamp, uuid, view } from './common';

/** Where an organization is in onboarding: draft -> submitted -> active | rejected (-> submitted); active <-> suspended. */
export const organizationStatusSchema = z.enum(['draft', 'submitted', 'active', 'rejected', 'suspended']);
/** Where an organization is in onboarding: draft -> submitted -> active | rejected (-> submitted); active <-> suspended. */
export type OrganizationStatus = z.infer<typeof organizationStatusSchema>;

/** Kinds of organization identifiers the profile accepts. */
export const organizationIdentifierTypeSchema = z.enum(['NPI', 'OID', 'LEI', 'other']);
/** Kinds of organization identifiers the profile accepts. */
export type OrganizationIdentifierType = z.infer<typeof organizationIdentifierTypeSchema>;

/** A person the operator can reach about the organization's systems. */
export const organizationContactSchema = view({
  name: z.string(),
  email: z.string(),
  phone: z.string().optional(),
});
/** A person the operator can reach about the organization's systems. */
export type OrganizationContact = z.infer<typeof organizationContactSchema>;

/** The organization profile a member completes and an operator reviews. */
export const organizationProfileSchema = view({
  legalName: z.string(),
  identifiers: z.array(view({ type: organizationIdentifierTypeSchema, value: z.string(), label: z.string().optional() })),
  address: view({
    lines: z.array(z.string()), city: z.string(), region: z.string().optional(), postalCode: z.string().optional(), country: z.string(),
  }),
  technicalContact: organizationContactSchema,
  securityContact: organizationContactSchema,
  /** Endpoints and client URIs the organization will use as SAN URIs; bound to it on approval. */
  requestedSanUris: z.array(z.string()),
});
/** The organization profile a member completes and an operator reviews. */
export type OrganizationProfile = z.infer<typeof organizationProfileSchema>;

/** A member organization. */
export const organizationViewSchema = view({
  id: uuid,
  communityId: uuid,
  name: z.string(),
  /** SAN URIs bound to the organization for good (on creation by an operator, or on approval). */
  sanUris: z.array(z.string()),
  status: organizationStatusSchema,
  /** Why it was rejected or suspended. */
  statusReason: z.string().nullable(),
  /** What the member submitted (empty until then, for organizations an operator created directly). */
  profile: organizationProfileSchema.partial(),
  /** Revision of `profile`: 0 before the first submission, one more with each; approving names the revision reviewed. */
  profileRevision: z.number().int(),
  submittedAt: timestamp.nullable(),
  reviewedAt: timestamp.nullable(),
  createdAt: timestamp,
  /** Where signed expiry webhooks go (null: none). */
  webhookUrl: z.string().nullable(),
});
/** A member organization. */
export type OrganizationView = z.infer<typeof organizationViewSchema>;

/** An invitation as the API shows it (never its token). */
export const invitationViewSchema = view({
  id: uuid,
  organizationId: uuid,
  email: z.string(),
  invitedBy: z.string(),
  createdAt: timestamp,
  expiresAt: timestamp,
  state: z.enum(['pending', 'accepted', 'expired', 'revoked']),
});
/** An invitation as the API shows it (never its token). */
export type InvitationView = z.infer<typeof invitationViewSchema>;

/** A sent invitation and the organization it is for (a new draft one, or the one named). */
export const invitationCreatedViewSchema = view({ invitation: invitationViewSchema, organization: organizationViewSchema });
/** A sent invitation and the organization it is for (a new draft one, or the one named). */
export type InvitationCreatedView = z.infer<typeof invitationCreatedViewSchema>;

/** What an invitation link is for, before the invitee accepts it. */
export const invitationLookupViewSchema = view({ email: z.string(), organizationName: z.string(), expiresAt: timestamp });
/** What an invitation link is for, before the invitee accepts it. */
export type InvitationLookupView = z.infer<typeof invitationLookupViewSchema>;

/** The account an accepted invitation created (the invitee signs in as usual next). */
export const acceptedInvitationViewSchema = view({ userId: uuid, email: z.string(), organizationId: uuid });
/** The account an accepted invitation created (the invitee signs in as usual next). */
export type AcceptedInvitationView = z.infer<typeof acceptedInvitationViewSchema>;

/** Proof that a member controls a SAN URI: the token it publishes at `publishAt`, and the outcome. */
export const endpointCheckViewSchema = view({
  organizationId: uuid,
  uri: z.string(),
  token: z.string(),
  publishAt: z.string(),
  status: z.enum(['pending', 'verified', 'failed']),
  checkedAt: timestamp.nullable(),
  verifiedAt: timestamp.nullable(),
  /** Why the last check failed: a code whose text is ENDPOINT_CHECK_FAILURES[code] (never the server's answer). */
  lastError: endpointCheckFailureSchema.nullable(),
});
/** Proof that a member controls a SAN URI: the token it publishes at `publishAt`, and the outcome. */
export type EndpointCheckView = z.infer<typeof endpointCheckViewSchema>;

/** An organization's webhook as just set: the HMAC secret is shown this once. */
export const webhookSettingViewSchema = view({ url: z.string(), secret: z.string() });
/** An organization's webhook as just set: the HMAC secret is shown this once. */
export type WebhookSettingView = z.infer<typeof webhookSettingViewSchema>;
