// One client URI per exchange purpose, asked for in one request: a member names its client URI (bound
// to the organization, without a fragment) and the purposes of the community's catalog, and the
// request certifies `uri#code` for each (the TEFCA convention: a relying server keeps one registration
// per SAN URI, so one per purpose). The purpose URIs of a bound client URI belong to its organization
// (udap-profile.md "SAN governance"), so the request binds the missing ones, in its own transaction.
import { exchangePurposeUri, uriFragment } from '@anchorage/contracts';
import type { IssuanceContextRecord } from '@anchorage/db';
import { DomainError } from '../errors';

/** The most URIs one request may expand to (client URIs x purposes). */
export const MAX_PURPOSE_URIS = 50;

/** The expanded SAN URIs, and those of them not yet bound to the organization. */
export interface PurposeUris {
  sanUris: string[];
  toBind: string[];
}

/** Expands client URIs into one URI per exchange purpose, or refuses with every problem at once. */
export function expandExchangePurposes(ctx: IssuanceContextRecord, clientUris: string[], codes: string[]): PurposeUris {
  const errors: { field: string; message: string }[] = [];
  const catalog = ctx.community.exchangePurposes;
  if (catalog.length === 0) {
    throw new DomainError('validation', `community "${ctx.community.name}" has no catalog of exchange purposes; ask an operator to set one, or request the SAN URIs themselves`, {
      errors: [{ field: 'exchangePurposes', message: 'this community has no catalog of exchange purposes' }],
    });
  }
  const active = catalog.filter((p) => p.active).map((p) => p.code);
  codes.forEach((code, i) => {
    const known = catalog.find((p) => p.code === code);
    if (!known?.active) errors.push({ field: `exchangePurposes[${i}]`, message: `"${code}" is ${known ? 'a retired' : 'not an'} exchange purpose of this community (active: ${active.join(', ') || 'none'})` });
    if (codes.indexOf(code) !== i) errors.push({ field: `exchangePurposes[${i}]`, message: `"${code}" is listed twice` });
  });
  if (clientUris.length === 0) errors.push({ field: 'sanUris', message: 'name the client URI (bound to the organization, without a fragment) to expand into one URI per purpose' });
  clientUris.forEach((uri, i) => {
    if (uriFragment(uri) !== null) errors.push({ field: `sanUris[${i}]`, message: `give the client URI without a fragment: each exchange purpose becomes its fragment (${uri})` });
    else if (!ctx.org.sanUris.includes(uri)) errors.push({ field: `sanUris[${i}]`, message: `SAN URI ${uri} is not registered to organization "${ctx.org.name}"; bind it to the organization first` });
  });
  if (clientUris.length * codes.length > MAX_PURPOSE_URIS) errors.push({ field: 'exchangePurposes', message: `at most ${MAX_PURPOSE_URIS} URIs per request (client URIs x purposes)` });
  if (errors.length) throw new DomainError('san-invalid', errors.map((e) => e.message).join('; '), { errors });
  const sanUris = clientUris.flatMap((uri) => codes.map((code) => exchangePurposeUri(uri, code)));
  return { sanUris, toBind: sanUris.filter((u) => !ctx.org.sanUris.includes(u)) };
}
