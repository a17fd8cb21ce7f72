/** Leaf certificate profiles of the UDAP Security IG (see docs/issuance.md). */
export const LEAF_PROFILES = ['udap-client', 'udap-server', 'udap-idp', 'udap-certifier'] as const;
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

/** A public-key algorithm family. */
export type KeyAlgorithm = 'RSA' | 'EC';

/** The algorithm family of a key type. */
export function keyAlgorithmOf(k: KeyType): KeyAlgorithm {
  return k.startsWith('RSA-') ? 'RSA' : 'EC';
}

/** A keyUsage bit by its RFC 5280 §4.2.1.3 name. */
export type KeyUsageBitName =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement'
  | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

/** What one leaf profile requires (udap-profile.md "Leaf"); libs/pki compiles it into checks (profile-rules.ts). */
export interface LeafProfileRules {
  /** Key algorithms its holder may use: RSA only, or RSA and EC; the community's allowed key types narrow them further. */
  readonly keyAlgorithms: readonly KeyAlgorithm[];
  /** The keyUsage bits its certificate carries, exactly (the extension is critical). */
  readonly keyUsage: readonly KeyUsageBitName[];
  /** Its SAN URI rules (each URI is also absolute, canonical and IA5, and none is listed twice). */
  readonly san: {
    /** Fewest distinct SAN URIs: the holder's JWT `iss` must equal one of them. */
    readonly minUris: number;
    /** Whether every SAN URI must be https. */
    readonly requireHttps: boolean;
  };
  /** Whether a community's `requireEndpointControl` holds its requests until every SAN URI passed endpoint control. */
  readonly endpointControl: boolean;
  /** Whether a community's `autoApproveVerifiedRequests` may approve its requests; false: an operator always decides. */
  readonly autoApproval: boolean;
}

/**
 * The leaf profiles as data (architecture habit 3), the one statement of what each requires: the API's
 * key, SAN, template and lint checks (libs/pki profile-rules.ts), request approval and the console's key
 * choices all read it.
 */
export const LEAF_PROFILE_RULES: Readonly<Record<LeafProfile, LeafProfileRules>> = {
  // a B2B client app: RSA, or EC (ES256/ES384) where the community allows it
  'udap-client': { keyAlgorithms: ['RSA', 'EC'], keyUsage: ['digitalSignature'], san: { minUris: 1, requireHttps: false }, endpointControl: false, autoApproval: true },
  // a FHIR server: its signed_metadata is RS256, its SAN its https FHIR base URL
  'udap-server': { keyAlgorithms: ['RSA'], keyUsage: ['digitalSignature'], san: { minUris: 1, requireHttps: true }, endpointControl: true, autoApproval: true },
  // an identity provider for tiered OAuth: signs RS256 and is reached over https like a server
  'udap-idp': { keyAlgorithms: ['RSA'], keyUsage: ['digitalSignature'], san: { minUris: 1, requireHttps: true }, endpointControl: false, autoApproval: true },
  // a certifier signing certification JWTs of member apps (udap.org Certifications and Endorsements): RS256
  // by default, its SAN the https URI it puts in `iss`; it serves no endpoint, so there is nothing to control;
  // admitting a certifier is an operator's decision, never an automatic approval (docs/certifications.md)
  'udap-certifier': { keyAlgorithms: ['RSA'], keyUsage: ['digitalSignature'], san: { minUris: 1, requireHttps: true }, endpointControl: false, autoApproval: false },
};
