// The sign-in endpoints of the API (/api/v1/auth), one dedicated call each.
import type { PasskeyOptionsView, PasskeyView, RecoveryCodesView, RecoveryCodeStatusView, SessionView, TotpEnrollmentView, UserView } from '@anchorage/contracts';
import { API_URL, httpClient } from './http';

/** What a person types to sign in. */
export interface SignInInput {
  email: string;
  password: string;
  /** The 6-digit code of the authenticator app (operators and auditors always; others once they turned it on), or a recovery code. */
  code?: string;
  /** Or a passkey's answer to a sign-in challenge. */
  passkey?: PasskeyAnswer;
}

/** A passkey's answer to a sign-in challenge (base64url), as /auth/login takes it. */
export interface PasskeyAnswer { challengeId: string; credentialId: string; clientDataJSON: string; authenticatorData: string; signature: string }

/** A TOTP secret being enrolled, shown once. */
export type TotpEnrollment = TotpEnrollmentView;

const post = (path: string, body?: unknown, token?: string | null) =>
  httpClient(`${API_URL}/auth/${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body), token });

/** Signs in; the API sets the refresh cookie and answers with the first access token. */
export const signIn = async (input: SignInInput): Promise<SessionView> => (await post('login', input, null)).json as SessionView;

/** The user a bearer token stands for (an operator API token is an operator of every community). */
export const fetchMe = async (token: string): Promise<UserView> =>
  (await httpClient(`${API_URL}/auth/me`, { token })).json as UserView;

/** Ends the session of `accessToken`. */
export const endCurrentSession = async (accessToken: string): Promise<void> => {
  await post('sessions/current/end', undefined, accessToken);
};

/** Ends the session of the refresh cookie and clears the cookie. */
export const signOutCookie = async (): Promise<void> => {
  await post('logout', undefined, null);
};

/** Starts two-factor enrollment of the signed-in user: a new secret, shown once. */
export const startTotpSetup = async (): Promise<TotpEnrollment> => (await post('totp/setup')).json as TotpEnrollment;

/** Turns two-factor authentication on with a code from the app (400 when it does not match); its recovery codes, shown once. */
export const confirmTotp = async (code: string): Promise<RecoveryCodesView> => (await post('totp/confirm', { code })).json as RecoveryCodesView;

/** How many of the signed-in user's recovery codes are unused. */
export const getRecoveryCodeStatus = async (): Promise<RecoveryCodeStatusView> =>
  (await httpClient(`${API_URL}/auth/recovery-codes`)).json as RecoveryCodeStatusView;

/** A challenge for signing in with a passkey. */
export const passkeySignInOptions = async (): Promise<PasskeyOptionsView> => (await post('passkeys/sign-in-options', undefined, null)).json as PasskeyOptionsView;

/** The signed-in operator's passkeys. */
export const listPasskeys = async (): Promise<PasskeyView[]> => (await httpClient(`${API_URL}/auth/passkeys`)).json as PasskeyView[];

/** A registration challenge for a new passkey. */
export const passkeyRegistrationOptions = async (): Promise<PasskeyOptionsView> => (await post('passkeys/registration-options')).json as PasskeyOptionsView;

/** Registers a passkey with its answer to the registration challenge. */
export const registerPasskey = async (body: { challengeId: string; name: string; clientDataJSON: string; attestationObject: string }): Promise<PasskeyView> =>
  (await post('passkeys', body)).json as PasskeyView;

/** New recovery codes for the signed-in user (the old ones stop working), shown once. */
export const regenerateRecoveryCodes = async (): Promise<RecoveryCodesView> => (await post('recovery-codes')).json as RecoveryCodesView;
