// Profile rules checked by lintTbsCertificate (udap-profile.md "Profiles"; RFC 5280 §4.1-4.2).
// Each rule returns human-readable problems prefixed with its id; an empty list means clean.
import type { LeafProfile } from '@anchorage/contracts';
import { keyAlgorithmFor, signatureAlgorithmFromOid } from './algorithms';
import { bytesEqual, toHex } from './bytes';
import { usesUtcTime } from './der';
import { KeyUsageBit } from './extensions';
import { describePublicKey, subjectKeyIdentifier, type PublicKeyDescription } from './keys';
import {
  decodeAuthorityInfoAccess, decodeAuthorityKeyIdentifier, decodeBasicConstraints, decodeCrlDistributionPoints, decodeKeyUsage,
  decodeSubjectAltName, decodeSubjectKeyIdentifier, type LintExtension, type LintTbs,
} from './lint-model';
import { OID } from './oids';
import { isCheckedSanUris, leafProfileChecks, type CheckedSanUris } from './profile-rules';

/** What a certificate is linted as. */
export type LintKind = 'root' | 'issuing' | LeafProfile;

/** Facts about the issuer the TBS alone cannot show. */
export interface LintContext {
  issuerNotBefore?: Date;
  issuerNotAfter?: Date;
  /** The issuer's SPKI: enables the AKI and signature-algorithm/key checks. */
  issuerSpkiDer?: Uint8Array;
  /** Community maximum validity in days (leaves). */
  maxValidityDays?: number;
  /** The SAN URIs issuance checked for this leaf: the SAN rule then confirms the extension lists exactly them. */
  checkedSanUris?: CheckedSanUris;
}

/** One lint rule. */
export interface LintRule {
  id: string;
  check(tbs: LintTbs, kind: LintKind, ctx: LintContext): string[];
}

