// Where each rule comes from: sections of the HL7 UDAP Security IG STU2 (hl7.fhir.us.udap-security 2.0.0)
// and of the udap.org profiles it delegates validation to. Numbers were checked against the IG source;
// see libs/udap/README.md for what was and was not confirmed.
import type { UdapJwtKind } from './types';

/** Sections of the IG that apply to every UDAP JWT. */
export const IG = {
  /** General Requirements → JWT Requirements → General requirements and serialization (compact JWS). */
  serialization: 'UDAP STU2 §7.1.1',
  /** → Signature algorithm identifiers (RS256 SHALL, ES256 SHOULD, RS384/ES384 MAY). */
  algorithms: 'UDAP STU2 §7.1.2',
  /** → JWT headers (alg, x5c: base64 DER, leaf first). */
  headers: 'UDAP STU2 §7.1.3',
  /** → JWT Claims (iss, exp, jti in every JWT). */
  claims: 'UDAP STU2 §7.1.4',
  /** Discovery → Signed metadata elements (claims; RS256 only). */
  signedMetadata: 'UDAP STU2 §2.3',
  /** Registration → Software Statement. */
  softwareStatement: 'UDAP STU2 §3.1',
  /** Business-to-Business → Constructing Authentication Token. */
  authenticationToken: 'UDAP STU2 §5.2.1',
  /** → B2B Authorization Extension Object (hl7-b2b). */
  b2bExtension: 'UDAP STU2 §5.2.1.1',
  /** General Requirements → Certifications for client applications → Certification template. */
  certificationTemplate: 'UDAP STU2 §7.4.1',
  /** udap.org Certifications and Endorsements, step 1 (the certification claims; exp max 3 years, not after the certificate). */
  certificationClaims: 'udap.org Certifications and Endorsements §1',
  /** udap.org Server Metadata §3.4: unsigned endpoints must match the signed ones. */
  metadataEndpoints: 'udap.org Server Metadata §3.4',
} as const;

/** The sections a kind's rules come from. */
export interface KindSections {
  /** The IG table of the kind's claims. */
  profile: string;
  /** The relying party's signature check. */
  signature: string;
  /** The relying party's chain building and path validation (validity, revocation). */
  chain: string;
  /** The relying party's iss/sub/aud/exp/iat/jti validation. */
  validation: string;
}

/** Per kind: the IG table and the udap.org validation steps the IG points to. */
export const KIND_SECTIONS: Readonly<Record<UdapJwtKind, KindSections>> = {
  'software-statement': {
    profile: IG.softwareStatement,
    signature: 'udap.org DCR §4.1',
    chain: 'udap.org DCR §4.2',
    validation: 'udap.org DCR §4.3',
  },
  'signed-metadata': {
    profile: IG.signedMetadata,
    signature: 'udap.org Server Metadata §3.1',
    chain: 'udap.org Server Metadata §3.2',
    validation: 'udap.org Server Metadata §3.3',
  },
  'authentication-token': {
    profile: IG.authenticationToken,
    signature: 'udap.org JWT Client Auth §6.1',
    chain: 'udap.org JWT Client Auth §6.2',
    validation: 'udap.org JWT Client Auth §6.3',
  },
  certification: {
    profile: IG.certificationTemplate,
    signature: 'udap.org Certifications and Endorsements §6.1',
    chain: 'udap.org Certifications and Endorsements §6.4',
    validation: 'udap.org Certifications and Endorsements §6.3',
  },
};

/** The chain section of a kind followed by the RFC 5280 rule, e.g. 'udap.org DCR §4.2; RFC 5280 §6.3'. */
export function chainSection(kind: UdapJwtKind, rfc5280: string): string {
  return `${KIND_SECTIONS[kind].chain}; RFC 5280 ${rfc5280}`;
}
