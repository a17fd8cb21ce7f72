import { ErrorCode, type ErrorCodeValue } from '@anchorage/contracts';

/** Codes libs/pki throws; a subset of the platform's ErrorCode enum. */
export type PkiErrorCode =
  | typeof ErrorCode.badCsr
  | typeof ErrorCode.keyPolicy
  | typeof ErrorCode.sanInvalid
  | typeof ErrorCode.lint
  | typeof ErrorCode.validation;

/** A typed PKI error; libs/authority passes `code` through and apps/api maps it to a problem document. */
export class PkiError extends Error {
  /** Creates an error with a stable platform error code and optional structured details. */
  constructor(
    public readonly code: ErrorCodeValue,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'PkiError';
  }
}

/** Returns true when `e` is a PkiError (optionally with the given code). */
export function isPkiError(e: unknown, code?: ErrorCodeValue): e is PkiError {
  return e instanceof PkiError && (code === undefined || e.code === code);
}
