// The operator sets a community's catalog of exchange purposes: the codes its client SAN URIs may
// carry as fragments (TEFCA's "#T-TREAT"...). From then on a client URI with a fragment is issued only
// when the fragment is an active code, and a member asks for one client URI per purpose in one request
// (certificate-requests.ts). Retiring a code (active: false) keeps it listed: certificates already
// issued with it keep their meaning in the community document.
import { EXCHANGE_PURPOSE_CODE, EXCHANGE_PURPOSE_PRESETS, MAX_EXCHANGE_PURPOSES, type ExchangePurpose } from '@anchorage/contracts';
import type { CommunityRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError, notFound } from './errors';

/** The catalog as given: a preset, or the whole list (`active` absent: true). */
export type ExchangePurposesInput =
  | { preset: keyof typeof EXCHANGE_PURPOSE_PRESETS; purposes?: undefined }
  | { preset?: undefined; purposes: { code: string; display: string; active?: boolean }[] };

type Deps = Pick<AuthorityDeps, 'db' | 'clock' | 'repository'>;

/** Checks a catalog; every problem is reported at once, by field. */
export function validateExchangePurposes(input: ExchangePurposesInput): ExchangePurpose[] {
  if (input.preset !== undefined) {
    const preset = EXCHANGE_PURPOSE_PRESETS[input.preset];
    if (!preset) throw new DomainError('validation', `unknown preset "${input.preset}"`, { errors: [{ field: 'preset', message: `must be one of ${Object.keys(EXCHANGE_PURPOSE_PRESETS).join(', ')}` }] });
    return preset.map((p) => ({ ...p }));
  }
  const list = input.purposes ?? [];
  const errors: { field: string; message: string }[] = [];
  if (list.length > MAX_EXCHANGE_PURPOSES) errors.push({ field: 'purposes', message: `at most ${MAX_EXCHANGE_PURPOSES} exchange purposes` });
  // codes compare byte for byte in a URI, but two codes differing only in case would confuse members and relying servers alike
  const seen = new Map<string, number>();
  const out = list.map((p, i) => {
    const code = p.code;
    const display = (p.display ?? '').trim();
    if (!EXCHANGE_PURPOSE_CODE.test(code)) errors.push({ field: `purposes[${i}].code`, message: 'must be 1 to 64 letters, digits, "-", "." or "_", starting with a letter or digit' });
    if (!display || display.length > 200) errors.push({ field: `purposes[${i}].display`, message: 'must be 1 to 200 characters' });
    const first = seen.get(code.toUpperCase());
    if (first !== undefined) errors.push({ field: `purposes[${i}].code`, message: `"${code}" is listed twice (also purposes[${first}], case ignored)` });
    else seen.set(code.toUpperCase(), i);
    return { code, display, active: p.active ?? true };
  });
  if (errors.length) throw new DomainError('validation', `the exchange purpose catalog is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, { errors });
  return out;
}

/** Replaces a community's catalog of exchange purposes (operators of that community); audited. */
export async function setExchangePurposes(deps: Deps, communityId: string, input: ExchangePurposesInput, actor: Actor): Promise<CommunityRecord> {
  const purposes = validateExchangePurposes(input);
  const updated = await deps.db.transaction(async (tx) => {
    const before = await tx.communities.find(communityId);
    if (!before) return null;
    const after = await tx.communities.setExchangePurposes(communityId, purposes);
    await tx.audit.append({
      at: deps.clock.now(), actor: actor.id, action: 'community.exchange-purposes-set', subjectType: 'community', subjectId: communityId,
      data: { preset: input.preset ?? null, codes: purposes.map((p) => p.code), retired: purposes.filter((p) => !p.active).map((p) => p.code), previousCodes: before.exchangePurposes.map((p) => p.code) },
    });
    return after;
  });
  if (!updated) throw notFound('community', communityId);
  // the community document lists the catalog
  deps.repository.communityChanged(communityId);
  return updated;
}
