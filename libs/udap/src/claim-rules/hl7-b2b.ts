// The HL7 B2B Authorization Extension Object, `extensions.hl7-b2b` of an authentication token (UDAP STU2
// §5.2.1.1): version "1", organization_id (a URI) and purpose_of_use (one or more codes) required; the
// optional and conditional keys typed; consent_reference only together with consent_policy.
import { isRecord } from '../jws';
import { IG } from '../sections';
import { isUri, isUrl, stringArray, type ClaimContext } from './context';

const PREFIX = 'extensions.hl7-b2b';
const OPTIONAL_STRINGS = ['subject_name', 'subject_id', 'subject_role', 'organization_name'] as const;

/** Checks an hl7-b2b extension object. */
export function checkHl7B2b(ctx: ClaimContext, b2b: unknown): void {
  const s = IG.b2bExtension;
  if (!isRecord(b2b)) {
    ctx.f.add('b2b-claim-invalid', s, 'extensions.hl7-b2b must be a JSON object', { claim: PREFIX });
    return;
  }
  if (b2b.version !== '1') {
    ctx.f.add('b2b-version', s, `extensions.hl7-b2b.version must be the string "1" (found ${JSON.stringify(b2b.version)})`, { claim: `${PREFIX}.version` });
  }
  if (!isUri(b2b.organization_id)) {
    ctx.f.add('b2b-organization-id', s, b2b.organization_id === undefined
      ? 'extensions.hl7-b2b.organization_id is required'
      : 'extensions.hl7-b2b.organization_id must be a URI', { claim: `${PREFIX}.organization_id` });
  }
  const purposes = stringArray(b2b.purpose_of_use);
  if (!purposes || purposes.some((p) => p === '')) {
    ctx.f.add('b2b-purpose-of-use', s, purposes === null
      ? 'extensions.hl7-b2b.purpose_of_use is required'
      : 'extensions.hl7-b2b.purpose_of_use must be an array of one or more code strings', { claim: `${PREFIX}.purpose_of_use` });
  }
  for (const key of OPTIONAL_STRINGS) {
    const v = b2b[key];
    if (v !== undefined && (typeof v !== 'string' || v === '')) {
      ctx.f.add('b2b-claim-invalid', s, `extensions.hl7-b2b.${key} must be a non-empty string`, { claim: `${PREFIX}.${key}` });
    }
  }
  const policies = stringArray(b2b.consent_policy);
  if (policies === false || (policies && !policies.every(isUri))) {
    ctx.f.add('b2b-claim-invalid', s, 'extensions.hl7-b2b.consent_policy must be an array of one or more URIs', { claim: `${PREFIX}.consent_policy` });
  }
  const refs = stringArray(b2b.consent_reference);
  if (refs === false || (refs && !refs.every((r) => isUrl(r)))) {
    ctx.f.add('b2b-claim-invalid', s, 'extensions.hl7-b2b.consent_reference must be an array of one or more absolute URLs', { claim: `${PREFIX}.consent_reference` });
  }
  if (b2b.consent_reference !== undefined && b2b.consent_policy === undefined) {
    ctx.f.add('b2b-consent-reference-without-policy', s, 'extensions.hl7-b2b.consent_reference must be omitted when consent_policy is absent', { claim: `${PREFIX}.consent_reference` });
  }
}
