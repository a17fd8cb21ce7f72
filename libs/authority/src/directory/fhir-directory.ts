// The community directory as FHIR R4 resources (GET /pki/communities/{id}/directory): one
// Organization per active member, one Endpoint per distinct SAN URI of its live server certificates
// (the national-directory shape: address = the FHIR base URL exactly as certified), in a searchset
// Bundle. Pure functions over records; community-directory.ts holds the result in memory.
import { createHash } from 'node:crypto';
import type { LiveServerEndpoint, OrganizationRecord } from '@anchorage/db';

const CONNECTION_TYPES = 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type';
const PAYLOAD_TYPES = 'http://terminology.hl7.org/CodeSystem/endpoint-payload-type';
/** FHIR identifier systems of the profile's identifier kinds; `other` has none (its label goes in type.text). */
const IDENTIFIER_SYSTEMS: Record<string, string> = {
  NPI: 'http://hl7.org/fhir/sid/us-npi',
  OID: 'urn:ietf:rfc:3986',
  LEI: 'urn:iso:std:iso:17442',
};

/** A FHIR Identifier. */
export interface FhirIdentifier { system?: string; value: string; type?: { text: string } }
/** A FHIR Reference. */
export interface FhirReference { reference: string; display?: string }
/** A FHIR R4 Organization as the directory shows it. */
export interface FhirOrganization {
  resourceType: 'Organization';
  id: string;
  identifier: FhirIdentifier[];
  active: true;
  name: string;
  alias?: string[];
  endpoint?: FhirReference[];
}
/** A FHIR R4 Endpoint as the directory shows it. */
export interface FhirEndpoint {
  resourceType: 'Endpoint';
  id: string;
  status: 'active';
  connectionType: { system: string; code: string };
  managingOrganization: FhirReference;
  payloadType: { coding: { system: string; code: string }[] }[];
  address: string;
}
/** A FHIR R4 searchset Bundle. */
export interface FhirBundle {
  resourceType: 'Bundle';
  type: 'searchset';
  total: number;
  entry?: { fullUrl: string; resource: FhirOrganization | FhirEndpoint; search: { mode: 'match' | 'include' } }[];
}
/** A FHIR R4 OperationOutcome with one issue. */
export interface FhirOperationOutcome {
  resourceType: 'OperationOutcome';
  issue: { severity: 'error'; code: string; diagnostics: string }[];
}

/** A community's directory, built once and searched in memory. */
export interface DirectoryData {
  /** The base of the resources' URLs (…/pki/communities/{id}/directory). */
  base: string;
  organizations: FhirOrganization[];
  /** Endpoints of each organization, by organization id. */
  endpoints: Map<string, FhirEndpoint[]>;
}

/** The id of an endpoint: the organization's id and a digest of the URI (stable: a SAN URI belongs to one organization for good). */
function endpointId(organizationId: string, uri: string): string {
  return `${organizationId}.${createHash('sha256').update(uri).digest('hex').slice(0, 16)}`;
}

function identifiers(org: OrganizationRecord, communityUri: string): FhirIdentifier[] {
  const out: FhirIdentifier[] = [{ system: communityUri, value: org.id }];
  for (const id of org.profile.identifiers ?? []) {
    const system = IDENTIFIER_SYSTEMS[id.type];
    if (system) out.push({ system, value: id.type === 'OID' && !id.value.startsWith('urn:oid:') ? `urn:oid:${id.value}` : id.value });
    else out.push({ type: { text: id.label || id.type }, value: id.value });
  }
  return out;
}

