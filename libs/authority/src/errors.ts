import type { ErrorCodeValue } from '@anchorage/contracts';

/** A refused operation, with a stable code the API maps to a problem document once, at the edge. */
export class DomainError extends Error {
  constructor(
    public readonly code: ErrorCodeValue,
    message: string,
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Shorthand for a not-found error naming what was looked for. */
export function notFound(what: string, id: string): DomainError {
  return new DomainError('not-found', `${what} ${id} not found`, { id });
}
