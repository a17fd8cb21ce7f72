import { DomainError } from '@anchorage/contracts';

/** A refused operation, with a stable code the API maps to a problem document once, at the edge (defined in contracts). */
export { DomainError };

/** Shorthand for a not-found error naming what was looked for. */
export function notFound(what: string, id: string): DomainError {
  return new DomainError('not-found', `${what} ${id} not found`, { id });
}
