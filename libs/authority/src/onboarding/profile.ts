// The organization profile a member submits: checked field by field, every problem reported at once
// with the field it concerns, identifiers validated by their own check digits (NPI: Luhn over the
// 80840 prefix, CMS NPI standard; LEI: ISO 17442 / ISO 7064 MOD 97-10; OID: dotted arcs, X.660).
import type { OrganizationIdentifierType, OrganizationProfile } from '@anchorage/contracts';
import { DomainError } from '../errors';
import { validateSanUris } from '../create-organization';

const IDENTIFIER_TYPES: OrganizationIdentifierType[] = ['NPI', 'OID', 'LEI', 'other'];
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,}$/;

/** Whether `npi` is a 10-digit NPI whose last digit is its Luhn check digit (with the 80840 prefix). */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi}`.split('').map(Number);
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits[i];
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Whether `lei` is a 20-character LEI whose two check digits verify (MOD 97-10). */
export function isValidLei(lei: string): boolean {
  if (!/^[0-9A-Z]{18}[0-9]{2}$/.test(lei)) return false;
  let rem = 0;
  for (const ch of lei) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

/** Whether `oid` is a dotted OID with a valid first arc (0, 1 or 2; second arc < 40 under 0 and 1). */
export function isValidOid(oid: string): boolean {
  const m = /^([0-2])\.(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/.exec(oid);
  return m !== null && (m[1] === '2' || Number(m[2]) < 40) && oid.length <= 200;
}

type Problems = { field: string; message: string }[];

function text(v: unknown, field: string, problems: Problems, opts: { max?: number; optional?: boolean } = {}): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s) {
    if (!opts.optional) problems.push({ field, message: 'is required' });
    return '';
  }
  if (s.length > (opts.max ?? 200)) problems.push({ field, message: `must be at most ${opts.max ?? 200} characters` });
  return s;
}

function contact(v: unknown, field: string, problems: Problems): OrganizationProfile['technicalContact'] {
  const c = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const email = text(c.email, `${field}.email`, problems).toLowerCase();
  if (email && !EMAIL.test(email)) problems.push({ field: `${field}.email`, message: 'must be an e-mail address' });
  const phone = text(c.phone, `${field}.phone`, problems, { optional: true, max: 40 });
  if (phone && !/^\+?[0-9 ().-]{5,40}$/.test(phone)) problems.push({ field: `${field}.phone`, message: 'must be a phone number (digits, spaces, + ( ) . -)' });
  return { name: text(c.name, `${field}.name`, problems), email, ...(phone ? { phone } : {}) };
}

/** Validates a submitted profile; a DomainError 'validation' lists every problem with its field. */
export function validateProfile(input: unknown): OrganizationProfile {
  const p = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const problems: Problems = [];
  const legalName = text(p.legalName, 'legalName', problems);
  const identifiers: OrganizationProfile['identifiers'] = [];
  if (!Array.isArray(p.identifiers) || p.identifiers.length === 0) {
    problems.push({ field: 'identifiers', message: 'give at least one identifier (NPI, OID, LEI or other)' });
  } else if (p.identifiers.length > 20) {
    problems.push({ field: 'identifiers', message: 'at most 20 identifiers' });
  } else {
    p.identifiers.forEach((raw: unknown, i: number) => {
      const id = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      const field = `identifiers[${i}]`;
      const type = id.type as OrganizationIdentifierType;
      if (!IDENTIFIER_TYPES.includes(type)) problems.push({ field: `${field}.type`, message: `must be one of ${IDENTIFIER_TYPES.join(', ')}` });
      const value = text(id.value, `${field}.value`, problems, { max: 200 });
      if (value && type === 'NPI' && !isValidNpi(value)) problems.push({ field: `${field}.value`, message: 'is not a valid NPI (10 digits, Luhn check digit)' });
      if (value && type === 'LEI' && !isValidLei(value.toUpperCase())) problems.push({ field: `${field}.value`, message: 'is not a valid LEI (20 characters, ISO 17442 check digits)' });
      if (value && type === 'OID' && !isValidOid(value)) problems.push({ field: `${field}.value`, message: 'is not a dotted OID such as 2.16.840.1.113883.3.1234' });
      const label = text(id.label, `${field}.label`, problems, { optional: true, max: 100 });
      if (type === 'other' && !label) problems.push({ field: `${field}.label`, message: 'say what kind of identifier this is' });
      identifiers.push({ type, value: type === 'LEI' ? value.toUpperCase() : value, ...(label ? { label } : {}) });
    });
  }
  const a = (p.address && typeof p.address === 'object' ? p.address : {}) as Record<string, unknown>;
  const lines = Array.isArray(a.lines) ? a.lines.map((l, i) => text(l, `address.lines[${i}]`, problems)).filter(Boolean) : [];
  if (lines.length === 0 || lines.length > 4) problems.push({ field: 'address.lines', message: 'give 1 to 4 address lines' });
  const country = text(a.country, 'address.country', problems).toUpperCase();
  if (country && !/^[A-Z]{2}$/.test(country)) problems.push({ field: 'address.country', message: 'must be an ISO 3166-1 alpha-2 code such as US or NL' });
  const region = text(a.region, 'address.region', problems, { optional: true });
  const postalCode = text(a.postalCode, 'address.postalCode', problems, { optional: true, max: 20 });
  const address = { lines, city: text(a.city, 'address.city', problems), country, ...(region ? { region } : {}), ...(postalCode ? { postalCode } : {}) };
  const technicalContact = contact(p.technicalContact, 'technicalContact', problems);
  const securityContact = contact(p.securityContact, 'securityContact', problems);
  let requestedSanUris: string[] = [];
  if (!Array.isArray(p.requestedSanUris) || p.requestedSanUris.length === 0) {
    problems.push({ field: 'requestedSanUris', message: 'give at least one endpoint or client URI' });
  } else {
    try {
      requestedSanUris = validateSanUris(p.requestedSanUris, 'requestedSanUris');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const errs = (err.details.errors as Problems | undefined) ?? [{ field: 'requestedSanUris', message: err.message }];
      problems.push(...errs);
    }
  }
  if (problems.length) {
    throw new DomainError('validation', problems.map((x) => `${x.field} ${x.message}`).join('; '), { errors: problems });
  }
  return { legalName, identifiers, address, technicalContact, securityContact, requestedSanUris };
}
