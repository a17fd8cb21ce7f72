// People who sign in, their sessions and second factor.
import { z } from 'zod';
import { timestamp, uuid, view } from './common';

/** Roles of people who sign in. */
export const userRoleSchema = z.enum(['operator', 'auditor', 'member-admin']);
/** Roles of people who sign in. */
export type UserRole = z.infer<typeof userRoleSchema>;

/** Roles whose every sign-in needs a second factor: their TOTP secret is made with the account and shown once. */
export const TWO_FACTOR_REQUIRED_ROLES: readonly UserRole[] = ['operator', 'auditor'];
/** Whether every sign-in of `role` needs a second factor. */
export const requiresTwoFactor = (role: UserRole): boolean => TWO_FACTOR_REQUIRED_ROLES.includes(role);

/** A TOTP secret being enrolled, shown once, for the person's authenticator app. */
export const totpEnrollmentViewSchema = view({ secret: z.string(), otpauthUri: z.string() });
/** A TOTP secret being enrolled, shown once, for the person's authenticator app. */
export type TotpEnrollmentView = z.infer<typeof totpEnrollmentViewSchema>;

/** Recovery codes just made, shown this once (only hashes are kept), with how many are unused. */
export const recoveryCodesViewSchema = view({
  /** Each usable once at sign-in in place of an authenticator code ("abcd-efgh-ijkl-mnop"). */
  recoveryCodes: z.array(z.string()),
  remaining: z.number().int(),
  total: z.number().int(),
});
/** Recovery codes just made, shown this once (only hashes are kept), with how many are unused. */
export type RecoveryCodesView = z.infer<typeof recoveryCodesViewSchema>;

/** How many of the signed-in user's recovery codes are unused. */
export const recoveryCodeStatusViewSchema = view({ remaining: z.number().int(), total: z.number().int() });
/** How many of the signed-in user's recovery codes are unused. */
export type RecoveryCodeStatusView = z.infer<typeof recoveryCodeStatusViewSchema>;

/** A TOTP secret made with the account (or by a reset), and its recovery codes: shown once, to hand over. */
export const newTotpViewSchema = totpEnrollmentViewSchema.extend({ recoveryCodes: z.array(z.string()) });
/** A TOTP secret made with the account (or by a reset), and its recovery codes: shown once, to hand over. */
export type NewTotpView = z.infer<typeof newTotpViewSchema>;

/** A registered passkey (never its key). */
export const passkeyViewSchema = view({ credentialId: z.string(), name: z.string(), algorithm: z.enum(['ES256', 'RS256']), createdAt: timestamp, lastUsedAt: timestamp.nullable() });
/** A registered passkey (never its key). */
export type PasskeyView = z.infer<typeof passkeyViewSchema>;

/** A WebAuthn challenge and the options for navigator.credentials.create() or .get() (binary values base64url). */
export const passkeyOptionsViewSchema = view({
  challengeId: uuid,
  publicKey: z.object({
    challenge: z.string(),
    rpId: z.string(),
    timeout: z.number().int(),
    userVerification: z.literal('preferred'),
    /** Registration only: the relying party, the user, the algorithms, attestation "none", the passkeys already there. */
    rp: z.object({ id: z.string(), name: z.string() }).optional(),
    user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }).optional(),
    pubKeyCredParams: z.array(z.object({ type: z.literal('public-key'), alg: z.number().int() })).optional(),
    attestation: z.literal('none').optional(),
    /** A discoverable credential (a passkey): signing in then needs no list of credentials, so the challenge names no account. */
    authenticatorSelection: z.object({ residentKey: z.literal('required'), userVerification: z.literal('preferred') }).optional(),
    excludeCredentials: z.array(z.object({ type: z.literal('public-key'), id: z.string() })).optional(),
  }),
});
/** A WebAuthn challenge and the options for navigator.credentials.create() or .get() (binary values base64url). */
export type PasskeyOptionsView = z.infer<typeof passkeyOptionsViewSchema>;

/** A user as the API shows it (never the password hash or TOTP secret). */
export const userViewSchema = view({
  /** The user's id (a UUID); for an operator API token on /auth/me, the token's actor id. */
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: userRoleSchema,
  organizationId: uuid.nullable(),
  /** An operator's communities: 'all', or the ids it runs. */
  communities: z.union([z.literal('all'), z.array(uuid)]),
  totpEnabled: z.boolean(),
  /** Locked after repeated failed sign-ins, until this time. */
  lockedUntil: timestamp.nullable(),
  disabled: z.boolean(),
  createdAt: timestamp,
});
/** A user as the API shows it (never the password hash or TOTP secret). */
export type UserView = z.infer<typeof userViewSchema>;

/** A created user (or one whose two-factor was reset); an operator's or auditor's TOTP secret is shown this once, for the person's authenticator app. */
export const createdUserViewSchema = userViewSchema.extend({ totpEnrollment: newTotpViewSchema.nullable() });
/** A created user; an operator's TOTP secret is shown this once, for the person's authenticator app. */
export type CreatedUserView = z.infer<typeof createdUserViewSchema>;

/** A successful sign-in or refresh (the refresh token itself travels in an httpOnly cookie). */
export const sessionViewSchema = view({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  user: userViewSchema,
});
/** A successful sign-in or refresh (the refresh token itself travels in an httpOnly cookie). */
export type SessionView = z.infer<typeof sessionViewSchema>;

/** Where an operator API token stands: it authenticates only while `active`. */
export const apiTokenStatusSchema = z.enum(['active', 'expired', 'revoked']);
/** Where an operator API token stands: it authenticates only while `active`. */
export type ApiTokenStatus = z.infer<typeof apiTokenStatusSchema>;

/** An operator API token as listed (never its secret: only a hash of it is stored). */
export const apiTokenViewSchema = view({
  id: uuid,
  name: z.string(),
  status: apiTokenStatusSchema,
  createdAt: timestamp,
  /** Who created it (an actor id, as in the audit log); null for a token made with the database CLI before this was recorded. */
  createdBy: z.string().nullable(),
  /** Its last use, to the minute (null: never used). */
  lastUsedAt: timestamp.nullable(),
  /** When it stops authenticating (null: no expiry). */
  expiresAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
  revokedBy: z.string().nullable(),
});
/** An operator API token as listed (never its secret: only a hash of it is stored). */
export type ApiTokenView = z.infer<typeof apiTokenViewSchema>;

/** A token just created: its secret is in `token`, this once. */
export const createdApiTokenViewSchema = apiTokenViewSchema.extend({ token: z.string() });
/** A token just created: its secret is in `token`, this once. */
export type CreatedApiTokenView = z.infer<typeof createdApiTokenViewSchema>;
