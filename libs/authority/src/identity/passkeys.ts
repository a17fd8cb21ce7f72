// Passkeys (WebAuthn) as an operator's second factor, besides the TOTP code. Registration: a signed-in
// operator asks for options (a one-time challenge kept server-side), the browser creates the credential,
// and the answer is checked (attestation "none", ES256 or RS256, origin, rpId hash, user presence) and
// stored. Sign-in: anyone asks for a challenge (it names no user, so it tells nothing about accounts),
// and sends the passkey's answer with e-mail and password to /auth/login, where it stands in for the code.
// The relying party is the platform's public base URL (its origin; its host name is the rpId): the
// console must be served there, as it is by default (one origin for API, console and /pki).
import { randomBytes, randomUUID } from 'node:crypto';
import type { PasskeyOptionsView, PasskeyView, RegisterPasskeyBody } from '@anchorage/contracts';
import { DbConflictError, type PasskeyRecord, type UserRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { verifyAssertion, verifyRegistration, WEBAUTHN_ALGORITHMS, WebAuthnError, type AssertionResponse, type Expected, type WebAuthnAlgorithm } from './webauthn/verify';

type Deps = Pick<AuthorityDeps, 'db' | 'clock' | 'urls'>;

/** How long a challenge may be answered. */
export const PASSKEY_CHALLENGE_SECONDS = 300;

/** The relying party: the public base URL's origin and host name. */
export function relyingParty(deps: Pick<AuthorityDeps, 'urls'>): { origin: string; rpId: string } {
  const u = new URL(deps.urls.base);
  return { origin: u.origin, rpId: u.hostname };
}

const algorithmName = (alg: number) => (alg === -257 ? 'RS256' : 'ES256');

/** A passkey as the API shows it. */
export function passkeyView(p: PasskeyRecord): PasskeyView {
  return { credentialId: p.credentialId, name: p.name, algorithm: algorithmName(p.algorithm), createdAt: p.createdAt.toISOString(), lastUsedAt: p.lastUsedAt?.toISOString() ?? null };
}

async function operator(deps: Deps, actor: Actor): Promise<UserRecord> {
  const user = actor.userId ? await deps.db.identity.findUser(actor.userId) : null;
  if (!user) throw new DomainError('forbidden', 'only a signed-in user registers passkeys (API tokens do not)');
  if (user.role !== 'operator') throw new DomainError('forbidden', 'passkeys are offered to operators');
  return user;
}

async function challenge(deps: Deps, userId: string | null, purpose: 'register' | 'sign-in'): Promise<{ challengeId: string; challenge: string }> {
  const now = deps.clock.now();
  const c = { challengeId: randomUUID(), challenge: randomBytes(32).toString('base64url') };
  await deps.db.identity.createWebauthnChallenge({
    id: c.challengeId, userId, purpose, challenge: c.challenge, expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_SECONDS * 1000), now,
  });
  return c;
}

/** The signed-in operator's passkeys. */
export async function listPasskeys(deps: Deps, actor: Actor): Promise<PasskeyView[]> {
  const user = await operator(deps, actor);
  return (await deps.db.identity.listPasskeys(user.id)).map(passkeyView);
}

/** Options for navigator.credentials.create(): a new challenge for the signed-in operator. */
export async function passkeyRegistrationOptions(deps: Deps, actor: Actor): Promise<PasskeyOptionsView> {
  const user = await operator(deps, actor);
  const rp = relyingParty(deps);
  const c = await challenge(deps, user.id, 'register');
  const existing = await deps.db.identity.listPasskeys(user.id);
  return {
    challengeId: c.challengeId,
    publicKey: {
      challenge: c.challenge, rpId: rp.rpId, timeout: PASSKEY_CHALLENGE_SECONDS * 1000, userVerification: 'preferred',
      rp: { id: rp.rpId, name: 'Anchorage' },
      user: { id: Buffer.from(user.id.replace(/-/g, ''), 'hex').toString('base64url'), name: user.email, displayName: user.displayName },
      pubKeyCredParams: WEBAUTHN_ALGORITHMS.map((alg) => ({ type: 'public-key' as const, alg })),
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      excludeCredentials: existing.map((p) => ({ type: 'public-key' as const, id: p.credentialId })),
    },
  };
}

/** Checks the browser's answer to a registration challenge and stores the passkey; audited. */
export async function registerPasskey(deps: Deps, actor: Actor, body: RegisterPasskeyBody): Promise<PasskeyView> {
  const user = await operator(deps, actor);
  const name = body.name.trim();
  if (!name || name.length > 100) throw new DomainError('validation', 'name the passkey (1 to 100 characters), e.g. the device it is on', { field: 'name' });
  const now = deps.clock.now();
  const c = await deps.db.identity.takeWebauthnChallenge(body.challengeId, 'register', now);
  if (!c || c.userId !== user.id) throw new DomainError('validation', 'the registration challenge is unknown, used or expired: start again', { field: 'challengeId' });
  let credential;
  try {
    credential = verifyRegistration(body, { ...relyingParty(deps), challenge: Buffer.from(c.challenge, 'base64url') });
  } catch (err) {
    if (err instanceof WebAuthnError) throw new DomainError('validation', `the passkey was not registered: ${err.message}`);
    throw err;
  }
  try {
    const stored = await deps.db.transaction(async (tx) => {
      const p = await tx.identity.addPasskey({ ...credential, userId: user.id, name, at: now });
      await tx.audit.append({ at: now, actor: actor.id, action: 'user.passkey-registered', subjectType: 'user', subjectId: user.id, data: { credentialId: p.credentialId, name, algorithm: algorithmName(p.algorithm) } });
      return p;
    });
    return passkeyView(stored);
  } catch (err) {
    if (err instanceof DbConflictError) throw new DomainError('conflict', 'this passkey is registered already');
    throw err;
  }
}

/** A challenge for signing in with a passkey (it names no account). */
export async function passkeySignInOptions(deps: Deps): Promise<PasskeyOptionsView> {
  const c = await challenge(deps, null, 'sign-in');
  return { challengeId: c.challengeId, publicKey: { challenge: c.challenge, rpId: relyingParty(deps).rpId, timeout: PASSKEY_CHALLENGE_SECONDS * 1000, userVerification: 'preferred' } };
}

/** A passkey's answer at sign-in, with the challenge it answers. */
export type PasskeyAssertion = AssertionResponse & { challengeId: string };

/**
 * Whether `assertion` is a valid answer by one of `user`'s passkeys to a live sign-in challenge. The
 * challenge is spent either way; the counter moves only if no other sign-in moved it meanwhile.
 */
export async function passkeyPasses(deps: Deps, user: UserRecord, assertion: PasskeyAssertion): Promise<boolean> {
  const now = deps.clock.now();
  const c = await deps.db.identity.takeWebauthnChallenge(assertion.challengeId, 'sign-in', now);
  const passkey = await deps.db.identity.findPasskey(assertion.credentialId);
  if (!c || !passkey || passkey.userId !== user.id) return false;
  const expected: Expected = { ...relyingParty(deps), challenge: Buffer.from(c.challenge, 'base64url') };
  let signCount: number;
  try {
    ({ signCount } = verifyAssertion(assertion, { ...passkey, algorithm: passkey.algorithm as WebAuthnAlgorithm }, expected));
  } catch (err) {
    if (err instanceof WebAuthnError) return false;
    throw err;
  }
  return deps.db.identity.usePasskey(passkey.credentialId, passkey.signCount, signCount, now);
}
