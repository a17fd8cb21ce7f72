// A community defines what it certifies: a certification template (udap.org Certifications and
// Endorsements; UDAP STU2 §7.4.1 template), its own terms or a built-in one (TEFCA Basic App) in one
// call. One insert with its audit event; a name the community uses already is a conflict.
import { randomUUID } from 'node:crypto';
import {
  BUILT_IN_CERTIFICATION_TEMPLATES, CERTIFICATION_GRANT_TYPES, type BuiltInCertificationTemplate, type CertificationTemplateSpec,
} from '@anchorage/contracts';
import { DbConflictError, type CertificationTemplateRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError, notFound } from '../errors';

/** A template to define: a built-in one by name, or the community's own terms. */
export type DefineCertificationTemplateInput = { communityId: string } & (
  | { builtIn: BuiltInCertificationTemplate | string }
  | ({ builtIn?: undefined } & CertificationTemplateSpec)
);

const invalid = (field: string, message: string) => new DomainError('validation', `${field} ${message}`, { errors: [{ field, message }] });

function absoluteUri(field: string, v: unknown, httpsOnly: boolean): string {
  if (typeof v !== 'string' || v.length > 2048) throw invalid(field, 'must be a URI of at most 2048 characters');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw invalid(field, `must be an absolute URI (got "${v}")`);
  }
  if (httpsOnly && u.protocol !== 'https:') throw invalid(field, `must be an https URL (got "${v}")`);
  return v;
}

/** Distinct tokens (no spaces: they travel in space-separated claims such as scope), at most `max`. */
function tokens(field: string, v: unknown, max: number, allowed?: readonly string[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > max) throw invalid(field, `must be an array of at most ${max} values`);
  for (const t of v) {
    if (typeof t !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(t)) throw invalid(field, 'must hold 1 to 200 printable characters per value, without spaces');
    if (allowed && !allowed.includes(t)) throw invalid(field, `may hold only ${allowed.join(', ')} (got "${t}")`);
  }
  if (new Set(v).size !== v.length) throw invalid(field, 'must not list a value twice');
  return v as string[];
}

function optionalText(field: string, v: unknown, max: number): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !v.trim() || v.length > max) throw invalid(field, `must be 1 to ${max} characters`);
  return v;
}

/** The checked terms of a template. */
export function checkTemplateSpec(spec: CertificationTemplateSpec): Required<CertificationTemplateSpec> {
  const name = typeof spec.name === 'string' ? spec.name.trim() : '';
  if (!name || name.length > 200) throw invalid('name', 'is required: the certification_name, 1 to 200 characters');
  if (!Array.isArray(spec.uris) || spec.uris.length < 1 || spec.uris.length > 20) throw invalid('uris', 'must list 1 to 20 certification_uris');
  const uris = spec.uris.map((u, i) => absoluteUri(`uris[${i}]`, u, false));
  if (new Set(uris).size !== uris.length) throw invalid('uris', 'must not list a URI twice');
  const grantTypes = tokens('grantTypes', spec.grantTypes, 3, CERTIFICATION_GRANT_TYPES);
  if (grantTypes.length === 0) throw invalid('grantTypes', `must name at least one of ${CERTIFICATION_GRANT_TYPES.join(', ')}`);
  return {
    name,
    uris,
    logoUri: spec.logoUri === undefined || spec.logoUri === null ? null : absoluteUri('logoUri', spec.logoUri, true),
    description: optionalText('description', spec.description, 2000),
    grantTypes,
    scopes: tokens('scopes', spec.scopes, 200),
    responseTypes: tokens('responseTypes', spec.responseTypes, 1, ['code']),
    exchangePurposes: tokens('exchangePurposes', spec.exchangePurposes, 50),
    isEndorsement: spec.isEndorsement ?? false,
  };
}

/** Defines a certification template of a community (operators). */
export async function defineCertificationTemplate(
  deps: Pick<AuthorityDeps, 'db' | 'clock'> & Partial<Pick<AuthorityDeps, 'repository'>>, input: DefineCertificationTemplateInput, actor: Actor,
): Promise<CertificationTemplateRecord> {
  let spec: CertificationTemplateSpec;
  if (input.builtIn !== undefined) {
    const builtIn = BUILT_IN_CERTIFICATION_TEMPLATES[input.builtIn as BuiltInCertificationTemplate];
    if (!builtIn) throw invalid('builtIn', `must be one of ${Object.keys(BUILT_IN_CERTIFICATION_TEMPLATES).join(', ')} (got "${input.builtIn}")`);
    spec = builtIn;
  } else {
    spec = input;
  }
  const terms = checkTemplateSpec(spec);
  const community = await deps.db.communities.find(input.communityId);
  if (!community) throw notFound('community', input.communityId);
  // where the community keeps a catalog of exchange purposes, a template names only its active codes
  const active = community.exchangePurposes.filter((p) => p.active).map((p) => p.code);
  const outside = community.exchangePurposes.length ? terms.exchangePurposes.filter((code) => !active.includes(code)) : [];
  if (outside.length) throw invalid('exchangePurposes', `must be active exchange purposes of the community's catalog; not: ${outside.join(', ')}`);
  const id = randomUUID();
  const now = deps.clock.now();
  try {
    const template = await deps.db.transaction((tx) => tx.certifications.createTemplate(
      { id, communityId: community.id, ...terms, createdBy: actor.id },
      { at: now, actor: actor.id, action: 'certification-template.defined', subjectType: 'certification-template', subjectId: id, data: { communityId: community.id, ...terms } },
    ));
    // the community document lists the templates
    deps.repository?.communityChanged(community.id);
    return template;
  } catch (err) {
    if (err instanceof DbConflictError) throw new DomainError('conflict', err.message, err.details);
    throw err;
  }
}
