// PKCS #10 CertificationRequestInfo writer (RFC 2986 §4.1) for CA keys the platform holds: the
// signer signs the info, and assembleSigned turns it into the CertificationRequest (same shape as
// a Certificate: SEQUENCE { info, signatureAlgorithm, signature BIT STRING }, RFC 2986 §4.2).
import { derImplicitConstructed, derInteger, derSequence, Tag } from './der';
import { readRoot } from './der-reader';
import { PkiError } from './errors';
import { describePublicKey } from './keys';

/** Inputs of buildCsrInfo. */
export interface CsrInfoParams {
  /** Subject Name DER (see encodeName). */
  subject: Uint8Array;
  /** SubjectPublicKeyInfo DER of the key that will sign the request. */
  spkiDer: Uint8Array;
}

/**
 * CertificationRequestInfo ::= SEQUENCE { version INTEGER (0), subject Name, subjectPKInfo,
 * attributes [0] IMPLICIT SET OF Attribute } with an empty attribute set: the external root
 * decides every extension of the CA certificate, so the request asks for none (RFC 2986 §4.1).
 */
export function buildCsrInfo(p: CsrInfoParams): Uint8Array {
  for (const [what, der] of [['subject Name', p.subject], ['SubjectPublicKeyInfo', p.spkiDer]] as const) {
    try {
      readRoot(der, Tag.sequence);
    } catch (e) {
      throw new PkiError('validation', `${what} is not a DER SEQUENCE: ${(e as Error).message}`);
    }
  }
  describePublicKey(p.spkiDer); // refuses a malformed SubjectPublicKeyInfo
  return derSequence(derInteger(0), p.subject, p.spkiDer, derImplicitConstructed(0));
}
