// Leaf profiles compiled from data (architecture habit 3). LEAF_PROFILE_RULES in @anchorage/contracts says
// what udap-client, udap-server, udap-idp and udap-certifier require; this file turns one record into the checks the key
// policy, issuance, the leaf template and lint run, so none of them states a profile rule of its own.
import { LEAF_PROFILE_RULES, type KeyType, type LeafProfile, type LeafProfileRules } from '@anchorage/contracts';
import { PkiError } from './errors';
import { KeyUsageBit } from './extensions';
import { checkKeyPolicy, type PublicKeyDescription } from './keys';
import { checkSanUri, checkSanUris } from './san';

/** SAN URIs that passed a profile's SAN rules: distinct, frozen, made only by the checks below. */
export interface CheckedSanUris {
  readonly profile: LeafProfile;
  /** The record they were checked against. */
  readonly rules: LeafProfileRules;
  readonly uris: readonly string[];
}

/** The outcome of reviewSanUris: every problem found, or the checked URIs. */
export type SanReview = { problems: string[]; checked: null } | { problems: []; checked: CheckedSanUris };

/** One leaf profile record compiled into its checks. */
export interface LeafProfileChecks {
  readonly profile: LeafProfile;
  /** The record these checks were compiled from. */
  readonly rules: LeafProfileRules;
  /** The keyUsage bits of its certificates, as bit numbers. */
  readonly keyUsageBits: readonly number[];
  /** Enforces the key policy for this profile and the community's allowed types; returns the key type or throws PkiError 'key-policy'. */
  checkKey(desc: PublicKeyDescription, allowed: readonly KeyType[]): KeyType;
  /** Why this profile refuses the key's algorithm, or null when it accepts it (lint's view). */
  keyAlgorithmProblem(desc: PublicKeyDescription): string | null;
  /** Why `count` distinct SAN URIs are too few, or null. */
  sanCountProblem(count: number): string | null;
  /** Why one SAN URI breaks the SAN rules, or null. */
  sanUriProblem(uri: string): string | null;
  /** Checks requested URIs, each also against `also` (a binding, say), collecting every problem; on none, the distinct URIs, checked. */
  reviewSanUris(uris: readonly string[], also?: (uri: string) => string | null): SanReview;
  /** Checks a certificate's SAN URI list (count, each URI, no repeats); returns it checked or throws PkiError 'san-invalid'. */
  checkSanUris(uris: readonly string[]): CheckedSanUris;
}

const CHECKED = new WeakSet<CheckedSanUris>();

function markChecked(profile: LeafProfile, rules: LeafProfileRules, uris: readonly string[]): CheckedSanUris {
  const checked: CheckedSanUris = Object.freeze({ profile, rules, uris: Object.freeze([...uris]) });
  CHECKED.add(checked);
  return checked;
}

/** Compiles a leaf profile record into its checks; throws PkiError 'validation' on a record the checks cannot express. */
export function compileLeafProfile(profile: LeafProfile, rules: LeafProfileRules): LeafProfileChecks {
  // checkKeyPolicy narrows to RSA or allows RSA and EC; RSA is the UDAP default every leaf accepts
  if (!rules.keyAlgorithms.includes('RSA')) throw new PkiError('validation', `profile ${profile}: keyAlgorithms must include RSA`);
  // a UDAP leaf needs a SAN URI: relying parties match the holder's `iss` to one
  if (!Number.isInteger(rules.san.minUris) || rules.san.minUris < 1) throw new PkiError('validation', `profile ${profile}: san.minUris must be a whole number of at least 1`);
  if (rules.keyUsage.length === 0) throw new PkiError('validation', `profile ${profile}: keyUsage needs at least one bit`);
  const rsaOnly = !rules.keyAlgorithms.includes('EC');
  const sanOptions = { requireHttps: rules.san.requireHttps };
  const sanCountProblem = (count: number): string | null => {
    if (count >= rules.san.minUris) return null;
    return rules.san.minUris === 1 ? 'at least one SAN URI is required' : `at least ${rules.san.minUris} SAN URIs are required`;
  };
  const sanUriProblem = (uri: string): string | null => {
    try {
      checkSanUri(uri, sanOptions);
      return null;
    } catch (err) {
      if (err instanceof PkiError) return err.message;
      throw err;
    }
  };
  return {
    profile,
    rules,
    keyUsageBits: rules.keyUsage.map((name) => KeyUsageBit[name]),
    checkKey: (desc, allowed) => checkKeyPolicy(desc, allowed, { rsaOnly }),
    keyAlgorithmProblem: (desc) =>
      desc.algorithm !== 'other' && !rules.keyAlgorithms.includes(desc.algorithm)
        ? `${profile} keys must be ${rules.keyAlgorithms.join(' or ')} (signed_metadata and tokens are RS256)`
        : null,
    sanCountProblem,
    sanUriProblem,
    reviewSanUris(uris, also) {
      const distinct = [...new Set(uris)];
      const problems: string[] = [];
      const count = sanCountProblem(distinct.length);
      if (count) problems.push(count);
      for (const uri of uris) {
        const problem = sanUriProblem(uri) ?? also?.(uri) ?? null;
        if (problem) problems.push(problem);
      }
      return problems.length ? { problems, checked: null } : { problems: [], checked: markChecked(profile, rules, distinct) };
    },
    checkSanUris(uris) {
      const count = sanCountProblem(uris.length);
      if (count) throw new PkiError('san-invalid', count);
      return markChecked(profile, rules, checkSanUris(uris, sanOptions));
    },
  };
}

const COMPILED = new Map<LeafProfile, LeafProfileChecks>();

/** The checks of a leaf profile as LEAF_PROFILE_RULES states it (compiled once per record). */
export function leafProfileChecks(profile: LeafProfile): LeafProfileChecks {
  const rules = LEAF_PROFILE_RULES[profile];
  let checks = COMPILED.get(profile);
  if (!checks || checks.rules !== rules) COMPILED.set(profile, (checks = compileLeafProfile(profile, rules)));
  return checks;
}

/** Whether `sans` passed the SAN rules LEAF_PROFILE_RULES states for `profile` (so they need no second check). */
export function isCheckedSanUris(sans: unknown, profile: LeafProfile): sans is CheckedSanUris {
  return typeof sans === 'object' && sans !== null && CHECKED.has(sans as CheckedSanUris) && (sans as CheckedSanUris).rules === LEAF_PROFILE_RULES[profile];
}

/** The URIs of `sans` once they passed `profile`'s SAN rules: as they are when already checked, else checked now. */
export function sanUrisFor(profile: LeafProfile, sans: readonly string[] | CheckedSanUris): readonly string[] {
  if (Array.isArray(sans)) return leafProfileChecks(profile).checkSanUris(sans).uris;
  const given = sans as CheckedSanUris;
  // checked against another record (a compiled copy): check again against the table's
  if (!isCheckedSanUris(sans, profile)) return leafProfileChecks(profile).checkSanUris(given.uris).uris;
  return given.uris;
}
