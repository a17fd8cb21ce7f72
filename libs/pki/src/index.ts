// Public API of libs/pki: pure X.509/ASN.1 for the UDAP trust-community CA (no keys, no I/O, no clock).
export { PkiError, isPkiError, type PkiErrorCode } from './errors';
export { concatBytes, toHex, fromHex, bytesEqual } from './bytes';
export {
  Tag,
  derLength,
  derLengthSize,
  tlv,
  derSequence,
  derSet,
  derInteger,
  derEnumerated,
  derOid,
  derNull,
  derBoolean,
  derBitString,
  derNamedBits,
  derOctetString,
  derUtf8String,
  derPrintableString,
  derIa5String,
  derTime,
  derUtcTime,
  derGeneralizedTime,
  derExplicit,
  derImplicitPrimitive,
  derImplicitConstructed,
} from './der';
export {
  DerError,
  type DerNode,
  readTlv,
  readRoot,
  children,
  rawTlv,
  contentOf,
  decodeOid,
  readOid,
  readUnsigned,
  readTime,
} from './der-reader';
export { OID } from './oids';
export {
  type SignatureAlgorithm,
  SIGNATURE_ALGORITHMS,
  signatureAlgorithmFor,
  signatureAlgorithmOid,
  signatureAlgorithmFromOid,
  algorithmIdentifierDer,
  nodeHashFor,
  keyAlgorithmFor,
} from './algorithms';
export { type NameAttributes, encodeName, nameToString } from './names';
export {
  type PublicKeyDescription,
  type KeyPolicyOptions,
  describePublicKey,
  importPublicKey,
  publicKeyObject,
  subjectPublicKeyBits,
  subjectKeyIdentifier,
  checkKeyPolicy,
  profileRequiresRsa,
} from './keys';
export {
  MAX_SAN_URI_LENGTH,
  type SanUriOptions,
  canonicalSanUri,
  checkSanUri,
  checkSanUris,
  sanRequiresHttps,
} from './san';
export {
  type CheckedSanUris,
  type SanReview,
  type LeafProfileChecks,
  compileLeafProfile,
  leafProfileChecks,
  isCheckedSanUris,
  sanUrisFor,
} from './profile-rules';
export { type PemBlock, toPem, fromPem, pemBlocks, certificatesToPem, x5c, certificateDerFrom } from './pem';
export { type ParsedCsr, type ParseCsrOptions, DEFAULT_MAX_CSR_BYTES, parseCsr } from './csr';
export { PoolWhenBusy } from './pool-when-busy';
export { type CsrInfoParams, buildCsrInfo } from './csr-builder';
export {
  type Extension,
  KeyUsageBit,
  encodeExtension,
  encodeExtensions,
  basicConstraintsExtension,
  keyUsageExtension,
  subjectKeyIdentifierExtension,
  authorityKeyIdentifierExtension,
  uriGeneralName,
  subjectAltNameUrisExtension,
  crlDistributionPointsExtension,
  authorityInfoAccessExtension,
  extendedKeyUsageExtension,
  certificatePoliciesExtension,
  checkHttpUrl,
} from './extensions';
export { type TbsCertificateParams, buildTbsCertificate, assembleSigned } from './tbs-certificate';
export {
  type RootCaTbsParams,
  type IssuingCaTbsParams,
  type LeafTbsParams,
  buildRootCaTbs,
  buildIssuingCaTbs,
  buildLeafTbs,
  checkAlgorithmFitsKey,
} from './certificate-templates';
export { SERIAL_RANDOM_BYTES, newSerial, serialToHex, serialFromHex } from './serial';
export { VALIDITY_BACKDATE_SECONDS, type ValidityRequest, validityWithin } from './validity';
export { type LintKind, type LintContext, type LintRule, LINT_RULES } from './lint-rules';
export { lintTbsCertificate, assertLintClean } from './lint';
export { type TbsCertListHead, readTbsCertListHead, readCsrInfoSpki, readTbsSerialHex, readTbsSubjectSpki, readTbsNames } from './signing-input';
export { type CrlEncoderOptions, CrlEncoder, encodeCrlEntry } from './crl-encoder';
export { type CrlInfo, type CrlEntryInfo, readCrlInfo, findSerial, hasSerial } from './crl-reader';
export { type SignedParts, splitSigned, verifySignedObject } from './signature';
export { type CertificateParts, readCertificateParts } from './certificate-reader';
export {
  type Pkcs12Params,
  PKCS12_KDF_ITERATIONS,
  PKCS12_MAC_ITERATIONS,
  buildPkcs12,
} from './pkcs12';
export {
  type CertificateDescription,
  type KeyUsageName,
  describeCertificate,
  verifyCaCertificateMatchesKey,
  checkIsCaCertificate,
  verifySignedBy,
} from './chain';
export { describeExtensions, type DescribedExtension } from './describe-extensions';
export { type TestLeafOmission, buildTestLeafTbs } from './test-kit-templates';
