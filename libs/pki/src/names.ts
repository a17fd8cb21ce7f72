// Distinguished names (RFC 5280 §4.1.2.4, Appendix A).
import { toHex } from './bytes';
import { derOid, derPrintableString, derSequence, derSet, derUtf8String, PRINTABLE_STRING, Tag } from './der';
import { children, contentOf, DerError, type DerNode, expectTag, rawTlv, readOid, readRoot } from './der-reader';
import { PkiError } from './errors';
import { OID } from './oids';

/** The attributes the platform puts in subject names. */
export interface NameAttributes {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  country?: string;
}

// RFC 5280 Appendix A upper bounds: ub-common-name, ub-organization-name, ub-organizational-unit-name.
const UPPER_BOUND = { commonName: 64, organization: 64, organizationalUnit: 64 } as const;

/**
 * Encodes an RDNSequence with one attribute per RDN in the order C, O, OU, CN; DirectoryString values
 * as UTF8String (RFC 5280 §4.1.2.6 MUST for new certificates) and countryName as PrintableString.
 */
export function encodeName(attrs: NameAttributes): Uint8Array {
  const rdns: Uint8Array[] = [];
  if (attrs.country !== undefined) {
    if (!/^[A-Z]{2}$/.test(attrs.country) || !PRINTABLE_STRING.test(attrs.country)) {
      throw new PkiError('validation', `country "${attrs.country}" must be a two-letter ISO 3166 code in upper case`);
    }
    rdns.push(rdn(OID.country, derPrintableString(attrs.country)));
  }
  for (const key of ['organization', 'organizationalUnit', 'commonName'] as const) {
    const value = attrs[key];
    if (value === undefined) {
      if (key === 'commonName') throw new PkiError('validation', 'commonName is required');
      continue;
    }
    checkDirectoryString(key, value);
    rdns.push(rdn(OID[key], derUtf8String(value)));
  }
  return derSequence(...rdns);
}

function rdn(oid: string, value: Uint8Array): Uint8Array {
  return derSet(derSequence(derOid(oid), value));
}

function checkDirectoryString(key: keyof typeof UPPER_BOUND, value: string): void {
  if (value.trim() === '' || value !== value.trim()) {
    throw new PkiError('validation', `${key} must be non-empty without leading or trailing spaces`);
  }
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new PkiError('validation', `${key} contains control characters`);
  const max = UPPER_BOUND[key];
  if ([...value].length > max) {
    throw new PkiError('validation', `${key} is longer than ${max} characters (RFC 5280 Appendix A)`);
  }
}

// Short names as OpenSSL and @peculiar/x509 print them (RFC 4514 §3 plus common extras).
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C',
  '0.9.2342.19200300.100.1.25': 'DC', '1.2.840.113549.1.9.1': 'E', '2.5.4.42': 'G', '2.5.4.43': 'I', '2.5.4.4': 'SN', '2.5.4.12': 'T',
};
const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16be = new TextDecoder('utf-16be', { fatal: true });

/** Decodes a DirectoryString / IA5String value; null for any other type (printed as #hex). */
function attributeText(der: Uint8Array, node: DerNode): string | null {
  const c = contentOf(der, node);
  switch (node.tag) {
    case 0x0c: // UTF8String
      return utf8.decode(c);
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // TeletexString (read as Latin-1, as most decoders do)
      return Buffer.from(c.buffer, c.byteOffset, c.length).toString('latin1');
    case 0x1e: // BMPString
      return utf16be.decode(c);
    case 0x1c: { // UniversalString (UTF-32BE)
      if (c.length % 4) throw new DerError('UniversalString length is not a multiple of 4', node.start);
      let out = '';
      for (let i = 0; i < c.length; i += 4) out += String.fromCodePoint(((c[i] << 24) | (c[i + 1] << 16) | (c[i + 2] << 8) | c[i + 3]) >>> 0);
      return out;
    }
    default:
      return null;
  }
}

/** RFC 4514 §2.4 escaping of an attribute value. */
function escapeValue(v: string): string {
  return v
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ')
    .replace(/[\r\n\t]/g, (ch) => `\\${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * Renders Name DER as "C=US, O=Org, CN=Name": RDNs in encoded order joined by ", ", multi-valued
 * RDNs by "+", RFC 4514 escaping, and values of other types as "#" + hex of their DER.
 */
export function nameToString(der: Uint8Array): string {
  try {
    const rdns = children(der, readRoot(der, Tag.sequence)).map((set) =>
      children(der, expectTag(set, Tag.set)).map((atv) => {
        const [type, value, extra] = children(der, expectTag(atv, Tag.sequence));
        if (!type || !value || extra) throw new DerError('AttributeTypeAndValue needs a type and a value', atv.start);
        const oid = readOid(der, type);
        const text = attributeText(der, value);
        return `${SHORT_NAMES[oid] ?? oid}=${text === null ? `#${toHex(rawTlv(der, value))}` : escapeValue(text)}`;
      }).join('+'));
    return rdns.join(', ');
  } catch (e) {
    throw new PkiError('validation', `unparseable Name: ${(e as Error).message}`);
  }
}
