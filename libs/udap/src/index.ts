// Public API of libs/udap: the UDAP JWT verifier of a relying party (pure: no I/O, no clock, no database).
export {
  type UdapJwtKind,
  type UdapTrust,
  type UdapGrantType,
  type ExpectedClaims,
  type VerifyOptions,
  type Severity,
  type Finding,
  type UdapVerification,
  UDAP_JWT_KINDS,
} from './types';
export { FINDING_SEVERITY, type FindingCode } from './findings';
export { IG, KIND_SECTIONS, type KindSections } from './sections';
export { UDAP_ALGORITHMS, type UdapAlgorithm } from './jws';
export { CLOCK_SKEW_SECONDS, MAX_LIFETIME } from './claim-rules/common';
export { sanUris } from './certificate';
export { verifyUdapJwt } from './verify';
