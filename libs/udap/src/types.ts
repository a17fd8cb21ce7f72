// Public types of the UDAP verifier: what a relying party supplies (its trust community, the kind of
// JWT and the values it expects) and what it gets back (findings, each with a stable code).
import type { JWSHeaderParameters } from 'jose';
import type { Finding } from './findings';

export type { Finding, Severity } from './findings';

/** The four signed JWTs of the UDAP Security IG that a relying party validates. */
export type UdapJwtKind = 'software-statement' | 'signed-metadata' | 'authentication-token' | 'certification';

/** Every UdapJwtKind, in IG order. */
export const UDAP_JWT_KINDS: readonly UdapJwtKind[] = ['signed-metadata', 'software-statement', 'authentication-token', 'certification'];

/** The trust community as the relying party knows it. The verifier does no I/O of its own. */
export interface UdapTrust {
  /** DER trust anchors of the community. */
  anchors: readonly Uint8Array[];
  /** Known intermediates (the community's issuing CAs), used in addition to x5c[1..]. */
  intermediates?: readonly Uint8Array[];
  /** The caller fetches (and caches) the CRL at `url`; null when it is unavailable. */
  crl(url: string): Promise<Uint8Array | null>;
}

/** The OAuth grant a token request uses (decides whether the hl7-b2b extension is required). */
export type UdapGrantType = 'authorization_code' | 'client_credentials';

/** Values the relying party knows and the JWT must carry. */
export interface ExpectedClaims {
  /** Exact `iss`: the FHIR base URL for signed metadata, the client_id for an authentication token. */
  iss?: string;
  /** Exact `sub`: the client_id for an authentication token, the certified app's client URI for a certification. */
  sub?: string;
  /** The relying party's own endpoint(s): the claim `aud` must name one of them. */
  aud?: string | readonly string[];
  /** authentication-token: the SAN URI the client_id was registered with (udap.org JWT client auth §6.3). */
  registeredSanUri?: string;
  /** authentication-token: the grant of the token request; client_credentials requires `extensions.hl7-b2b`. */
  grantType?: UdapGrantType;
  /** signed-metadata: the unsigned metadata served with it; its endpoints must match the signed ones. */
  unsignedMetadata?: Readonly<Record<string, unknown>>;
}

/** Options of verifyUdapJwt. */
export interface VerifyOptions {
  kind: UdapJwtKind;
  /** The instant to validate at (certificates, CRLs, exp and iat); the verifier never reads the clock. */
  now: Date;
  expected?: ExpectedClaims;
}

/** The verdict on one UDAP JWT. */
export interface UdapVerification {
  /** True when there is no error finding. */
  valid: boolean;
  findings: Finding[];
  /** The protected header, when it could be decoded. */
  header?: JWSHeaderParameters;
  /** The claims, when the payload could be decoded (even if the signature failed: check `valid`). */
  claims?: Record<string, unknown>;
  /** DER certificates from the leaf to the trust anchor, when a path to an anchor was built. */
  chain?: Uint8Array[];
}
