// TBSCertificate and signed-object assembly (RFC 5280 §4.1, §5.1).
import { algorithmIdentifierDer, type SignatureAlgorithm } from './algorithms';
import { derBitString, derExplicit, derInteger, derLengthSize, derSequence, derTime, Tag, writeDerLength } from './der';
import { readRoot } from './der-reader';
import { encodeExtensions, type Extension } from './extensions';
import { PkiError } from './errors';

/** Inputs of the generic TBSCertificate writer; profile rules live in the templates and in lint. */
export interface TbsCertificateParams {
  /** Unsigned big-endian serial magnitude (see newSerial). */
  serial: Uint8Array;
  signatureAlgorithm: SignatureAlgorithm;
  /** Issuer Name DER. */
  issuer: Uint8Array;
  /** Subject Name DER. */
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** SubjectPublicKeyInfo DER, copied verbatim. */
  spkiDer: Uint8Array;
  extensions: readonly Extension[];
}

/** Writes a v3 TBSCertificate; checks only structure (names and SPKI are DER, notBefore < notAfter). */
export function buildTbsCertificate(p: TbsCertificateParams): Uint8Array {
  checkDer(p.issuer, 'issuer Name');
  checkDer(p.subject, 'subject Name');
  checkDer(p.spkiDer, 'SubjectPublicKeyInfo');
  if (p.serial.length === 0) throw new PkiError('validation', 'serial must not be empty');
  if (!(p.notBefore.getTime() < p.notAfter.getTime())) {
    throw new PkiError('validation', `notBefore ${p.notBefore.toISOString()} must precede notAfter ${p.notAfter.toISOString()}`);
  }
  return derSequence(
    derExplicit(0, derInteger(2)), // version v3 (RFC 5280 §4.1.2.1: extensions present)
    derInteger(p.serial),
    algorithmIdentifierDer(p.signatureAlgorithm),
    p.issuer,
    derSequence(derTime(p.notBefore), derTime(p.notAfter)),
    p.subject,
    p.spkiDer,
    derExplicit(3, encodeExtensions(p.extensions)),
  );
}

function checkDer(bytes: Uint8Array, what: string): void {
  try {
    readRoot(bytes, Tag.sequence);
  } catch (e) {
    throw new PkiError('validation', `${what} is not a DER SEQUENCE: ${(e as Error).message}`);
  }
}

/**
 * Certificate / CertificateList ::= SEQUENCE { tbs, signatureAlgorithm, signatureValue BIT STRING }
 * (RFC 5280 §4.1.1, §5.1.1), written with one allocation so multi-megabyte CRLs are copied once.
 * For ECDSA, `signature` is the DER Ecdsa-Sig-Value the signer returns (RFC 5480 / RFC 3279 §2.2.3).
 */
export function assembleSigned(tbsDer: Uint8Array, signatureAlgorithm: SignatureAlgorithm, signature: Uint8Array): Uint8Array {
  const algId = algorithmIdentifierDer(signatureAlgorithm);
  const sig = derBitString(signature);
  const contentLen = tbsDer.length + algId.length + sig.length;
  const out = new Uint8Array(1 + derLengthSize(contentLen) + contentLen);
  out[0] = Tag.sequence;
  let off = writeDerLength(out, 1, contentLen);
  out.set(tbsDer, off);
  off += tbsDer.length;
  out.set(algId, off);
  off += algId.length;
  out.set(sig, off);
  return out;
}