const isCa = (kind: LintKind) => kind === 'root' || kind === 'issuing';
const ext = (tbs: LintTbs, oid: string): LintExtension | undefined => tbs.extensions.find((e) => e.oid === oid);
const ALLOWED_CRITICAL = new Set<string>([OID.basicConstraints, OID.keyUsage]);
const HTTP_URL = /^http:\/\/[^/?#\s]+/;

function rule(id: string, check: (tbs: LintTbs, kind: LintKind, ctx: LintContext) => (string | false | null | undefined)[]): LintRule {
  return { id, check: (t, k, c) => check(t, k, c).filter((m): m is string => typeof m === 'string').map((m) => `${id}: ${m}`) };
}

function safeDescribe(spkiDer: Uint8Array): PublicKeyDescription | null {
  try {
    return describePublicKey(spkiDer);
  } catch {
    return null;
  }
}

/** The extension value decoded by `decode`, or null when it does not decode. */
function decoded<T>(e: LintExtension, decode: (v: Uint8Array) => T): T | null {
  try {
    return decode(e.value);
  } catch {
    return null;
  }
}

/** All rules, in report order. */
export const LINT_RULES: readonly LintRule[] = [
  rule('version', (t) => [t.version !== 2 && `version must be v3 (2), found ${t.version}`]),

  // RFC 5280 §4.1.2.2 and the UDAP profile "Serial": positive, <= 20 octets, >= 64 random bits.
  rule('serial', (t) => {
    const c = t.serialContent;
    const positive = c.length > 0 && (c[0] & 0x80) === 0 && c.some((b) => b !== 0);
    const magnitude = c.length > 1 && c[0] === 0 ? c.length - 1 : c.length;
    return [
      !positive && 'serial number must be positive',
      c.length > 20 && `serial number is ${c.length} octets; at most 20 are allowed`,
      positive && magnitude < 8 && `serial number has ${magnitude} octets; at least 8 (64 random bits) are required`,
      c.length > 1 && c[0] === 0 && (c[1] & 0x80) === 0 && 'serial number has a redundant leading zero octet (not DER)',
    ];
  }),

  rule('signature-algorithm', (t, _k, ctx) => {
    const alg = signatureAlgorithmFromOid(t.signatureOid);
    if (!alg) return [`signature algorithm ${t.signatureOid} is not sha256WithRSAEncryption or ecdsa-with-SHA256/384`];
    const issuerKey = ctx.issuerSpkiDer ? safeDescribe(ctx.issuerSpkiDer) : null;
    return [issuerKey && issuerKey.algorithm !== keyAlgorithmFor(alg) && `${alg} does not match the issuer's ${issuerKey.algorithm} key`];
  }),

  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; UDAP profile: inside the issuer's validity.
  rule('validity', (t, kind, ctx) => {
    const nb = t.notBefore.date.getTime();
    const na = t.notAfter.date.getTime();
    const enc = (x: { date: Date; utcTime: boolean }, name: string) =>
      x.utcTime !== usesUtcTime(x.date) && `${name} must be ${x.utcTime ? 'GeneralizedTime' : 'UTCTime'} for year ${x.date.getUTCFullYear()}`;
    const self = kind === 'root';
    return [
      nb >= na && 'notBefore must be earlier than notAfter',
      enc(t.notBefore, 'notBefore'),
      enc(t.notAfter, 'notAfter'),
      !self && ctx.issuerNotBefore && nb < ctx.issuerNotBefore.getTime() && `notBefore ${t.notBefore.date.toISOString()} precedes the issuer's notBefore ${ctx.issuerNotBefore.toISOString()}`,
      !self && ctx.issuerNotAfter && na > ctx.issuerNotAfter.getTime() && `notAfter ${t.notAfter.date.toISOString()} is after the issuer's notAfter ${ctx.issuerNotAfter.toISOString()}`,
      ctx.maxValidityDays !== undefined && na - nb > ctx.maxValidityDays * 86_400_000 + 120_000 && `validity exceeds the policy maximum of ${ctx.maxValidityDays} days`,
    ];
  }),

  rule('names', (t, kind) => [
    t.subjectRdnCount === 0 && 'subject must not be empty (SAN stays non-critical only with a subject; RFC 5280 §4.2.1.6)',
    t.issuerRdnCount === 0 && 'issuer must not be empty (RFC 5280 §4.1.2.4)',
    kind === 'root' && !bytesEqual(t.issuerDer, t.subjectDer) && 'a root must be self-issued: issuer must equal subject byte for byte',
    kind !== 'root' && bytesEqual(t.issuerDer, t.subjectDer) && 'issuer equals subject; only the root is self-issued',
  ]),

  rule('extensions', (t) => {
    const seen = new Set<string>();
    const dups = t.extensions.filter((e) => (seen.has(e.oid) ? true : (seen.add(e.oid), false)));
    return [
      t.extensions.length === 0 && 'a v3 certificate needs extensions',
      ...dups.map((e) => `extension ${e.oid} appears more than once (RFC 5280 §4.2)`),
      ...t.extensions.filter((e) => e.criticalEncodedFalse).map((e) => `extension ${e.oid} encodes critical FALSE; DER omits the DEFAULT (X.690 §11.5)`),
    ];
  }),

  // Node (node-forge) relying parties reject any other critical extension (udap-profile.md).
  rule('critical', (t) => t.extensions.filter((e) => e.critical && !ALLOWED_CRITICAL.has(e.oid)).map((e) => `extension ${e.oid} is critical; only keyUsage and basicConstraints may be`)),

  // RFC 5280 §4.2.1.9 and the UDAP profiles.
  rule('basic-constraints', (t, kind) => {
    const e = ext(t, OID.basicConstraints);
    if (!e) return ['basicConstraints is missing'];
    const bc = decoded(e, decodeBasicConstraints);
    if (!bc) return ['basicConstraints does not decode'];
    const pathLen = bc.pathLen;
    return [
      !e.critical && 'basicConstraints must be critical',
      isCa(kind) && !bc.cA && 'basicConstraints must have CA:TRUE',
      !isCa(kind) && bc.cA && 'basicConstraints must have CA:FALSE on a leaf',
      kind === 'issuing' && pathLen !== 0 && 'an issuing CA must have pathLenConstraint 0',
      !isCa(kind) && pathLen !== undefined && 'a leaf must not have pathLenConstraint',
    ];
  }),

  // RFC 5280 §4.2.1.3: CAs keyCertSign + cRLSign; UDAP leaves their profile's bits (LEAF_PROFILE_RULES).
  rule('key-usage', (t, kind) => {
    const e = ext(t, OID.keyUsage);
    if (!e) return ['keyUsage is missing'];
    const bits = decoded(e, decodeKeyUsage);
    if (!bits) return ['keyUsage does not decode'];
    const names = Object.entries(KeyUsageBit).filter(([, b]) => bits.has(b)).map(([n]) => n).join(', ') || 'none';
    const leaf = isCa(kind) ? null : leafProfileChecks(kind as LeafProfile);
    const want = leaf ? leaf.keyUsageBits : [KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign];
    const exact = bits.size === want.length && want.every((b) => bits.has(b));
    return [
      !e.critical && 'keyUsage must be critical',
      !exact && `keyUsage must be exactly ${leaf ? leaf.rules.keyUsage.join(', ') : 'keyCertSign, cRLSign'} (found ${names})`,
    ];
  }),

  // RFC 5280 §4.2.1.2 method (1); required on every certificate by the UDAP profiles.
  rule('subject-key-identifier', (t) => {
    const e = ext(t, OID.subjectKeyIdentifier);
    if (!e) return ['subjectKeyIdentifier is missing'];
    const ski = decoded(e, decodeSubjectKeyIdentifier);
    let expected: Uint8Array | null = null;
    try {
      expected = subjectKeyIdentifier(t.spkiDer);
    } catch {
      return ['subjectPublicKeyInfo is malformed'];
    }
    return [!ski ? 'subjectKeyIdentifier does not decode' : !bytesEqual(ski, expected) && `subjectKeyIdentifier ${toHex(ski)} is not the SHA-1 of the public key (${toHex(expected)})`];
  }),

  // RFC 5280 §4.2.1.1; UDAP leaves: keyIdentifier only.
  rule('authority-key-identifier', (t, kind, ctx) => {
    const e = ext(t, OID.authorityKeyIdentifier);
    if (!e) return [kind !== 'root' && 'authorityKeyIdentifier is missing'];
    const aki = decoded(e, decodeAuthorityKeyIdentifier);
    const keyId = aki?.keyIdentifier;
    if (!aki || !keyId) return ['authorityKeyIdentifier needs a keyIdentifier'];
    const issuerSpki = kind === 'root' ? t.spkiDer : ctx.issuerSpkiDer;
    let expected: Uint8Array | null = null;
    try {
      expected = issuerSpki ? subjectKeyIdentifier(issuerSpki) : null;
    } catch {
      expected = null;
    }
    return [
      !isCa(kind) && (aki.hasIssuer || aki.hasSerial) && 'authorityKeyIdentifier on a leaf must carry keyIdentifier only',
      expected !== null && !bytesEqual(keyId, expected) && `authorityKeyIdentifier ${toHex(keyId)} does not match the issuer key (${toHex(expected)})`,
    ];
  }),

  // UDAP profile "Leaf": SAN URIs, canonical, byte-identical to the holder's iss.
  rule('subject-alt-name', (t, kind, ctx) => {
    const e = ext(t, OID.subjectAltName);
    if (isCa(kind)) return [];
    if (!e) return ['a leaf needs a subjectAltName with at least one URI'];
    const names = decoded(e, decodeSubjectAltName);
    if (!names) return ['subjectAltName does not decode'];
    const { uris, others } = names;
    const problems: (string | false)[] = [uris.length === 0 && 'subjectAltName has no uniformResourceIdentifier', others > 0 && `subjectAltName has ${others} non-URI name(s); only URIs are issued`];
    // In issuance the URIs passed the profile's SAN rules once, before the TBS was built (libs/authority
    // issuance.ts, checkKeyAndSans): here the bytes need only carry exactly those URIs.
    const leaf = kind as LeafProfile;
    if (isCheckedSanUris(ctx.checkedSanUris, leaf)) {
      const want = ctx.checkedSanUris.uris;
      if (uris.length !== want.length || uris.some((u, i) => u !== want[i])) problems.push('subjectAltName does not list exactly the URIs checked for this issuance');
      return problems;
    }
    const profile = leafProfileChecks(leaf);
    for (const uri of uris) problems.push(profile.sanUriProblem(uri) ?? false);
    if (new Set(uris).size !== uris.length) problems.push('subjectAltName lists a URI twice');
    if (uris.length > 0) problems.push(profile.sanCountProblem(new Set(uris).size) ?? false);
    return problems;
  }),

  // RFC 5280 §4.2.1.13; UDAP profile: a single http URI (root: optional, same shape).
  rule('crl-distribution-points', (t, kind) => {
    const e = ext(t, OID.crlDistributionPoints);
    if (!e) return [kind !== 'root' && 'cRLDistributionPoints is missing'];
    const dps = decoded(e, decodeCrlDistributionPoints);
    if (!dps) return ['cRLDistributionPoints does not decode'];
    if (dps.length !== 1) return [`cRLDistributionPoints must hold exactly one distribution point (found ${dps.length})`];
    const [dp] = dps;
    const { uris, others } = dp.fullName ?? { uris: [], others: 0 };
    return [
      dp.limited && 'the distribution point must not limit reasons or name a cRLIssuer',
      (uris.length !== 1 || others > 0) && `the distribution point must have exactly one fullName URI (found ${uris.length} URI(s), ${others} other name(s))`,
      uris.length === 1 && !HTTP_URL.test(uris[0]) && `CRL URI "${uris[0]}" must be http://`,
    ];
  }),

  // RFC 5280 §4.2.2.1; UDAP profile: root none; others exactly one caIssuers http URI, no OCSP.
  rule('authority-info-access', (t, kind) => {
    const e = ext(t, OID.authorityInfoAccess);
    if (kind === 'root') return [e && 'a root must not carry authorityInfoAccess'];
    if (!e) return ['authorityInfoAccess with a caIssuers URI is missing'];
    const ads = decoded(e, decodeAuthorityInfoAccess);
    if (!ads) return ['authorityInfoAccess does not decode'];
    const caIssuers = ads.filter((a) => a.method === OID.caIssuers);
    const ocsp = ads.some((a) => a.method === OID.ocsp);
    const loc = caIssuers[0]?.location;
    return [
      ocsp && 'authorityInfoAccess must not include OCSP',
      caIssuers.length !== 1 && `authorityInfoAccess must have exactly one caIssuers entry (found ${caIssuers.length})`,
      ads.length !== caIssuers.length && !ocsp && 'authorityInfoAccess has entries other than caIssuers',
      caIssuers.length === 1 && (loc?.tag !== 0x86 || !HTTP_URL.test(loc.text)) && 'the caIssuers location must be an http:// URI',
    ];
  }),

  // UDAP profile: RSA >= 2048 (e = 65537), EC P-256/P-384; each leaf profile's keyAlgorithms (LEAF_PROFILE_RULES).
  rule('public-key', (t, kind) => {
    const d = safeDescribe(t.spkiDer);
    if (!d) return ['subjectPublicKeyInfo does not import'];
    return [
      d.algorithm === 'other' && 'public key must be RSA or EC',
      d.algorithm === 'RSA' && (d.bits ?? 0) < 2048 && `RSA key is ${d.bits} bits; at least 2048 are required`,
      d.algorithm === 'RSA' && d.publicExponent !== 65537n && 'RSA public exponent must be 65537',
      d.algorithm === 'EC' && !d.keyType && `EC curve ${d.curve} is not P-256 or P-384`,
      !isCa(kind) && leafProfileChecks(kind as LeafProfile).keyAlgorithmProblem(d),
    ];
  }),
];
