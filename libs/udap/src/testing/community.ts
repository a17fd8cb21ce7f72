// Test-only: a UDAP trust community (root → issuing CA → leaves with SAN URIs, one CRL per CA served
// from a map) built with libs/pki's test CA helpers, and its UdapTrust for the verifier.
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  buildTbsCertificate,
  encodeName,
  KeyUsageBit,
  keyUsageExtension,
  subjectAltNameUrisExtension,
  subjectKeyIdentifier,
  subjectKeyIdentifierExtension,
} from '@anchorage/pki';
import {
  buildTestChain,
  issueTestLeaf,
  signTbs,
  signTestCrl,
  testKey,
  testSerial,
  type TestCa,
  type TestChain,
  type TestKey,
} from '@anchorage/pki/testing';
import type { KeyType, LeafProfile } from '@anchorage/contracts';
import type { UdapTrust } from '../types';

const DAY = 86_400_000;

/** A leaf certificate with its key. */
export interface TestLeaf {
  key: TestKey;
  der: Uint8Array;
  serial: Uint8Array;
}

/** Options of TestCommunity.issueLeaf. */
export interface TestLeafRequest {
  /** Key label (keys are cached per label). */
  label: string;
  sanUris: string[];
  keyType?: KeyType;
  profile?: LeafProfile;
  notBefore?: Date;
  notAfter?: Date;
  /** Leave out the CRL distribution point (the production template always has one). */
  withoutCdp?: boolean;
}

/** One CRL entry. */
export interface TestCrlEntry {
  serial: Uint8Array;
  date?: Date;
  reason?: number;
}

/** Options of TestCommunity.signCrl. */
export interface TestCrlRequest {
  entries?: TestCrlEntry[];
  thisUpdate?: Date;
  nextUpdate?: Date;
  /** Sign with this key instead of the CA's (same issuer name): a forged CRL. */
  signingKey?: TestKey;
}

/** A test community: its chain, CRLs by URL and a trust view for the verifier. */
export interface TestCommunity {
  now: Date;
  chain: TestChain;
  /** CRL bytes served per URL; null = unavailable. Tests replace entries. */
  crls: Map<string, Uint8Array | null>;
  /** The community's UdapTrust: the root as anchor, CRLs from `crls`. */
  trust(o?: { intermediates?: boolean }): UdapTrust;
  /** Issues another leaf under the issuing CA. */
  issueLeaf(o: TestLeafRequest): TestLeaf;
  /** Signs a CRL of the root or the issuing CA (current for a day unless told otherwise). */
  signCrl(ca: 'root' | 'issuing', o?: TestCrlRequest): Uint8Array;
  /** The x5c chain of a leaf: the leaf, then the issuing CA. */
  x5c(leaf: TestLeaf): Uint8Array[];
}

let serials = 1000;

function leafWithoutCdp(issuing: TestCa, o: TestLeafRequest, key: TestKey, serial: Uint8Array, notBefore: Date, notAfter: Date): Uint8Array {
  const tbs = buildTbsCertificate({
    serial, signatureAlgorithm: issuing.alg, issuer: issuing.subject, subject: encodeName({ commonName: o.label, organization: 'Member Org' }),
    notBefore, notAfter, spkiDer: key.spkiDer,
    extensions: [
      basicConstraintsExtension(false),
      keyUsageExtension([KeyUsageBit.digitalSignature]),
      subjectKeyIdentifierExtension(subjectKeyIdentifier(key.spkiDer)),
      authorityKeyIdentifierExtension(subjectKeyIdentifier(issuing.key.spkiDer)),
      subjectAltNameUrisExtension(o.sanUris),
    ],
  });
  return signTbs(tbs, issuing.alg, issuing.key);
}

/** Builds a community whose default leaf (chain.leaf) is a udap-client with `sanUris`. */
export function buildTestCommunity(label: string, now: Date, o: { sanUris?: string[]; leafKeyType?: KeyType } = {}): TestCommunity {
  const chain = buildTestChain({ now, label, sanUris: o.sanUris ?? ['https://app.example.org/client'], leafKeyType: o.leafKeyType });
  const crls = new Map<string, Uint8Array | null>();
  const community: TestCommunity = {
    now,
    chain,
    crls,
    trust: (t = {}) => ({
      anchors: [chain.root.der],
      intermediates: t.intermediates ? [chain.issuing.der] : [],
      crl: async (url: string) => crls.get(url) ?? null,
    }),
    issueLeaf: (req) => {
      const key = testKey(req.keyType ?? 'RSA-2048', `${label}-${req.label}`);
      const serial = testSerial(serials++);
      const notBefore = req.notBefore ?? new Date(now.getTime() - 60_000);
      const notAfter = req.notAfter ?? new Date(now.getTime() + 365 * DAY);
      if (req.withoutCdp) return { key, serial, der: leafWithoutCdp(chain.issuing, req, key, serial, notBefore, notAfter) };
      return issueTestLeaf(chain.issuing, {
        key, serial, notBefore, notAfter, profile: req.profile, sanUris: req.sanUris,
        crlUrl: chain.urls.issuingCrl, caIssuersUrl: chain.urls.issuingCert,
      });
    },
    signCrl: (which, req = {}) => {
      const ca = which === 'root' ? chain.root : chain.issuing;
      const signer: TestCa = req.signingKey ? { ...ca, key: req.signingKey } : ca;
      return signTestCrl(signer, {
        thisUpdate: req.thisUpdate ?? new Date(now.getTime() - 3_600_000),
        nextUpdate: req.nextUpdate ?? new Date(now.getTime() + DAY),
        crlNumber: BigInt(serials++),
        entries: (req.entries ?? []).map((e) => ({ serial: e.serial, date: e.date ?? new Date(now.getTime() - 60_000), reason: e.reason })),
      });
    },
    x5c: (leaf) => [leaf.der, chain.issuing.der],
  };
  crls.set(chain.urls.rootCrl, community.signCrl('root'));
  crls.set(chain.urls.issuingCrl, community.signCrl('issuing'));
  return community;
}
