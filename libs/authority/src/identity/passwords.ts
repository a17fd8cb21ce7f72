// Password storage: argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane; OWASP
// Password Storage Cheat Sheet), in the PHC string format so parameters can be raised later and old
// hashes still verify.
import { randomBytes } from 'node:crypto';
import { argon2id, hash, verify } from 'argon2';
import { DomainError } from '../errors';

const PARAMS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** NIST SP 800-63B §5.1.1.2: at least 8; we ask 12 of people who can issue certificates. */
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

/** Refuses passwords too short, too long, or equal to the account's e-mail address. */
export function checkPasswordPolicy(password: unknown, email: string): string {
  if (typeof password !== 'string') throw new DomainError('validation', 'password is required');
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new DomainError('validation', `password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new DomainError('validation', `password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  if (password.trim().toLowerCase() === email.toLowerCase()) throw new DomainError('validation', 'password must not be the e-mail address');
  return password;
}

/** argon2id hash of `password` (PHC string). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

/** A hash of a random password, verified against when no account matches, so both cases cost the same. */
let decoy: Promise<string> | null = null;

/**
 * Whether `password` matches `stored`. With `stored` null, or a password too long to be anyone's,
 * verifies against the decoy (same parameters as every stored hash) and returns false: the same
 * work whatever the reason for the refusal.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null || password.length > MAX_PASSWORD_LENGTH) {
    decoy ??= hashPassword(randomBytes(24).toString('base64url'));
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
