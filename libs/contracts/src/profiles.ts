/** Leaf certificate profiles of the UDAP Security IG (see docs/issuance.md). */
export const LEAF_PROFILES = ['udap-client', 'udap-server', 'udap-idp'] as const;
/** A leaf certificate profile name. */
export type LeafProfile = (typeof LEAF_PROFILES)[number];

/** Key types a community may allow for leaves and choose for its CAs. */
export const KEY_TYPES = ['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384'] as const;
/** A key type name. */
export type KeyType = (typeof KEY_TYPES)[number];

/** Returns true when `v` names a supported key type. */
export function isKeyType(v: string): v is KeyType {
  return (KEY_TYPES as readonly string[]).includes(v);
}

/** Returns true when `v` names a leaf profile. */
export function isLeafProfile(v: string): v is LeafProfile {
  return (LEAF_PROFILES as readonly string[]).includes(v);
}
