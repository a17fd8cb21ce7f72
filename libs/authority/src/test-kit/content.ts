// The stored and published form of a community's test kit (docs/test-certificates.md).
import type { KeyType } from '@anchorage/contracts';
import type { TestCaseId } from './cases';

/** One of the kit's three CAs as published. */
export interface TestKitCa {
  subject: string;
  /** Base64 DER. */
  certificate: string;
  /** Base64 DER of its current CRL. */
  crl: string;
  notAfter: string;
}

/** One case as published: its certificate, its known key and a software statement signed with it. */
export interface TestKitCaseContent {
  id: TestCaseId;
  keyType: KeyType;
  alg: 'RS256' | 'ES256';
  /** The iss (and sub) of the case's JWTs. */
  iss: string;
  /** The leaf's SAN URIs (none for missing-san). */
  sanUris: string[];
  /** Base64 DER of the leaf. */
  certificate: string;
  /** The x5c the case's JWTs carry (standard base64 DER, leaf first). */
  x5c: string[];
  /** The leaf's private key, PKCS#8 PEM: published on purpose (a known key). */
  privateKeyPem: string;
  /** A software statement signed with the key when the kit was generated (valid 5 minutes), for `aud` = softwareStatementAud. */
  softwareStatement: string;
}

/** A kit as stored (test_kit.content). */
export interface TestKitContent {
  format: 'anchorage-test-kit';
  version: 1;
  communityId: string;
  communityUri: string;
  generation: number;
  generatedAt: string;
  /** When the kit's CRLs lapse and its valid leaves expire: regenerate before. */
  validUntil: string;
  /** The registration endpoint named as `aud` in the pre-signed software statements. */
  softwareStatementAud: string;
  cas: { anchor: TestKitCa; issuing: TestKitCa; untrusted: TestKitCa };
  cases: TestKitCaseContent[];
}
