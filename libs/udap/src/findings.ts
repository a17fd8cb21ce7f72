// The catalogue of finding codes with their severity, and the collector the checks report into.

/** Every finding code the verifier emits and its severity. Codes are stable: callers may match on them. */
export const FINDING_SEVERITY = {
  // the JWS itself
  'jws-malformed': 'error',
  'alg-missing': 'error',
  'alg-none': 'error',
  'alg-symmetric': 'error',
  'alg-not-allowed': 'error',
  'signed-metadata-alg': 'error',
  'alg-key-mismatch': 'error',
  'x5c-missing': 'error',
  'x5c-not-base64': 'error',
  'x5c-not-certificate': 'error',
  'signature-invalid': 'error',
  // the certificate path
  'chain-incomplete': 'error',
  'untrusted-anchor': 'error',
  'chain-signature-invalid': 'error',
  'cert-expired': 'error',
  'cert-not-yet-valid': 'error',
  'ca-basic-constraints': 'error',
  'ca-key-usage': 'error',
  'path-length-exceeded': 'error',
  'leaf-is-ca': 'error',
  'leaf-key-usage': 'error',
  'leaf-key-usage-missing': 'warning',
  // revocation
  'crl-missing-cdp': 'error',
  'crl-unavailable': 'error',
  'crl-malformed': 'error',
  'crl-issuer-mismatch': 'error',
  'crl-signature-invalid': 'error',
  'crl-not-yet-valid': 'error',
  'crl-expired': 'error',
  'revoked': 'error',
  // claims of every kind
  'claim-missing': 'error',
  'claim-invalid': 'error',
  'claim-not-integer': 'warning',
  'iss-not-in-san': 'error',
  'iss-trailing-slash-mismatch': 'error',
  'sub-not-iss': 'error',
  'iss-mismatch': 'error',
  'sub-mismatch': 'error',
  'aud-mismatch': 'error',
  'iat-in-future': 'error',
  'jwt-expired': 'error',
  'exp-before-iat': 'error',
  'lifetime-exceeded': 'error',
  // software statement
  'grant-types-invalid': 'error',
  'redirect-uris-invalid': 'error',
  'response-types-invalid': 'error',
  'logo-uri-invalid': 'error',
  'logo-uri-format': 'warning',
  'contacts-invalid': 'error',
  'token-endpoint-auth-method': 'error',
  // signed metadata
  'base-url-not-checked': 'warning',
  'metadata-endpoint-mismatch': 'error',
  // authentication token
  'registered-san-not-in-certificate': 'error',
  'b2b-extension-missing': 'error',
  'b2b-extension-unexpected': 'warning',
  'b2b-version': 'error',
  'b2b-organization-id': 'error',
  'b2b-purpose-of-use': 'error',
  'b2b-claim-invalid': 'error',
  'b2b-consent-reference-without-policy': 'error',
  // certification
  'certification-outlives-certificate': 'error',
  'certification-uris-invalid': 'error',
} as const satisfies Record<string, Severity>;

/** A stable finding code. */
export type FindingCode = keyof typeof FINDING_SEVERITY;

/** How bad a finding is: any error makes the JWT invalid; warnings do not. */
export type Severity = 'error' | 'warning';

/** One problem found, with the rule it breaks. */
export interface Finding {
  /** Stable machine-readable code (see FINDING_SEVERITY). */
  code: FindingCode;
  severity: Severity;
  /** Where the rule comes from, e.g. 'UDAP STU2 §5.2.1.1' or 'udap.org DCR §4.2; RFC 5280 §6.3'. */
  section: string;
  /** Human-readable explanation. */
  message: string;
  /** The claim concerned, for claim findings (dotted for nested claims, e.g. 'extensions.hl7-b2b.version'). */
  claim?: string;
  /** Position in the chain for certificate and CRL findings: 0 is the leaf (x5c[0]). */
  depth?: number;
}


/** Where a finding points, besides its message. */
export interface FindingDetail {
  claim?: string;
  depth?: number;
}

/** Collects findings in the order the checks run. */
export class FindingList {
  /** The findings so far. */
  readonly items: Finding[] = [];

  /** Records a finding; its severity comes from the catalogue. */
  add(code: FindingCode, section: string, message: string, detail: FindingDetail = {}): void {
    this.items.push({ code, severity: FINDING_SEVERITY[code], section, message, ...detail });
  }

  /** True when an error finding was recorded. */
  hasErrors(): boolean {
    return this.items.some((f) => f.severity === 'error');
  }
}