/** Builds the directory of a community from its active organizations and live server endpoints. */
export function buildDirectory(base: string, communityUri: string, orgs: OrganizationRecord[], live: LiveServerEndpoint[]): DirectoryData {
  const active = orgs.filter((o) => o.status === 'active').sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const activeIds = new Set(active.map((o) => o.id));
  const endpoints = new Map<string, FhirEndpoint[]>();
  for (const e of live) {
    if (!activeIds.has(e.organizationId)) continue;
    const list = endpoints.get(e.organizationId) ?? [];
    list.push({
      resourceType: 'Endpoint',
      id: endpointId(e.organizationId, e.uri),
      status: 'active',
      connectionType: { system: CONNECTION_TYPES, code: 'hl7-fhir-rest' },
      managingOrganization: { reference: `Organization/${e.organizationId}` },
      payloadType: [{ coding: [{ system: PAYLOAD_TYPES, code: 'any' }] }],
      address: e.uri,
    });
    endpoints.set(e.organizationId, list);
  }
  const organizations = active.map((o): FhirOrganization => {
    const eps = endpoints.get(o.id) ?? [];
    const legal = o.profile.legalName;
    return {
      resourceType: 'Organization',
      id: o.id,
      identifier: identifiers(o, communityUri),
      active: true,
      name: o.name,
      ...(legal && legal !== o.name ? { alias: [legal] } : {}),
      ...(eps.length ? { endpoint: eps.map((e) => ({ reference: `Endpoint/${e.id}` })) } : {}),
    };
  });
  return { base, organizations, endpoints };
}

/** The resource types the directory holds, each readable at `<base>/<type>/<id>` (its entries' fullUrl). */
export const DIRECTORY_RESOURCE_TYPES = ['Organization', 'Endpoint'] as const;
/** A resource type the directory holds. */
export type DirectoryResourceType = (typeof DIRECTORY_RESOURCE_TYPES)[number];

/** The FHIR read of one resource (`GET <base>/<type>/<id>`): the resource, or null when the directory holds none by that id. */
export function readDirectory(d: DirectoryData, type: DirectoryResourceType, id: string): FhirOrganization | FhirEndpoint | null {
  if (type === 'Organization') return d.organizations.find((o) => o.id === id) ?? null;
  // an endpoint's id starts with its organization's id
  const orgId = id.slice(0, id.indexOf('.'));
  return d.endpoints.get(orgId)?.find((e) => e.id === id) ?? null;
}

/** The search parameters the directory supports. */
export const DIRECTORY_SEARCH_PARAMETERS = ['name', 'address'] as const;

/** An OperationOutcome of one error. */
export function operationOutcome(code: string, diagnostics: string): FhirOperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

/**
 * Searches the directory: `name` matches organizations whose name contains it (case-insensitive),
 * `address` those with an endpoint at exactly that address (and only that endpoint is included).
 * Any other or repeated parameter is an OperationOutcome; empty values are ignored (FHIR search rules).
 */
export function searchDirectory(d: DirectoryData, params: URLSearchParams): FhirBundle | FhirOperationOutcome {
  const seen = new Set<string>();
  for (const [key] of params) {
    if (!(DIRECTORY_SEARCH_PARAMETERS as readonly string[]).includes(key)) {
      return operationOutcome('not-supported', `unknown search parameter '${key}'; the directory supports ${DIRECTORY_SEARCH_PARAMETERS.join(', ')}`);
    }
    if (seen.has(key)) return operationOutcome('not-supported', `search parameter '${key}' may be given once`);
    seen.add(key);
  }
  const name = params.get('name')?.toLowerCase() || null;
  const address = params.get('address') || null;
  const entry: NonNullable<FhirBundle['entry']> = [];
  const included: FhirEndpoint[] = [];
  for (const org of d.organizations) {
    if (name !== null && !org.name.toLowerCase().includes(name)) continue;
    const eps = (d.endpoints.get(org.id) ?? []).filter((e) => address === null || e.address === address);
    if (address !== null && eps.length === 0) continue;
    entry.push({ fullUrl: `${d.base}/Organization/${org.id}`, resource: org, search: { mode: 'match' } });
    included.push(...eps);
  }
  const total = entry.length;
  for (const e of included) entry.push({ fullUrl: `${d.base}/Endpoint/${e.id}`, resource: e, search: { mode: 'include' } });
  return { resourceType: 'Bundle', type: 'searchset', total, ...(entry.length ? { entry } : {}) };
}
