import { isKeyType, type CommunityPolicy, type KeyType } from '@anchorage/contracts';
import type { CommunityRecord } from '@anchorage/db';
import { encodeName } from '@anchorage/pki';
import { enforceCaKeyPolicy } from './ca-key-policy';
import { DomainError } from './errors';

/** What an operator supplies to create a community. */
export interface CreateCommunityInput {
  name: string;
  uri: string;
  caKeyType?: KeyType;
  policy?: Partial<CommunityPolicy>;
  rootValidityYears?: number;
  issuingValidityYears?: number;
  /**
   * The root stays offline, outside the platform: only the issuing CA is created, with its key in the
   * signer and a CSR for the external root to sign (then see installIssuingCaCertificate).
   */
  offlineRoot?: boolean;
}

/** Validated input with defaults filled in. */
export type ValidCommunityInput = Required<Omit<CreateCommunityInput, 'policy' | 'offlineRoot'>> & { policy: CommunityPolicy; offlineRoot: boolean };

/**
 * Policy used where the operator is silent: RSA leaves (the safe UDAP default), 1 year, 7-day CRLs.
 * EC CA keys stay allowed (requireRsaChain false): the CA key already defaults to RSA-4096, so an EC
 * CA is an explicit choice, which the profile sheet permits per community ("EC P-384 optional") and
 * udap-dotnet and Inferno verify; the community view warns about RSA-only relying parties instead.
 */
export const DEFAULT_POLICY: CommunityPolicy = {
  allowedLeafKeyTypes: ['RSA-2048', 'RSA-3072', 'RSA-4096'],
  maxLeafValidityDays: 365,
  crlLifetimeSeconds: 7 * 24 * 3600,
  allowGeneratedKeys: false,
  requireEndpointControl: false,
  autoApproveVerifiedRequests: false,
  requireRsaChain: false,
};

/** The one canonical form of a community URI: lowercase scheme and host, nothing else touched. */
export function canonicalCommunityUri(uri: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(uri);
  if (!m) throw new DomainError('validation', `community URI "${uri}" is not an absolute URI with an authority (e.g. udap://example.org/)`);
  return `${m[1].toLowerCase()}://${m[2].toLowerCase()}${m[3]}`;
}

/** What is wrong with a whole policy, by field (`policy.<name>`); empty when nothing is. */
export function policyErrors(policy: CommunityPolicy): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (!Array.isArray(policy.allowedLeafKeyTypes) || policy.allowedLeafKeyTypes.length === 0 || !policy.allowedLeafKeyTypes.every((k) => isKeyType(k))) {
    errors.push({ field: 'policy.allowedLeafKeyTypes', message: 'must be a non-empty list of RSA-2048, RSA-3072, RSA-4096, EC-P256, EC-P384' });
  }
  if (!Number.isInteger(policy.maxLeafValidityDays) || policy.maxLeafValidityDays < 1 || policy.maxLeafValidityDays > 825) {
    errors.push({ field: 'policy.maxLeafValidityDays', message: 'must be a whole number of days from 1 to 825' });
  }
  if (!Number.isInteger(policy.crlLifetimeSeconds) || policy.crlLifetimeSeconds < 3600 || policy.crlLifetimeSeconds > 30 * 86400) {
    errors.push({ field: 'policy.crlLifetimeSeconds', message: 'must be from 3600 (1 hour) to 2592000 (30 days): relying parties need short-lived CRLs' });
  }
  if (typeof policy.allowGeneratedKeys !== 'boolean') errors.push({ field: 'policy.allowGeneratedKeys', message: 'must be true or false' });
  for (const k of ['requireEndpointControl', 'autoApproveVerifiedRequests', 'requireRsaChain'] as const) {
    if (typeof policy[k] !== 'boolean') errors.push({ field: `policy.${k}`, message: 'must be true or false' });
  }
  return errors;
}

/** Validates the operator's input and fills in defaults; every problem is reported at once. */
export function validateCommunityInput(input: CreateCommunityInput): ValidCommunityInput {
  const errors: { field: string; message: string }[] = [];
  const name = (input.name ?? '').trim();
  if (!name || name.length > 120) errors.push({ field: 'name', message: 'must be 1 to 120 characters' });
  let uri = input.uri ?? '';
  try {
    const canonical = canonicalCommunityUri(uri);
    if (canonical !== uri) errors.push({ field: 'uri', message: `is not canonical; use "${canonical}"` });
    if (/\s/.test(uri) || uri.length > 512) errors.push({ field: 'uri', message: 'must have no spaces and at most 512 characters' });
  } catch (err) {
    errors.push({ field: 'uri', message: (err as Error).message });
    uri = '';
  }
  const caKeyType = input.caKeyType ?? 'RSA-4096';
  const policy = { ...DEFAULT_POLICY, ...(input.policy ?? {}) };
  errors.push(...policyErrors(policy));
  const offlineRoot = input.offlineRoot ?? false;
  // With an offline root the external root decides both validity periods; a value here would be ignored.
  if (offlineRoot === true) {
    for (const field of ['rootValidityYears', 'issuingValidityYears'] as const) {
      if (input[field] !== undefined) errors.push({ field, message: 'has no effect with offlineRoot: the external root sets the validity of the certificate it signs' });
    }
  }
  const rootValidityYears = input.rootValidityYears ?? 20;
  const issuingValidityYears = input.issuingValidityYears ?? 10;
  if (!Number.isInteger(rootValidityYears) || rootValidityYears < 1 || rootValidityYears > 30) errors.push({ field: 'rootValidityYears', message: 'must be 1 to 30' });
  if (!Number.isInteger(issuingValidityYears) || issuingValidityYears < 1 || issuingValidityYears >= rootValidityYears) {
    errors.push({ field: 'issuingValidityYears', message: 'must be at least 1 and shorter than the root validity' });
  }
  if (errors.length) throw new DomainError('validation', 'the community request is invalid', { errors });
  // before any key exists: a refused community leaves no CA row, key or audit event behind
  enforceCaKeyPolicy(policy, [{ what: 'CA', field: 'caKeyType', keyType: caKeyType }]);
  return { name, uri, caKeyType, policy, rootValidityYears, issuingValidityYears, offlineRoot: offlineRoot === true };
}

/** The community row of validated input. */
export function communityRecordOf(id: string, v: ValidCommunityInput): Omit<CommunityRecord, 'createdAt'> {
  return {
    id, uri: v.uri, name: v.name, allowedLeafKeyTypes: v.policy.allowedLeafKeyTypes, maxLeafValidityDays: v.policy.maxLeafValidityDays,
    crlLifetimeSeconds: v.policy.crlLifetimeSeconds, allowGeneratedKeys: v.policy.allowGeneratedKeys,
    requireEndpointControl: v.policy.requireEndpointControl === true, autoApproveVerified: v.policy.autoApproveVerifiedRequests === true,
    requireRsaChain: v.policy.requireRsaChain === true, exchangePurposes: [],
  };
}

/** Subject Names of a community's root and issuing CA (ub-common-name and ub-organization-name: 64). */
export function caSubjects(name: string): { root: Uint8Array; issuing: Uint8Array } {
  return {
    root: encodeName({ commonName: `${name} Root CA`.slice(0, 64), organization: name.slice(0, 64) }),
    issuing: encodeName({ commonName: `${name} Issuing CA`.slice(0, 64), organization: name.slice(0, 64) }),
  };
}
