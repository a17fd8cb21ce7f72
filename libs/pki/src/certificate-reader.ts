// Pulls raw fields out of certificate DER (RFC 5280 §4.1) without re-encoding them.
import { Tag } from './der';
import { children, contentOf, DerError, expectTag, integerMagnitude, rawTlv, readRoot, readTime } from './der-reader';
import { PkiError } from './errors';
import { splitSigned } from './signature';

/** Raw fields of a certificate, as copies of the original bytes. */
export interface CertificateParts {
  tbsDer: Uint8Array;
  signatureAlgorithmOid: string;
  /** Unsigned serial magnitude (sign pad removed). */
  serial: Uint8Array;
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  spkiDer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}

/** Splits a certificate into its raw fields; throws PkiError 'validation' when it is not DER X.509. */
export function readCertificateParts(der: Uint8Array): CertificateParts {
  try {
    const { tbs, signatureAlgorithmOid } = splitSigned(der);
    const tbsRoot = readRoot(tbs, Tag.sequence);
    const f = children(tbs, tbsRoot);
    const o = f[0]?.tag === 0xa0 ? 1 : 0; // version is [0] EXPLICIT, DEFAULT v1
    if (f.length < 6 + o) throw new DerError('TBSCertificate is missing fields', tbsRoot.start);
    const validity = children(tbs, expectTag(f[o + 3], Tag.sequence));
    if (validity.length !== 2) throw new DerError('Validity needs two times', f[o + 3].start);
    const copy = (i: number) => Uint8Array.from(rawTlv(tbs, expectTag(f[i], Tag.sequence)));
    return {
      tbsDer: Uint8Array.from(tbs),
      signatureAlgorithmOid,
      serial: Uint8Array.from(integerMagnitude(contentOf(tbs, expectTag(f[o], Tag.integer)))),
      issuerDer: copy(o + 2),
      notBefore: readTime(tbs, validity[0]),
      notAfter: readTime(tbs, validity[1]),
      subjectDer: copy(o + 4),
      spkiDer: copy(o + 5),
    };
  } catch (e) {
    throw new PkiError('validation', `not a DER X.509 certificate: ${(e as Error).message}`);
  }
}
