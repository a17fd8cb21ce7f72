// A community's catalog of exchange purposes: the codes a client SAN URI may carry as its fragment
// (TEFCA puts the exchange purpose there, "https://app.example.org/fhir-client#T-TREAT", so that a
// relying server keys one registration per purpose; udap-profile.md "Leaf"). The catalog is data the
// operator edits, because the coordinating entity revises its code set; the TEFCA set below is the
// preset an operator starts from.
import { z } from 'zod';

/** One exchange purpose of a community's catalog. */
export interface ExchangePurpose {
  /** The fragment a client URI carries, without '#' (e.g. "T-TREAT"). */
  code: string;
  /** What it means, for the member choosing it. */
  display: string;
  /** Whether new certificates may carry it; a retired code stays listed so issued URIs keep their meaning. */
  active: boolean;
}

/** A code: letters, digits and '-', '.', '_' (all fragment-safe without percent-encoding, RFC 3986 §3.5), at most 64. */
export const EXCHANGE_PURPOSE_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The most codes a catalog holds. */
export const MAX_EXCHANGE_PURPOSES = 100;

/**
 * The TEFCA exchange purposes (the Common Agreement's Exchange Purposes SOP and its XP code set, as
 * the preset); an operator adds, renames or retires codes when the coordinating entity revises them.
 */
export const TEFCA_EXCHANGE_PURPOSES: readonly ExchangePurpose[] = [
  { code: 'T-TREAT', display: 'Treatment', active: true },
  { code: 'T-PYMNT', display: 'Payment', active: true },
  { code: 'T-HCO', display: 'Health Care Operations', active: true },
  { code: 'T-HCO-CC', display: 'Health Care Operations: care coordination', active: true },
  { code: 'T-HCO-HED', display: 'Health Care Operations: HEDIS reporting', active: true },
  { code: 'T-HCO-QM', display: 'Health Care Operations: quality measure reporting', active: true },
  { code: 'T-PH', display: 'Public Health', active: true },
  { code: 'T-PH-ECR', display: 'Public Health: electronic case reporting', active: true },
  { code: 'T-PH-ELR', display: 'Public Health: electronic lab reporting', active: true },
  { code: 'T-GOVDTRM', display: 'Government Benefits Determination', active: true },
  { code: 'T-IAS', display: 'Individual Access Services', active: true },
];

/** The presets a catalog can be set from. */
export const EXCHANGE_PURPOSE_PRESETS = { tefca: TEFCA_EXCHANGE_PURPOSES } as const;

/** One exchange purpose on the wire. */
export const exchangePurposeSchema = z.object({
  code: z.string({ required_error: 'code is required', invalid_type_error: 'code must be text' })
    .regex(EXCHANGE_PURPOSE_CODE, 'code must be 1 to 64 letters, digits, "-", "." or "_", starting with a letter or digit (it becomes a URI fragment)'),
  display: z.string({ required_error: 'display is required', invalid_type_error: 'display must be text' }).trim().min(1, 'display must not be empty').max(200, 'display must be at most 200 characters'),
  active: z.boolean({ invalid_type_error: 'active must be true or false' }).optional(),
}).strict();

/** The client URI of `baseUri` for one exchange purpose. */
export function exchangePurposeUri(baseUri: string, code: string): string {
  return `${baseUri}#${code}`;
}

/** A URI's fragment (without '#'), or null when it has none. */
export function uriFragment(uri: string): string | null {
  const i = uri.indexOf('#');
  return i < 0 ? null : uri.slice(i + 1);
}
