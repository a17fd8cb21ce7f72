// PKCS #10 certificate requests (RFC 2986): strict parsing and self-signature verification.
import { createHash, verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import { promisify } from 'node:util';
import { toHex } from './bytes';
import { Tag } from './der';
import { children, contentOf, DerError, type DerNode, expectTag, rawTlv, readOid, readRoot, readUnsigned } from './der-reader';
import { PkiError } from './errors';
import { describePublicKey, importPublicKey, type PublicKeyDescription } from './keys';
import { nameToString } from './names';
import { OID } from './oids';
import { pemBlocks } from './pem';
import { PoolWhenBusy } from './pool-when-busy';

/** A verified certificate request. */
export interface ParsedCsr {
  /** The request DER exactly as received (after PEM decoding). */
  der: Uint8Array;
  /** The requester's SubjectPublicKeyInfo, verbatim. */
  spkiDer: Uint8Array;
  key: PublicKeyDescription;
  /** Requested subject, e.g. "C=US, O=Org, CN=app" (informational: the CA sets the subject). */
  subject: string;
  /** Requested subject Name DER. */
  subjectDer: Uint8Array;
  /** URIs of a subjectAltName in the extensionRequest attribute, as written (may be empty). */
  sanUris: string[];
  /** Lowercase hex SHA-256 of `der`. */
  sha256: string;
}

/** Options of parseCsr. */
export interface ParseCsrOptions {
  /** Largest accepted input (PEM text or DER) in bytes; default 16384. */
  maxBytes?: number;
}

/** Default CSR size limit: generous for RSA-4096 with extensions, small enough to refuse junk early. */
export const DEFAULT_MAX_CSR_BYTES = 16384;

const CSR_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];

// Accepted request signatures: RSA PKCS #1 v1.5 with SHA-2 (RFC 4055 §5) and ECDSA (RFC 5758 §3.2).
const CSR_SIGNATURES: Record<string, { hash: string; key: 'RSA' | 'EC' }> = {
  [OID.sha256WithRSAEncryption]: { hash: 'sha256', key: 'RSA' },
  [OID.sha384WithRSAEncryption]: { hash: 'sha384', key: 'RSA' },
  [OID.sha512WithRSAEncryption]: { hash: 'sha512', key: 'RSA' },
  [OID.ecdsaWithSHA256]: { hash: 'sha256', key: 'EC' },
  [OID.ecdsaWithSHA384]: { hash: 'sha384', key: 'EC' },
};

function bad(msg: string, details?: Record<string, unknown>): never {
  throw new PkiError('bad-csr', msg, details);
}

/**
 * Parses a PEM ("CERTIFICATE REQUEST" / "NEW CERTIFICATE REQUEST") or DER PKCS #10 request, checks it
 * is strict DER, accepts only SHA-2 RSA PKCS #1 v1.5 and ECDSA P-256/P-384 signatures, and verifies the
 * self-signature (proof of possession). Throws PkiError 'bad-csr' with a clear message otherwise.
 */
export async function parseCsr(input: string | Uint8Array, opts: ParseCsrOptions = {}): Promise<ParsedCsr> {
  const max = opts.maxBytes ?? DEFAULT_MAX_CSR_BYTES;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > max) bad(`CSR is ${size} bytes; the limit is ${max}`);
  if (size === 0) bad('CSR is empty');
  const der = toDer(input);
  return parseCsrDer(der);
}

function toDer(input: string | Uint8Array): Uint8Array {
  if (input instanceof Uint8Array && input[0] === Tag.sequence) return Uint8Array.from(input);
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  if (!text.includes('-----BEGIN')) bad('CSR is neither PEM nor DER');
  let blocks;
  try {
    blocks = pemBlocks(text);
  } catch (e) {
    return bad(`CSR PEM is malformed: ${(e as Error).message}`);
  }
  if (blocks.length === 0) bad('CSR PEM is malformed: no complete BEGIN/END block');
  if (blocks.length > 1) bad(`expected one PEM block, found ${blocks.length}`);
  const [block] = blocks;
  if (!CSR_LABELS.includes(block.label)) bad(`expected a CERTIFICATE REQUEST PEM block, found "${block.label}"`);
  return block.der;
}

