// The JWS layer of a UDAP JWT: compact serialization, header `alg` and `x5c`, and the signature by
// the key of x5c[0] (UDAP STU2 §7.1; the relying party's signature step of each udap.org profile).
import type { KeyObject } from 'node:crypto';
import { compactVerify, type JWSHeaderParameters } from 'jose';
import { publicKeyObject } from '@anchorage/pki';
import { tryParseCertificate, type ParsedCertificate } from './certificate';
import type { FindingList } from './findings';
import { IG, KIND_SECTIONS } from './sections';
import type { UdapJwtKind } from './types';

/** Signature algorithms the IG names (§7.1.2): RS256 SHALL, ES256 SHOULD, RS384 and ES384 MAY. */
export const UDAP_ALGORITHMS = ['RS256', 'RS384', 'ES256', 'ES384'] as const;
/** One of UDAP_ALGORITHMS. */
export type UdapAlgorithm = (typeof UDAP_ALGORITHMS)[number];

/** What the JWS layer yields to the later checks. */
export interface CheckedJws {
  header?: JWSHeaderParameters;
  claims?: Record<string, unknown>;
  /** x5c[0], when it is a certificate. */
  leaf?: ParsedCertificate;
  /** x5c[1..] entries that are certificates (candidate intermediates). */
  extra: ParsedCertificate[];
}

const B64URL = /^[A-Za-z0-9_-]*$/;
// standard base64 with padding (RFC 4648 §4), as RFC 7515 §4.1.6 requires for x5c
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True for a plain JSON object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function decodeJsonPart(part: string): Record<string, unknown> | null {
  if (!B64URL.test(part) || part.length % 4 === 1) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

function isUdapAlgorithm(alg: string): alg is UdapAlgorithm {
  return (UDAP_ALGORITHMS as readonly string[]).includes(alg);
}

/** Checks `alg` against the IG's list, and RS256 for signed metadata; returns it when usable. */
function checkAlg(header: JWSHeaderParameters, kind: UdapJwtKind, f: FindingList): UdapAlgorithm | null {
  const alg: unknown = header.alg;
  if (typeof alg !== 'string' || alg === '') {
    f.add('alg-missing', IG.headers, 'the JOSE header has no "alg"');
    return null;
  }
  if (kind === 'signed-metadata' && alg !== 'RS256') {
    f.add('signed-metadata-alg', IG.signedMetadata, `signed_metadata must be signed with RS256, not ${alg}`);
  }
  if (alg.toLowerCase() === 'none') {
    f.add('alg-none', IG.algorithms, 'alg "none" (an unsecured JWS) is never accepted');
    return null;
  }
  if (/^HS\d+$/i.test(alg)) {
    f.add('alg-symmetric', IG.algorithms, `alg ${alg} is an HMAC: UDAP JWTs are signed with the private key of the x5c certificate`);
    return null;
  }
  if (!isUdapAlgorithm(alg)) {
    f.add('alg-not-allowed', IG.algorithms, `alg ${alg} is not one of ${UDAP_ALGORITHMS.join(', ')}`);
    return null;
  }
  return alg;
}

/** Decodes x5c: each entry standard base64 of a DER certificate, leaf first (IG §7.1.3, RFC 7515 §4.1.6). */
function checkX5c(header: JWSHeaderParameters, f: FindingList): { leaf?: ParsedCertificate; extra: ParsedCertificate[] } {
  const x5c: unknown = header.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0) {
    f.add('x5c-missing', IG.headers, 'the JOSE header has no "x5c" certificate chain');
    return { extra: [] };
  }
  const parsed: (ParsedCertificate | null)[] = x5c.map((entry: unknown, depth: number) => {
    if (typeof entry !== 'string' || entry === '' || !B64.test(entry)) {
      f.add('x5c-not-base64', IG.headers, `x5c[${depth}] is not standard base64 (base64url and line breaks are not allowed)`, { depth });
      return null;
    }
    const cert = tryParseCertificate(new Uint8Array(Buffer.from(entry, 'base64')));
    if (!cert) f.add('x5c-not-certificate', IG.headers, `x5c[${depth}] is not a DER X.509 certificate`, { depth });
    return cert;
  });
  const [leaf, ...rest] = parsed;
  return { leaf: leaf ?? undefined, extra: rest.filter((c): c is ParsedCertificate => c !== null) };
}

/** Describes the key when it cannot make `alg` signatures (RS* needs RSA, ES256 P-256, ES384 P-384), else null. */
export function keyMismatch(alg: UdapAlgorithm, key: KeyObject): string | null {
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const what = type === 'ec' ? `an EC ${curve ?? 'unknown-curve'} key` : `a ${type ?? 'secret'} key`;
  if (alg.startsWith('RS')) return type === 'rsa' ? null : what;
  const need = alg === 'ES256' ? 'prime256v1' : 'secp384r1';
  return type === 'ec' && curve === need ? null : what;
}

async function checkSignature(jwt: string, alg: UdapAlgorithm, leaf: ParsedCertificate, kind: UdapJwtKind, f: FindingList): Promise<void> {
  let key: KeyObject;
  try {
    key = publicKeyObject(leaf.parts.spkiDer);
  } catch (e) {
    f.add('signature-invalid', KIND_SECTIONS[kind].signature, `the x5c[0] public key cannot be used: ${(e as Error).message}`, { depth: 0 });
    return;
  }
  const mismatch = keyMismatch(alg, key);
  if (mismatch) {
    f.add('alg-key-mismatch', IG.algorithms, `alg ${alg} does not fit x5c[0], which holds ${mismatch}`, { depth: 0 });
    return;
  }
  try {
    await compactVerify(jwt, key, { algorithms: [alg] });
  } catch (e) {
    f.add('signature-invalid', KIND_SECTIONS[kind].signature, `the signature does not verify with the x5c[0] key: ${(e as Error).message}`, { depth: 0 });
  }
}

/** Decodes and checks the JWS; records findings and returns what could be decoded. */
export async function checkJws(jwt: string, kind: UdapJwtKind, f: FindingList): Promise<CheckedJws> {
  const parts = typeof jwt === 'string' ? jwt.split('.') : [];
  if (parts.length !== 3) {
    f.add('jws-malformed', IG.serialization, `not a JWS compact serialization (${parts.length} dot-separated parts, 3 needed)`);
    return { extra: [] };
  }
  const headerJson = decodeJsonPart(parts[0]);
  if (!headerJson) {
    f.add('jws-malformed', IG.serialization, 'the protected header is not base64url-encoded JSON object');
    return { extra: [] };
  }
  const header = headerJson as JWSHeaderParameters;
  const claims = decodeJsonPart(parts[1]);
  if (!claims) f.add('jws-malformed', IG.serialization, 'the payload is not a base64url-encoded JSON object');
  const alg = checkAlg(header, kind, f);
  const { leaf, extra } = checkX5c(header, f);
  if (alg && leaf) await checkSignature(jwt, alg, leaf, kind, f);
  return { header, claims: claims ?? undefined, leaf, extra };
}
