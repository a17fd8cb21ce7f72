// A certificate's extensions in words, for the certificate detail page: the same strict read-back
// the lint uses (lint-model.ts), one line per extension, in the terms `openssl x509 -text` prints.
import { readCertificateParts } from './certificate-reader';
import { Tag } from './der';
import { children, readOid, readRoot } from './der-reader';
import {
  decodeAuthorityInfoAccess, decodeAuthorityKeyIdentifier, decodeBasicConstraints, decodeCrlDistributionPoints, decodeKeyUsage,
  decodeSubjectAltName, decodeSubjectKeyIdentifier, parseTbsForLint,
} from './lint-model';
import { OID } from './oids';

/** One extension, decoded for people. */
export interface DescribedExtension {
  oid: string;
  name: string;
  critical: boolean;
  value: string;
}

const NAMES: Record<string, string> = Object.fromEntries(Object.entries(OID).map(([k, v]) => [v, k]));
const KEY_USAGE = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?=.)/g, '$1:');

function oidList(v: Uint8Array, policies: boolean): string {
  return children(v, readRoot(v, Tag.sequence))
    .map((n) => {
      const node = policies ? children(v, n)[0] : n;
      const oid = readOid(v, node);
      return NAMES[oid] ? `${NAMES[oid]} (${oid})` : oid;
    })
    .join(', ');
}

function describeValue(oid: string, v: Uint8Array): string {
  switch (oid) {
    case OID.basicConstraints: {
      const bc = decodeBasicConstraints(v);
      return `CA:${bc.cA ? 'TRUE' : 'FALSE'}${bc.pathLen === undefined ? '' : `, pathlen:${bc.pathLen}`}`;
    }
    case OID.keyUsage:
      return [...decodeKeyUsage(v)].sort((a, b) => a - b).map((bit) => KEY_USAGE[bit] ?? `bit ${bit}`).join(', ');
    case OID.extKeyUsage:
      return oidList(v, false);
    case OID.certificatePolicies:
      return oidList(v, true);
    case OID.subjectKeyIdentifier:
      return hex(decodeSubjectKeyIdentifier(v));
    case OID.authorityKeyIdentifier: {
      const aki = decodeAuthorityKeyIdentifier(v);
      return aki.keyIdentifier ? `keyid:${hex(aki.keyIdentifier)}` : '(no key identifier)';
    }
    case OID.subjectAltName: {
      const san = decodeSubjectAltName(v);
      return [...san.uris.map((u) => `URI:${u}`), ...(san.others ? [`${san.others} other name(s)`] : [])].join(', ');
    }
    case OID.crlDistributionPoints:
      return decodeCrlDistributionPoints(v).flatMap((dp) => dp.fullName?.uris.map((u) => `URI:${u}`) ?? []).join(', ');
    case OID.authorityInfoAccess:
      return decodeAuthorityInfoAccess(v).map((a) => `${NAMES[a.method] ?? a.method} - URI:${a.location.text}`).join(', ');
    default:
      return hex(v);
  }
}

/** The extensions of certificate `der`, in order; a value that does not decode is shown as hex with a note. */
export function describeExtensions(der: Uint8Array): DescribedExtension[] {
  return parseTbsForLint(readCertificateParts(der).tbsDer).extensions.map((e) => {
    let value: string;
    try {
      value = describeValue(e.oid, e.value);
    } catch {
      value = `${hex(e.value)} (does not decode as ${NAMES[e.oid] ?? 'its type'})`;
    }
    return { oid: e.oid, name: NAMES[e.oid] ?? e.oid, critical: e.critical, value };
  });
}
