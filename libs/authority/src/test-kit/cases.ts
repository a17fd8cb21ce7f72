// The cases of a community's test kit (docs/test-certificates.md): what is wrong with each, and what a
// relying server must answer to it. The verdicts are checked against libs/udap's verifier and OpenSSL
// in test-kit.integration-spec.ts, so this table and the verifier cannot drift apart.
import type { TestCaseExpectation as WireExpectation, TestCaseId } from '@anchorage/contracts';
import type { FindingCode } from '@anchorage/udap';

export { TEST_CASE_IDS, type TestCaseId } from '@anchorage/contracts';

/** What a relying server must do with a case's software statement (the wire view, with typed finding codes). */
export interface TestCaseExpectation extends WireExpectation {
  /** libs/udap's finding codes for it (its errors, exactly); empty when the statement is valid. */
  findings: FindingCode[];
}

/** A case's description. */
export interface TestCaseDefinition {
  id: TestCaseId;
  title: string;
  /** What is wrong with it (or "nothing"). */
  deviation: string;
  expected: TestCaseExpectation;
}

const REJECT_REGISTRATION = '400 {"error":"invalid_software_statement"}';
const UNAPPROVED_REGISTRATION = '400 {"error":"unapproved_software_statement"}';
const REJECT_TOKEN = '400 {"error":"invalid_client"} (401 if the client authenticated with HTTP Basic)';
const ACCEPT_REGISTRATION = '201 with a client_id';
const ACCEPT_TOKEN = '200 with an access token';

