// Revocation at every level of a trusted path, like OpenSSL's crl_check_all: each certificate below the
// anchor names its CRL in its CDP; that CRL must be issued and signed by the certificate's issuer, be
// current (thisUpdate <= now < nextUpdate) and not list the certificate's serial (RFC 5280 §6.3).
import { bytesEqual, findSerial, readCrlInfo, serialToHex, verifySignedObject, type CrlEntryInfo, type CrlInfo } from '@anchorage/pki';
import type { ParsedCertificate } from './certificate';
import { levelName } from './chain-checks';
import type { FindingCode, FindingList } from './findings';
import type { BuiltPath } from './path-builder';
import { chainSection } from './sections';
import type { UdapJwtKind, UdapTrust } from './types';

// RFC 5280 §5.3.1 CRLReason names
const REASONS: Record<number, string> = {
  0: 'unspecified', 1: 'keyCompromise', 2: 'cACompromise', 3: 'affiliationChanged', 4: 'superseded',
  5: 'cessationOfOperation', 6: 'certificateHold', 8: 'removeFromCRL', 9: 'privilegeWithdrawn', 10: 'aACompromise',
};

interface CrlProblem {
  code: FindingCode;
  message: string;
}

/** What one fetched CRL says about a certificate. */
interface CrlVerdict {
  /** Problems that make the CRL unusable (wrong issuer, bad signature, not current). */
  problems: CrlProblem[];
  /** The certificate's entry, when an authentic CRL lists it (even a lapsed one). */
  entry: CrlEntryInfo | null;
}

function judgeCrl(crl: Uint8Array, url: string, cert: ParsedCertificate, issuer: ParsedCertificate, now: Date): CrlVerdict {
  let info: CrlInfo;
  try {
    info = readCrlInfo(crl);
  } catch (e) {
    return { problems: [{ code: 'crl-malformed', message: `the CRL at ${url} is not a DER CRL: ${(e as Error).message}` }], entry: null };
  }
  if (!bytesEqual(info.issuerDer, issuer.parts.subjectDer)) {
    return { problems: [{ code: 'crl-issuer-mismatch', message: `the CRL at ${url} is not issued by "${issuer.info.subject}"` }], entry: null };
  }
  if (!verifySignedObject(crl, issuer.parts.spkiDer)) {
    return { problems: [{ code: 'crl-signature-invalid', message: `the CRL at ${url} is not signed by the key of "${issuer.info.subject}"` }], entry: null };
  }
  const problems: CrlProblem[] = [];
  if (info.thisUpdate.getTime() > now.getTime()) {
    problems.push({ code: 'crl-not-yet-valid', message: `the CRL at ${url} has thisUpdate ${info.thisUpdate.toISOString()}, after now` });
  }
  if (!info.nextUpdate) {
    problems.push({ code: 'crl-expired', message: `the CRL at ${url} has no nextUpdate, so it cannot be current` });
  } else if (info.nextUpdate.getTime() <= now.getTime()) {
    problems.push({ code: 'crl-expired', message: `the CRL at ${url} expired at its nextUpdate ${info.nextUpdate.toISOString()}` });
  }
  try {
    return { problems, entry: findSerial(crl, cert.parts.serial) };
  } catch (e) {
    return { problems: [...problems, { code: 'crl-malformed', message: `the CRL at ${url} has a malformed entry: ${(e as Error).message}` }], entry: null };
  }
}

async function fetchCrl(trust: UdapTrust, url: string): Promise<Uint8Array | CrlProblem> {
  try {
    const crl = await trust.crl(url);
    return crl ?? { code: 'crl-unavailable', message: `the CRL at ${url} is unavailable` };
  } catch (e) {
    return { code: 'crl-unavailable', message: `the CRL at ${url} could not be fetched: ${(e as Error).message}` };
  }
}

/** Checks one certificate against the CRLs its CDP names; the first usable CRL decides. */
async function checkOne(built: BuiltPath, depth: number, trust: UdapTrust, now: Date, kind: UdapJwtKind, f: FindingList): Promise<void> {
  const cert = built.path[depth];
  const issuer = built.path[depth + 1];
  const who = `${levelName(depth, built)} "${cert.info.subject}"`;
  const section = chainSection(kind, '§6.3');
  const urls = cert.info.crlUrls.filter((u) => /^https?:\/\//i.test(u));
  if (urls.length === 0) {
    f.add('crl-missing-cdp', chainSection(kind, '§4.2.1.13'), `the ${who} has no http CRL distribution point, so its revocation status cannot be checked`, { depth });
    return;
  }
  const problems: CrlProblem[] = [];
  for (const url of urls) {
    const crl = await fetchCrl(trust, url);
    if (!(crl instanceof Uint8Array)) {
      problems.push(crl);
      continue;
    }
    const verdict = judgeCrl(crl, url, cert, issuer, now);
    if (verdict.entry) {
      const reason = verdict.entry.reasonCode === null ? '' : ` (${REASONS[verdict.entry.reasonCode] ?? `reason ${verdict.entry.reasonCode}`})`;
      f.add('revoked', section, `the ${who} (serial ${serialToHex(cert.parts.serial)}) was revoked at ${verdict.entry.revocationDate.toISOString()}${reason}`, { depth });
    }
    if (verdict.problems.length === 0) return;
    problems.push(...verdict.problems);
    if (verdict.entry) break;
  }
  for (const p of problems) f.add(p.code, section, `${p.message} (for the ${who})`, { depth });
}

/** Revocation of every certificate below the anchor of a trusted path. */
export async function checkRevocation(built: BuiltPath, trust: UdapTrust, now: Date, kind: UdapJwtKind, f: FindingList): Promise<void> {
  if (!built.trusted) return;
  for (let depth = 0; depth < built.path.length - 1; depth++) await checkOne(built, depth, trust, now, kind, f);
}
