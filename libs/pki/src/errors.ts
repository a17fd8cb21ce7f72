import { DomainError, ErrorCode, type ErrorCodeValue } from '@anchorage/contracts';

/** Codes libs/pki throws; a subset of the platform's ErrorCode enum. */
export type PkiErrorCode =
  | typeof ErrorCode.badCsr
  | typeof ErrorCode.keyPolicy
  | typeof ErrorCode.sanInvalid
  | typeof ErrorCode.lint
  | typeof ErrorCode.validation;

/** A typed PKI error: a DomainError, so the API maps it to a problem document like any other. */
export class PkiError extends DomainError {
  /** Creates an error with a stable platform error code and optional structured details. */
  constructor(code: ErrorCodeValue, message: string, details?: Record<string, unknown>) {
    super(code, message, details ?? {});
    this.name = 'PkiError';
  }
}

/** Returns true when `e` is a PkiError (optionally with the given code). */
export function isPkiError(e: unknown, code?: ErrorCodeValue): e is PkiError {
  return e instanceof PkiError && (code === undefined || e.code === code);
}
