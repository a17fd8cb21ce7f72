// A community's test kit (docs/test-certificates.md): the negative cases relying servers must reject,
// as GET /pki/communities/{id}/test-kit and the admin API describe them.
import { z } from 'zod';
import { keyTypeSchema, timestamp, uuid, view } from './common';

/** The kit's cases, in the order it lists them. */
export const TEST_CASE_IDS = [
  'valid', 'expired', 'not-yet-valid', 'revoked', 'untrusted-root', 'no-cdp', 'dead-cdp', 'missing-san',
  'iss-san-mismatch', 'iss-trailing-slash', 'missing-intermediate', 'ec-key',
] as const;
/** One case of a test kit. */
export type TestCaseId = (typeof TEST_CASE_IDS)[number];

/** What a relying server must answer to a case's software statement. */
export const testCaseExpectationSchema = view({
  /** accept: register the client; reject: refuse it. */
  outcome: z.enum(['accept', 'reject']),
  /** The registration endpoint's answer (RFC 7591 §3.2.2). */
  registration: z.string(),
  /** The token endpoint's answer to an authentication token of the case. */
  tokenEndpoint: z.string(),
  /** The check that must fail (or, for accept, that all pass). */
  check: z.string(),
  /** The UDAP verifier's (libs/udap) error finding codes, exactly; empty when valid. */
  findings: z.array(z.string()),
  /** `openssl verify -x509_strict -crl_check_all` of the leaf against the TEST anchor with the CRLs at its chain's CDPs. */
  openssl: z.union([view({ passes: z.literal(true) }), view({ passes: z.literal(false), error: z.string() })]),
  section: z.string(),
});
/** What a relying server must answer to a case. */
export type TestCaseExpectation = z.infer<typeof testCaseExpectationSchema>;

/** One of the kit's CAs. */
export const testKitCaViewSchema = view({
  subject: z.string(),
  /** SHA-256 of the certificate DER, lowercase hex. */
  sha256: z.string(),
  notAfter: timestamp,
  certificateUrl: z.string(),
  pemUrl: z.string(),
  crlUrl: z.string(),
});
/** One of the kit's CAs. */
export type TestKitCaView = z.infer<typeof testKitCaViewSchema>;

/** One case: what is wrong with it, the expected answer and its files. */
export const testKitCaseViewSchema = view({
  id: z.enum(TEST_CASE_IDS),
  title: z.string(),
  deviation: z.string(),
  iss: z.string(),
  sanUris: z.array(z.string()),
  keyType: keyTypeSchema,
  alg: z.enum(['RS256', 'ES256']),
  expected: testCaseExpectationSchema,
  files: view({ certificate: z.string(), certificatePem: z.string(), chain: z.string(), privateKey: z.string(), softwareStatement: z.string() }),
});
/** One case of a test kit. */
export type TestKitCaseView = z.infer<typeof testKitCaseViewSchema>;

/** A community's test kit: GET /pki/communities/{id}/test-kit, and the admin API's view of it. */
export const testKitViewSchema = view({
  communityId: uuid,
  communityUri: z.string(),
  notice: z.string(),
  generation: z.number().int().positive(),
  generatedAt: timestamp,
  /** When its CRLs lapse and its valid leaves expire: regenerate before. */
  validUntil: timestamp,
  /** The kit's JSON index, anonymous. */
  url: z.string(),
  anchor: testKitCaViewSchema,
  issuingCa: testKitCaViewSchema,
  untrustedRoot: testKitCaViewSchema.extend({ note: z.string() }).strict(),
  softwareStatements: view({ aud: z.string(), note: z.string() }),
  cases: z.array(testKitCaseViewSchema),
});
/** A community's test kit. */
export type TestKitView = z.infer<typeof testKitViewSchema>;
