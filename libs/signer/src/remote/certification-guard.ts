// The signer process's look at a certification JWT before it signs one with a certifier key (purpose
// 'certification'; docs/certifications.md). Whoever reaches the socket may ask; what they can get is
// limited to an RS256 JWS whose x5c[0] certifies this very key as a leaf (no CA), chained link by link,
// and whose claims are those of a certification (udap.org Certifications and Endorsements §1): iss a SAN
// URI of x5c[0], sub, jti, whole-second iat and exp, exp at most 3 years after iat and not after
// x5c[0]'s notAfter, certification_name, certification_uris and certification_status_endpoint. So a
// certifier key signs nothing else, and a CA key (whose certificate is a CA's) signs no JWT at all.
import { bytesEqual, describeCertificate, verifySignedObject, type CertificateDescription, type SignatureAlgorithm } from '@anchorage/pki';
import { SignerError } from '../errors';

/** Longest signing input accepted (a chain of three RSA-4096 certificates and the claims fit well within). */
export const MAX_CERTIFICATION_INPUT = 65_536;
/** The header parameters a certification may carry (RFC 7515 §4.1): nothing that points elsewhere (jku, x5u) or must be understood (crit). */
const HEADER_PARAMETERS: ReadonlySet<string> = new Set(['alg', 'x5c', 'typ']);
const YEARS = 3;

const refuse = (what: string) => new SignerError(`refusing to sign: ${what}`);

function json(part: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw refuse(`the certification's ${what} is not base64url JSON`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw refuse(`the certification's ${what} is not a JSON object`);
  return v as Record<string, unknown>;
}

function chainOf(x5c: unknown): { der: Uint8Array; info: CertificateDescription }[] {
  if (!Array.isArray(x5c) || x5c.length < 1 || x5c.length > 5) throw refuse('x5c must hold the certifier certificate and its issuers (1 to 5 certificates)');
  return x5c.map((b64, i) => {
    if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw refuse(`x5c[${i}] is not standard base64 (RFC 7515 §4.1.6)`);
    const der = new Uint8Array(Buffer.from(b64, 'base64'));
    try {
      return { der, info: describeCertificate(der) };
    } catch (err) {
      throw refuse(`x5c[${i}] is not an X.509 certificate: ${(err as Error).message}`);
    }
  });
}

/** exp may be at most 3 calendar years after iat (as libs/udap counts them). */
function latestExp(iat: number): number {
  const d = new Date(iat * 1000);
  d.setUTCFullYear(d.getUTCFullYear() + YEARS);
  return d.getTime() / 1000;
}

/** Throws SignerError unless `input` is the JWS signing input of a certification this key may sign (see the file comment). */
export function checkCertificationSigningInput(input: Uint8Array, alg: SignatureAlgorithm, keySpki: Uint8Array): void {
  if (alg !== 'sha256WithRSAEncryption') throw refuse(`a certification is signed RS256 (sha256WithRSAEncryption), not ${alg}`);
  if (input.length > MAX_CERTIFICATION_INPUT) throw refuse(`a certification's signing input is at most ${MAX_CERTIFICATION_INPUT} bytes`);
  const text = Buffer.from(input).toString('latin1');
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(text);
  if (!m) throw refuse('a certification\'s signing input is BASE64URL(header) "." BASE64URL(claims) (RFC 7515 §5.1)');
  const header = json(m[1], 'header');
  const extra = Object.keys(header).filter((k) => !HEADER_PARAMETERS.has(k));
  if (extra.length) throw refuse(`the certification's header may carry only alg, x5c and typ (got ${extra.join(', ')})`);
  if (header.alg !== 'RS256') throw refuse(`the certification's header must say alg RS256 (got ${JSON.stringify(header.alg)})`);
  const chain = chainOf(header.x5c);
  const leaf = chain[0].info;
  if (!bytesEqual(leaf.spkiDer, keySpki)) throw refuse('x5c[0] does not certify the key asked to sign');
  if (leaf.isCa) throw refuse('x5c[0] is a CA certificate: a CA key signs no certification');
  if (!leaf.keyUsage?.includes('digitalSignature')) throw refuse('x5c[0] does not allow digitalSignature');
  for (let i = 1; i < chain.length; i++) {
    if (!verifySignedObject(chain[i - 1].der, chain[i].info.spkiDer)) throw refuse(`x5c[${i - 1}] is not signed by x5c[${i}]`);
  }

  const claims = json(m[2], 'claims');
  const { iss, sub, jti, iat, exp } = claims;
  if (typeof iss !== 'string' || !leaf.sanUris.includes(iss)) throw refuse(`iss must be a SAN URI of x5c[0] (${leaf.sanUris.join(', ')})`);
  if (typeof sub !== 'string' || sub.length === 0) throw refuse('sub (the certified app\'s client URI) is required');
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) throw refuse('jti must be 1 to 256 characters');
  if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) throw refuse('iat and exp must be whole seconds');
  if ((exp as number) <= (iat as number)) throw refuse('exp must be after iat');
  if ((exp as number) > latestExp(iat as number)) throw refuse(`exp must be at most ${YEARS} years after iat (udap.org Certifications and Endorsements §1)`);
  if ((exp as number) * 1000 > leaf.notAfter.getTime()) throw refuse(`exp must not be after x5c[0]'s notAfter ${leaf.notAfter.toISOString()}`);
  if ((iat as number) * 1000 < leaf.notBefore.getTime() - 60_000) throw refuse(`iat must not be before x5c[0]'s notBefore ${leaf.notBefore.toISOString()}`);
  if (typeof claims.certification_name !== 'string' || claims.certification_name.length === 0) throw refuse('certification_name is required');
  const uris = claims.certification_uris;
  if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === 'string')) throw refuse('certification_uris must be an array of one or more URIs');
  if (typeof claims.certification_status_endpoint !== 'string' || !/^https?:\/\//.test(claims.certification_status_endpoint)) {
    throw refuse('certification_status_endpoint (an http(s) URL) is required');
  }
}
