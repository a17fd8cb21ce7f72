// Distinguished names (RFC 5280 §4.1.2.4, Appendix A).
import { Name } from '@peculiar/x509';
import { toArrayBuffer } from './bytes';
import { derOid, derPrintableString, derSequence, derSet, derUtf8String, PRINTABLE_STRING } from './der';
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

/** Renders Name DER as "C=US, O=Org, CN=Name" (attributes in encoded order, as OpenSSL prints them). */
export function nameToString(der: Uint8Array): string {
  try {
    return new Name(toArrayBuffer(der)).toString();
  } catch (e) {
    throw new PkiError('validation', `unparseable Name: ${(e as Error).message}`);
  }
}
