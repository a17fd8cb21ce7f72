// Signature verification of signed X.509 objects (certificates, CRLs) with Node crypto.
import { verify } from 'node:crypto';
import { Tag } from './der';
import { children, contentOf, DerError, expectTag, rawTlv, readOid, readRoot } from './der-reader';
import { publicKeyObject } from './keys';
import { OID } from './oids';

/** The three parts of a Certificate or CertificateList (RFC 5280 §4.1.1, §5.1.1), as views. */
export interface SignedParts {
  tbs: Uint8Array;
  signatureAlgorithmOid: string;
  signature: Uint8Array;
}

// Algorithms accepted when verifying (RSA PKCS #1 v1.5 with SHA-2, ECDSA with SHA-2).
const VERIFY_ALGS: Record<string, { hash: string; ec: boolean }> = {
  [OID.sha256WithRSAEncryption]: { hash: 'sha256', ec: false },
  [OID.sha384WithRSAEncryption]: { hash: 'sha384', ec: false },
  [OID.sha512WithRSAEncryption]: { hash: 'sha512', ec: false },
  [OID.ecdsaWithSHA256]: { hash: 'sha256', ec: true },
  [OID.ecdsaWithSHA384]: { hash: 'sha384', ec: true },
};

/** Splits SEQUENCE { tbs, algorithm, BIT STRING } without copying; throws DerError when malformed. */
export function splitSigned(der: Uint8Array): SignedParts {
  const root = readRoot(der, Tag.sequence);
  const parts = children(der, root);
  if (parts.length !== 3) throw new DerError('signed object needs tbs, algorithm and signature', root.start);
  const [tbs, alg, sig] = parts;
  expectTag(tbs, Tag.sequence);
  const bits = contentOf(der, expectTag(sig, Tag.bitString));
  if (bits.length < 1 || bits[0] !== 0) throw new DerError('signature BIT STRING has unused bits', sig.start);
  return {
    tbs: rawTlv(der, tbs),
    signatureAlgorithmOid: readOid(der, children(der, expectTag(alg, Tag.sequence))[0]),
    signature: bits.subarray(1),
  };
}

/** True when the certificate or CRL `der` carries a valid signature by the key in `signerSpkiDer`. */
export function verifySignedObject(der: Uint8Array, signerSpkiDer: Uint8Array): boolean {
  try {
    const { tbs, signatureAlgorithmOid, signature } = splitSigned(der);
    const alg = VERIFY_ALGS[signatureAlgorithmOid];
    if (!alg) return false;
    const key = publicKeyObject(signerSpkiDer);
    if ((key.asymmetricKeyType === 'ec') !== alg.ec) return false;
    return alg.ec ? verify(alg.hash, tbs, { key, dsaEncoding: 'der' }, signature) : verify(alg.hash, tbs, key, signature);
  } catch {
    return false;
  }
}
