import { DomainError, ErrorCode } from '@anchorage/contracts';

/**
 * The one error type the signer throws: a DomainError of code signer-error, which the API answers 503
 * wherever it comes from. Messages name the key reference, file path or token involved and never
 * contain key material or PINs (architecture: typed errors with codes, mapped once at the edge).
 */
export class SignerError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.signer, message, {}, options);
    this.name = 'SignerError';
  }
}
