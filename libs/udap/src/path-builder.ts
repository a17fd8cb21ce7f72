// Certificate path building: leaf → intermediates (x5c[1..] and the community's known issuing CAs) →
// one of the community's trust anchors, matching issuer/subject names and AKI/SKI and verifying each
// signature (RFC 5280 §6.1; the "conventional X.509 chain building" every udap.org profile asks for).
import { bytesEqual, toHex, verifySignedBy } from '@anchorage/pki';
import { tryParseCertificate, type ParsedCertificate } from './certificate';

/** Longest path tried: leaf, up to four intermediates, anchor. */
export const MAX_PATH_LENGTH = 6;

/** Why no path to an anchor was found. */
export type PathFailure =
  /** The path ends at a self-signed certificate that is not one of the anchors (another community's root). */
  | { code: 'untrusted-anchor'; at: ParsedCertificate }
  /** A certificate names an issuer whose certificate has the name but did not sign it. */
  | { code: 'chain-signature-invalid'; at: ParsedCertificate; issuer: ParsedCertificate }
  /** No certificate of the issuer is known (neither in x5c nor in the community). */
  | { code: 'chain-incomplete'; at: ParsedCertificate };

/** The outcome of path building. */
export interface BuiltPath {
  /** Leaf first; ends at an anchor when `trusted`, else the longest path tried. */
  path: ParsedCertificate[];
  trusted: boolean;
  failure?: PathFailure;
}

const FAILURE_RANK: Record<PathFailure['code'], number> = { 'chain-incomplete': 0, 'chain-signature-invalid': 1, 'untrusted-anchor': 2 };

// RFC 5280 trust anchors are a name and a key: a re-issued copy of an anchor is that anchor
const anchorId = (c: ParsedCertificate): string => `${toHex(c.parts.subjectDer)}/${toHex(c.parts.spkiDer)}`;
const selfIssued = (c: ParsedCertificate): boolean => bytesEqual(c.parts.subjectDer, c.parts.issuerDer);

function parseAll(ders: readonly Uint8Array[]): ParsedCertificate[] {
  return ders.map(tryParseCertificate).filter((c): c is ParsedCertificate => c !== null);
}

/** Builds a path from `leaf` to one of `anchors`; depth-first, anchors preferred, each signature verified once. */
export async function buildPath(
  leaf: ParsedCertificate,
  untrusted: readonly ParsedCertificate[],
  anchors: readonly Uint8Array[],
  intermediates: readonly Uint8Array[] = [],
): Promise<BuiltPath> {
  const anchorCerts = parseAll(anchors);
  const anchorIds = new Set(anchorCerts.map(anchorId));
  const isAnchor = (c: ParsedCertificate): boolean => anchorIds.has(anchorId(c));
  const pool = new Map<string, ParsedCertificate>();
  for (const c of [...anchorCerts, ...untrusted, ...parseAll(intermediates)]) if (!pool.has(c.info.sha256)) pool.set(c.info.sha256, c);
  const signatures = new Map<string, Promise<boolean>>();
  const signed = (child: ParsedCertificate, issuer: ParsedCertificate): Promise<boolean> => {
    const key = `${child.info.sha256}>${issuer.info.sha256}`;
    let p = signatures.get(key);
    if (!p) signatures.set(key, (p = verifySignedBy(child.der, issuer.der)));
    return p;
  };

  let worst: { path: ParsedCertificate[]; failure: PathFailure } | null = null;
  const fail = (path: ParsedCertificate[], failure: PathFailure): null => {
    const better = !worst || FAILURE_RANK[failure.code] > FAILURE_RANK[worst.failure.code]
      || (FAILURE_RANK[failure.code] === FAILURE_RANK[worst.failure.code] && path.length > worst.path.length);
    if (better) worst = { path, failure };
    return null;
  };

  const extend = async (path: ParsedCertificate[]): Promise<ParsedCertificate[] | null> => {
    const cur = path[path.length - 1];
    if (isAnchor(cur)) return path;
    // a self-signed certificate that is not an anchor ends the path; a merely self-issued one (key rollover) does not
    if (selfIssued(cur) && (await signed(cur, cur))) return fail(path, { code: 'untrusted-anchor', at: cur });
    if (path.length >= MAX_PATH_LENGTH) return fail(path, { code: 'chain-incomplete', at: cur });
    const candidates = [...pool.values()]
      .filter((c) => !path.includes(c) && bytesEqual(c.parts.subjectDer, cur.parts.issuerDer))
      .filter((c) => !cur.info.aki || !c.info.ski || cur.info.aki === c.info.ski)
      .sort((a, b) => Number(isAnchor(b)) - Number(isAnchor(a)));
    if (candidates.length === 0) return fail(path, { code: 'chain-incomplete', at: cur });
    for (const issuer of candidates) {
      if (!(await signed(cur, issuer))) {
        fail(path, { code: 'chain-signature-invalid', at: cur, issuer });
        continue;
      }
      const done = await extend([...path, issuer]);
      if (done) return done;
    }
    return null;
  };

  const found = await extend([leaf]);
  if (found) return { path: found, trusted: true };
  const w = worst as { path: ParsedCertificate[]; failure: PathFailure } | null; // assigned inside the callbacks
  return w ? { path: w.path, trusted: false, failure: w.failure } : { path: [leaf], trusted: false, failure: { code: 'chain-incomplete', at: leaf } };
}
