export { createUser, normalizeEmail, runsAllCommunities, type CreateUserInput } from './create-user';
export { manageUser, type UserAction } from './manage-user';
export { resetTwoFactor } from './reset-two-factor';
export { signIn, SIGN_IN_REFUSED, LOCK_AFTER_FAILURES, LOCK_SECONDS, type SignInInput } from './sign-in';
export {
  refreshSession, signOut, signOutByRefreshToken, authenticateAccessToken, REFRESH_IDLE_SECONDS, SESSION_MAX_SECONDS, type IssuedSession,
} from './sessions';
export { beginTotpEnrollment, confirmTotpEnrollment } from './totp-enrollment';
export { totpCode } from './totp';
export { listPasskeys, passkeyRegistrationOptions, passkeySignInOptions, registerPasskey, relyingParty } from './passkeys';
export { recoveryCodeStatus, regenerateRecoveryCodes, RECOVERY_CODE_COUNT } from './recovery-codes';
export { userView } from './user-view';
export { MIN_PASSWORD_LENGTH } from './passwords';