async function parseCsrDer(der: Uint8Array): Promise<ParsedCsr> {
  let info: DerNode;
  let subjectNode: DerNode;
  let spkiNode: DerNode;
  let sigAlgOid: string;
  let signature: Uint8Array;
  let attributes: DerNode | undefined;
  let algParamsOk = false;
  try {
    const root = readRoot(der, Tag.sequence);
    const top = children(der, root);
    if (top.length !== 3) throw new DerError('CertificationRequest needs 3 fields', root.start);
    info = expectTag(top[0], Tag.sequence);
    const [algNode, sigNode] = [expectTag(top[1], Tag.sequence), expectTag(top[2], Tag.bitString)];
    const alg = children(der, algNode);
    sigAlgOid = readOid(der, alg[0]);
    // Parameters: absent or NULL for the algorithms we accept (RFC 4055 §5, RFC 5758 §3.2); checked below.
    algParamsOk = alg.length === 1 || (alg.length === 2 && alg[1].tag === Tag.null && alg[1].end === alg[1].contentStart);
    const sigContent = contentOf(der, sigNode);
    if (sigContent.length < 2 || sigContent[0] !== 0) throw new DerError('signature BIT STRING has unused bits', sigNode.start);
    signature = sigContent.subarray(1);
    const fields = children(der, info);
    if (fields.length < 3 || fields.length > 4) throw new DerError('CertificationRequestInfo needs 3-4 fields', info.start);
    const version = readUnsigned(der, expectTag(fields[0], Tag.integer));
    if (version !== 0n) throw new DerError(`unsupported CSR version ${version}`, fields[0].start);
    subjectNode = expectTag(fields[1], Tag.sequence);
    spkiNode = expectTag(fields[2], Tag.sequence);
    attributes = fields[3];
    if (attributes) expectTag(attributes, 0xa0);
  } catch (e) {
    return bad(`CSR is not a parseable PKCS #10 request: ${(e as Error).message}`);
  }
  const sig = CSR_SIGNATURES[sigAlgOid];
  if (!sig) {
    bad(`CSR signature algorithm ${sigAlgOid} is not supported; use sha256WithRSAEncryption or ecdsa-with-SHA256/384`);
  }
  if (!algParamsOk) bad(`CSR signature algorithm ${sigAlgOid} has unexpected parameters`);
  const spkiDer = Uint8Array.from(rawTlv(der, spkiNode));
  let key: PublicKeyDescription;
  try {
    key = describePublicKey(spkiDer);
  } catch (e) {
    return bad(`CSR public key is unparseable: ${(e as Error).message}`);
  }
  if (key.algorithm !== sig.key) bad(`CSR signature algorithm needs an ${sig.key} key, but the key is ${key.algorithm}`);
  if (!(await verifySelfSignature(rawTlv(der, info), spkiDer, sig, signature))) {
    bad('CSR signature does not verify with its own public key (the request was altered or not signed by the key)');
  }
  const subjectDer = Uint8Array.from(rawTlv(der, subjectNode));
  return {
    der,
    spkiDer,
    key,
    subject: subjectToString(subjectDer),
    subjectDer,
    sanUris: attributes ? sanUrisFromAttributes(der, attributes) : [],
    sha256: toHex(createHash('sha256').update(der).digest()),
  };
}

const verifyAsync = promisify(verify);
/**
 * Where CSR self-signatures are checked: the first of a burst on the event loop's thread, the others on the
 * thread pool, so under bulk issuance (measured at 64 requests in flight: a core idle a fifth of the time
 * while the API's event loop ran) the checks run on the other core.
 */
const checking = new PoolWhenBusy();

async function verifySelfSignature(info: Uint8Array, spkiDer: Uint8Array, sig: { hash: string; key: 'RSA' | 'EC' }, signature: Uint8Array): Promise<boolean> {
  let key: KeyObject | VerifyKeyObjectInput;
  try {
    const imported = importPublicKey(spkiDer);
    key = sig.key === 'EC' ? { key: imported, dsaEncoding: 'der' } : imported;
  } catch {
    return false;
  }
  return checking.run(
    () => verify(sig.hash, info, key, signature),
    () => verifyAsync(sig.hash, info, key, signature),
  ).catch(() => false);
}

function subjectToString(subjectDer: Uint8Array): string {
  try {
    return nameToString(subjectDer);
  } catch (e) {
    return bad(`CSR subject is unparseable: ${(e as Error).message}`);
  }
}

/** URIs from a subjectAltName inside the extensionRequest attribute (PKCS #9 §5.4.2). */
function sanUrisFromAttributes(der: Uint8Array, attributes: DerNode): string[] {
  try {
    for (const attr of children(der, attributes)) {
      const [type, values] = children(der, expectTag(attr, Tag.sequence));
      if (readOid(der, type) !== OID.extensionRequest) continue;
      const [extensions] = children(der, expectTag(values, Tag.set));
      for (const ext of children(der, expectTag(extensions, Tag.sequence))) {
        const parts = children(der, expectTag(ext, Tag.sequence));
        if (readOid(der, parts[0]) !== OID.subjectAltName) continue;
        const value = expectTag(parts[parts.length - 1], Tag.octetString);
        const inner = contentOf(der, value);
        const names = readRoot(inner, Tag.sequence);
        return children(inner, names)
          .filter((n) => n.tag === 0x86) // [6] uniformResourceIdentifier
          .map((n) => String.fromCharCode(...contentOf(inner, n)));
      }
    }
  } catch (e) {
    return bad(`CSR extensionRequest is malformed: ${(e as Error).message}`);
  }
  return [];
}
