// Profile → TBSCertificate templates for the UDAP trust community (udap-profile.md "Profiles").
import type { LeafProfile } from '@anchorage/contracts';
import { keyAlgorithmFor, type SignatureAlgorithm } from './algorithms';
import {
  authorityInfoAccessExtension,
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  certificatePoliciesExtension,
  checkHttpUrl,
  crlDistributionPointsExtension,
  extendedKeyUsageExtension,
  type Extension,
  KeyUsageBit,
  keyUsageExtension,
  subjectAltNameUrisExtension,
  subjectKeyIdentifierExtension,
} from './extensions';
import { PkiError } from './errors';
import { describePublicKey, subjectKeyIdentifier } from './keys';
import { leafProfileChecks, sanUrisFor, type CheckedSanUris } from './profile-rules';
import { buildTbsCertificate } from './tbs-certificate';

/** Fields every template takes. */
interface CommonTbsParams {
  serial: Uint8Array;
  /** Subject Name DER (see encodeName). */
  subject: Uint8Array;
  spkiDer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** The algorithm the issuer signs with; must fit the issuer's key. */
  signatureAlgorithm: SignatureAlgorithm;
  /** Optional certificatePolicies OIDs from the community profile (non-critical). */
  policyOids?: readonly string[];
}

/** Inputs of buildRootCaTbs. */
export interface RootCaTbsParams extends CommonTbsParams {
  /** The root's own CRL; relying parties that read only the anchor's CDP need it (udap-profile.md). */
  crlUrl?: string;
}

/** Inputs of buildIssuingCaTbs. */
export interface IssuingCaTbsParams extends CommonTbsParams {
  /** Root Name DER (the root certificate's subject bytes). */
  issuer: Uint8Array;
  /** Root SPKI, for the AKI and the algorithm check. */
  issuerSpkiDer: Uint8Array;
  /** The root's CRL (http). */
  crlUrl: string;
  /** URL of the root certificate (DER, http). */
  caIssuersUrl: string;
}

/** Inputs of buildLeafTbs. */
export interface LeafTbsParams extends IssuingCaTbsParams {
  profile: LeafProfile;
  /**
   * Canonical SAN URIs, byte-identical to the holder's JWT `iss` (at least one): as the profile's checks
   * returned them (not checked again), or a plain list, checked here against the same profile rules.
   */
  sanUris: readonly string[] | CheckedSanUris;
  /** Optional extendedKeyUsage OIDs from the community profile (non-critical); omitted by default. */
  extKeyUsageOids?: readonly string[];
}

const CA_KEY_USAGE = [KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign];

/**
 * Self-signed root: basicConstraints CA:TRUE critical without pathLen, keyUsage keyCertSign+cRLSign
 * critical, SKI, AKI (= own SKI, RFC 5280 §4.2.1.1 allows it on self-signed), optional CDP, and no AIA
 * (udap-profile.md "Root CA").
 */
export function buildRootCaTbs(p: RootCaTbsParams): Uint8Array {
  checkAlgorithmFitsKey(p.signatureAlgorithm, p.spkiDer, 'root');
  const ski = subjectKeyIdentifier(p.spkiDer);
  const extensions: Extension[] = [
    basicConstraintsExtension(true),
    keyUsageExtension(CA_KEY_USAGE),
    subjectKeyIdentifierExtension(ski),
    authorityKeyIdentifierExtension(ski),
  ];
  if (p.crlUrl !== undefined) extensions.push(crlDistributionPointsExtension(checkHttpUrl(p.crlUrl, 'crlUrl')));
  addPolicies(extensions, p.policyOids);
  return buildTbsCertificate({ ...p, issuer: p.subject, extensions });
}

/**
 * Issuing CA under the root: basicConstraints CA:TRUE pathLen 0 critical, keyUsage keyCertSign+cRLSign
 * critical, SKI, AKI, CDP → root CRL, AIA with exactly one caIssuers → root certificate
 * (udap-profile.md "Issuing CA").
 */
export function buildIssuingCaTbs(p: IssuingCaTbsParams): Uint8Array {
  checkAlgorithmFitsKey(p.signatureAlgorithm, p.issuerSpkiDer, 'issuer');
  describePublicKey(p.spkiDer);
  const extensions: Extension[] = [
    basicConstraintsExtension(true, 0),
    keyUsageExtension(CA_KEY_USAGE),
    subjectKeyIdentifierExtension(subjectKeyIdentifier(p.spkiDer)),
    authorityKeyIdentifierExtension(subjectKeyIdentifier(p.issuerSpkiDer)),
    crlDistributionPointsExtension(checkHttpUrl(p.crlUrl, 'crlUrl')),
    authorityInfoAccessExtension(checkHttpUrl(p.caIssuersUrl, 'caIssuersUrl')),
  ];
  addPolicies(extensions, p.policyOids);
  return buildTbsCertificate({ ...p, extensions });
}

/**
 * Leaf for a UDAP client, server or identity provider: basicConstraints CA:FALSE critical and keyUsage
 * critical (the profile's bits from LEAF_PROFILE_RULES: digitalSignature) are the ONLY critical
 * extensions (node-forge relying parties reject any other), SAN URIs non-critical, SKI, AKI
 * keyIdentifier only, CDP with one http URI, AIA with exactly one caIssuers URI and no OCSP
 * (udap-profile.md "Leaf"). extendedKeyUsage is omitted unless the
 * community profile lists EKUs: the UDAP IG defines none and the profile sheet calls it optional.
 */
export function buildLeafTbs(p: LeafTbsParams): Uint8Array {
  checkAlgorithmFitsKey(p.signatureAlgorithm, p.issuerSpkiDer, 'issuer');
  describePublicKey(p.spkiDer);
  // Issuance checks the SAN URIs once, before it prepares anything (libs/authority issuance.ts,
  // checkKeyAndSans), and passes them here checked; only a plain list is checked at this point.
  const sanUris = sanUrisFor(p.profile, p.sanUris);
  const profile = leafProfileChecks(p.profile);
  const extensions: Extension[] = [
    basicConstraintsExtension(false),
    keyUsageExtension(profile.keyUsageBits),
  ];
  if (p.extKeyUsageOids && p.extKeyUsageOids.length > 0) extensions.push(extendedKeyUsageExtension(p.extKeyUsageOids));
  extensions.push(
    subjectKeyIdentifierExtension(subjectKeyIdentifier(p.spkiDer)),
    authorityKeyIdentifierExtension(subjectKeyIdentifier(p.issuerSpkiDer)),
    subjectAltNameUrisExtension(sanUris),
    crlDistributionPointsExtension(checkHttpUrl(p.crlUrl, 'crlUrl')),
    authorityInfoAccessExtension(checkHttpUrl(p.caIssuersUrl, 'caIssuersUrl')),
  );
  addPolicies(extensions, p.policyOids);
  return buildTbsCertificate({ ...p, extensions });
}

function addPolicies(extensions: Extension[], oids: readonly string[] | undefined): void {
  if (oids && oids.length > 0) extensions.push(certificatePoliciesExtension(oids));
}

/** Throws PkiError 'validation' unless the signing key's family fits the signature algorithm. */
export function checkAlgorithmFitsKey(alg: SignatureAlgorithm, signerSpkiDer: Uint8Array, who: string): void {
  const desc = describePublicKey(signerSpkiDer);
  const need = keyAlgorithmFor(alg);
  if (desc.algorithm !== need) {
    throw new PkiError('validation', `${alg} needs an ${need} ${who} key, but the ${who} key is ${desc.algorithm}`);
  }
}
