import type { AuthorityDeps, IdentityKeys } from '../deps';
import { DomainError } from '../errors';

/** The sign-in secrets, or a clear error when the platform runs without a key-encryption key. */
export function identityKeys(deps: Pick<AuthorityDeps, 'identityKeys'>): IdentityKeys {
  if (!deps.identityKeys) {
    throw new DomainError('identity-unavailable', 'user sign-in needs the web key (ANCHORAGE_WEB_KEY_FILE); only API tokens work without one');
  }
  return deps.identityKeys;
}
