// Bodies of sign-in, two-factor and passkey routes, users and operator API tokens.
import { z } from 'zod';
import { userRoleSchema } from '../views/identity';
import { id, needed, text } from './fields';

/** POST /auth/login. */
const b64url = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');
/** A passkey's answer to a sign-in challenge (navigator.credentials.get()), binary values base64url. */
export const passkeyAssertionBody = z.object({
  challengeId: id, credentialId: b64url(1400), clientDataJSON: b64url(4096), authenticatorData: b64url(4096), signature: b64url(2048),
});
export const signInBody = z.object({ email: text(320), password: text(1024), code: text(64).optional(), passkey: passkeyAssertionBody.optional() });
export type SignInBody = z.infer<typeof signInBody>;

/** POST /auth/totp/confirm: the code from the authenticator app (the authority says when it is missing). */
export const totpCodeBody = z.object({ code: text(16).optional() });
export type TotpCodeBody = z.infer<typeof totpCodeBody>;

/** POST /auth/passkeys: a new passkey's answer to its registration challenge (navigator.credentials.create()). */
export const registerPasskeyBody = z.object({
  challengeId: id, name: text(100), clientDataJSON: b64url(4096), attestationObject: b64url(65_536),
});
export type RegisterPasskeyBody = z.infer<typeof registerPasskeyBody>;

/** POST /users. */
export const createUserBody = z.object({
  email: text(320), displayName: text(200), role: userRoleSchema, password: text(1024),
  organizationId: id.nullable().optional(), communities: z.union([z.literal('all'), z.array(id).max(500)]).optional(),
});
export type CreateUserBody = z.infer<typeof createUserBody>;

/** POST /api-tokens: what the token is for, and optionally how many days it lives (absent: no expiry). */
export const createApiTokenBody = z.object({
  name: needed('name is required: say what the token is for (1 to 100 characters)', 1000),
  expiresInDays: z.number({ invalid_type_error: 'expiresInDays must be a whole number of days' }).int('expiresInDays must be a whole number of days').optional(),
});
export type CreateApiTokenBody = z.infer<typeof createApiTokenBody>;
