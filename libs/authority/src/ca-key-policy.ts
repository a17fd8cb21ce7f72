// The community policy requireRsaChain: relying parties that verify only RSA (node-forge; profile
// sheet design/udap-profile.md, "EC keys") reject every chain with an EC CA, so a community that must
// serve them may forbid EC CA keys. The warning for communities that do not is communityWarnings
// (contracts), in the community view.
import { isRsaKeyType, KEY_TYPES, type KeyType } from '@anchorage/contracts';
import { DomainError } from './errors';

/** The CA key types `requireRsaChain` allows. */
export const RSA_KEY_TYPES: readonly KeyType[] = KEY_TYPES.filter(isRsaKeyType);

/** A CA key a community's policy is asked to accept, and the request field that supplied it. */
export interface CaKeyUnderPolicy {
  what: string;
  field: string;
  keyType: KeyType;
}

/**
 * Refuses, with 'key-policy', CA keys that a community with `requireRsaChain` forbids. Callers check
 * before they create or change anything, so a refusal leaves nothing behind.
 */
export function enforceCaKeyPolicy(policy: { requireRsaChain?: boolean }, keys: CaKeyUnderPolicy[]): void {
  if (policy.requireRsaChain !== true) return;
  const ec = keys.filter((k) => !isRsaKeyType(k.keyType));
  if (ec.length === 0) return;
  const reason = `the community policy requireRsaChain allows only RSA CA keys (${RSA_KEY_TYPES.join(', ')}): relying parties that verify only RSA (node-forge) reject every chain with an EC CA`;
  throw new DomainError('key-policy', `${ec.map((k) => `the ${k.what} key is ${k.keyType}`).join('; ')}; ${reason}`, {
    errors: ec.map((k) => ({ field: k.field, message: `is ${k.keyType}; ${reason}` })),
  });
}
