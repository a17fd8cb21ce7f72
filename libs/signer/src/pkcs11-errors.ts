import { SignerError } from './errors';

/** The CKR_* name of a pkcs11js error, or undefined for non-PKCS#11 errors. */
export function ckrName(e: unknown): string | undefined {
  const message = e instanceof Error ? e.message : '';
  return /^CKR_[A-Z0-9_]+$/.test(message) ? message : undefined;
}

/** Wraps a PKCS#11 failure into a SignerError naming the operation and the CKR_* code (never arguments such as PINs). */
export function pkcs11Failure(what: string, e: unknown): SignerError {
  if (e instanceof SignerError) return e;
  return new SignerError(`${what}: ${ckrName(e) ?? (e instanceof Error ? e.message : 'unknown error')}`);
}