/** Every case and its expected answer. */
export const TEST_CASES: readonly TestCaseDefinition[] = [
  {
    id: 'valid', title: 'Valid (positive control)', deviation: 'nothing: a udap-client certificate under the TEST issuing CA, x5c with the intermediate, iss equal to the SAN URI, RS256',
    expected: {
      outcome: 'accept', registration: ACCEPT_REGISTRATION, tokenEndpoint: ACCEPT_TOKEN, check: 'every check passes; a server that rejects this one rejects everything',
      findings: [], openssl: { passes: true }, section: 'UDAP STU2 §3.1, §5.2.3',
    },
  },
  {
    id: 'expired', title: 'Expired certificate', deviation: 'the leaf\'s notAfter is in the past',
    expected: {
      outcome: 'reject', registration: REJECT_REGISTRATION, tokenEndpoint: REJECT_TOKEN, check: 'certificate validity period (RFC 5280 §6.1.3 (a)(2))',
      findings: ['cert-expired'], openssl: { passes: false, error: 'certificate has expired' }, section: 'RFC 5280 §6.1.3',
    },
  },
  {
    id: 'not-yet-valid', title: 'Certificate not yet valid', deviation: 'the leaf\'s notBefore is years in the future',
    expected: {
      outcome: 'reject', registration: REJECT_REGISTRATION, tokenEndpoint: REJECT_TOKEN, check: 'certificate validity period (RFC 5280 §6.1.3 (a)(2))',
      findings: ['cert-not-yet-valid'], openssl: { passes: false, error: 'certificate is not yet valid' }, section: 'RFC 5280 §6.1.3',
    },
  },
  {
    id: 'revoked', title: 'Revoked certificate', deviation: 'the leaf is listed (keyCompromise) on the TEST issuing CA\'s CRL',
    expected: {
      outcome: 'reject', registration: REJECT_REGISTRATION, tokenEndpoint: REJECT_TOKEN, check: 'revocation status from the CRL at the leaf\'s CDP',
      findings: ['revoked'], openssl: { passes: false, error: 'certificate revoked' }, section: 'RFC 5280 §6.3',
    },
  },
  {
    id: 'untrusted-root', title: 'Chain to an untrusted root', deviation: 'the leaf is issued by a TEST root that is no trust anchor of the community (x5c carries that root)',
    expected: {
      outcome: 'reject', registration: UNAPPROVED_REGISTRATION, tokenEndpoint: REJECT_TOKEN, check: 'path to one of the community\'s trust anchors; a root sent in x5c is never trusted for being there',
      findings: ['untrusted-anchor'], openssl: { passes: false, error: 'self-signed certificate in certificate chain' }, section: 'RFC 5280 §6.1',
    },
  },
  {
    id: 'no-cdp', title: 'No CRL distribution point', deviation: 'the leaf has no cRLDistributionPoints, so its revocation status cannot be checked',
    expected: {
      outcome: 'reject', registration: REJECT_REGISTRATION, tokenEndpoint: REJECT_TOKEN, check: 'revocation checking at every level: a certificate whose status cannot be checked is not accepted',
      findings: ['crl-missing-cdp'], openssl: { passes: false, error: 'unable to get certificate CRL' }, section: 'RFC 5280 §4.2.1.13, §6.3',
    },
  },
  {
    id: 'dead-cdp', title: 'Dead CRL distribution point', deviation: 'the leaf\'s CDP URL answers 404',
    expected: {
      outcome: 'reject', registration: REJECT_REGISTRATION, tokenEndpoint: REJECT_TOKEN, check: 'revocation checking: a CRL that cannot be fetched fails closed',
      findings: ['crl-unavailable'], openssl: { passes: false, error: 'unable to get certificate CRL' }, section: 'RFC 5280 §6.3',
    },
  },
  {
    id: 'missing-san', title: 'No subjectAltName', deviation: 'the leaf has no subjectAltName, so no SAN URI can equal the iss',
    expected: {
      outcome: 'reject', registration: REJECT_REGISTRATION, tokenEndpoint: REJECT_TOKEN, check: 'iss equals a SAN URI of x5c[0]',
      findings: ['iss-not-in-san'], openssl: { passes: true }, section: 'UDAP STU2 §5.2.3',
    },
  },
  {
    id: 'iss-san-mismatch', title: 'iss is not the SAN', deviation: 'the certificate is fine; the software statement\'s iss (and sub) names another URI than its SAN',
    expected: {
      outcome: 'reject', registration: REJECT_REGISTRATION, tokenEndpoint: REJECT_TOKEN, check: 'iss equals a SAN URI of x5c[0], byte for byte',
      findings: ['iss-not-in-san'], openssl: { passes: true }, section: 'UDAP STU2 §5.2.3',
    },
  },
  {
    id: 'iss-trailing-slash', title: 'iss differs from the SAN by a trailing slash', deviation: 'the software statement\'s iss is the SAN URI with a "/" appended',
    expected: {
      outcome: 'reject', registration: REJECT_REGISTRATION, tokenEndpoint: REJECT_TOKEN, check: 'iss equals a SAN URI byte for byte: no normalization of trailing slashes',
      findings: ['iss-trailing-slash-mismatch'], openssl: { passes: true }, section: 'UDAP STU2 §5.2.3',
    },
  },
  {
    id: 'missing-intermediate', title: 'Intermediate missing from x5c', deviation: 'x5c holds the leaf alone, without the TEST issuing CA',
    expected: {
      outcome: 'reject', registration: REJECT_REGISTRATION, tokenEndpoint: REJECT_TOKEN,
      check: 'path building from x5c: the IG has the client send its intermediates (a server that fetches AIA caIssuers may build the path and accept; most relying parties in the field do not)',
      findings: ['chain-incomplete'], openssl: { passes: false, error: 'unable to get local issuer certificate' }, section: 'UDAP STU2 §7.1.1; RFC 7515 §4.1.6',
    },
  },
  {
    id: 'ec-key', title: 'EC key, ES256', deviation: 'an EC P-256 udap-client certificate; the software statement is signed ES256 instead of RS256',
    expected: {
      outcome: 'accept', registration: `${ACCEPT_REGISTRATION} if the server implements ES256 (SHOULD); an RS256-only server answers ${REJECT_REGISTRATION}, never a 5xx`,
      tokenEndpoint: `${ACCEPT_TOKEN}, or ${REJECT_TOKEN} from an RS256-only server`, check: 'algorithm support: RS256 SHALL, ES256 SHOULD; the key type must match alg',
      findings: [], openssl: { passes: true }, section: 'UDAP STU2 §7.1.2',
    },
  },
];

/** The definition of `id`. */
export function testCase(id: TestCaseId): TestCaseDefinition {
  return TEST_CASES.find((c) => c.id === id)!;
}
