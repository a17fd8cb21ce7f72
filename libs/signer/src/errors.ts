import { ErrorCode } from '@anchorage/contracts';

/**
 * The one error type the signer throws. Messages name the key reference, file path or token involved
 * and never contain key material or PINs (architecture: typed errors with codes, mapped once at the edge).
 */
export class SignerError extends Error {
  /** Stable code the API maps to a problem document. */
  readonly code = ErrorCode.signer;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignerError';
  }
}
