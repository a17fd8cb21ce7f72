// The public description of a trust community (GET /pki/communities/{id}/community.json): what a
// relying party needs to join it without reading the API: URI, policy, anchors and intermediates with
// their fingerprints and URLs, and where the trust bundle and the member directory are.
import { createHash } from 'node:crypto';
import type { CertificationTemplateView } from '@anchorage/contracts';
import type { CaRecord, CertificationTemplateRecord, CommunityRecord } from '@anchorage/db';
import { certificationTemplateView } from '../certifications/certification-views';
import type { PublicUrls } from '../urls';

/** One CA of the community as published. */
export interface PublishedCa {
  id: string;
  role: 'root' | 'issuing';
  status: string;
  subject: string;
  notBefore: string | null;
  notAfter: string | null;
  /** SHA-256 of the certificate's DER, lowercase hex. */
  sha256: string;
  certificateUrl: string;
  crlUrl: string;
}

/** The community document. */
export interface CommunityDocument {
  id: string;
  name: string;
  uri: string;
  policy: {
    allowedLeafKeyTypes: string[];
    maxLeafValidityDays: number;
    crlLifetimeSeconds: number;
    requireRsaChain: boolean;
    allowGeneratedKeys: boolean;
    requireEndpointControl: boolean;
  };
  /** Trust anchors: the root CA(s). */
  anchors: PublishedCa[];
  /** Issuing CAs, active or retired (a retired one's certificates stay valid until they expire). */
  intermediates: PublishedCa[];
  trustBundleUrl: string;
  directoryUrl: string;
  /** The catalog of exchange purposes: the fragments client SAN URIs of this community may carry (retired ones stay listed, inactive). */
  exchangePurposes: { code: string; display: string; active: boolean }[];
  /** What the community certifies (docs/certifications.md): each template's terms and where its certifications' status is answered. */
  certificationTemplates: PublishedCertificationTemplate[];
}

/** A certification template as published: its view without who defined it and when. */
export type PublishedCertificationTemplate = Omit<CertificationTemplateView, 'communityId' | 'createdBy' | 'createdAt'>;

/** CAs a relying party may meet in a chain: with a certificate, and not compromised. */
function published(ca: CaRecord, urls: PublicUrls): PublishedCa | null {
  if (!ca.certificateDer || ca.status === 'awaiting-certificate' || ca.status === 'compromised') return null;
  return {
    id: ca.id,
    role: ca.role,
    status: ca.status,
    subject: ca.subject,
    notBefore: ca.notBefore?.toISOString() ?? null,
    notAfter: ca.notAfter?.toISOString() ?? null,
    sha256: createHash('sha256').update(ca.certificateDer).digest('hex'),
    certificateUrl: urls.caCertificate(ca.id),
    crlUrl: urls.crl(ca.id),
  };
}

/** Builds the community document from the stored community, its CAs (root first) and its certification templates. */
export function communityDocument(c: CommunityRecord, cas: CaRecord[], urls: PublicUrls, templates: CertificationTemplateRecord[] = []): CommunityDocument {
  const shown = cas.map((ca) => published(ca, urls)).filter((ca): ca is PublishedCa => ca !== null);
  return {
    id: c.id,
    name: c.name,
    uri: c.uri,
    policy: {
      allowedLeafKeyTypes: c.allowedLeafKeyTypes,
      maxLeafValidityDays: c.maxLeafValidityDays,
      crlLifetimeSeconds: c.crlLifetimeSeconds,
      requireRsaChain: c.requireRsaChain,
      allowGeneratedKeys: c.allowGeneratedKeys,
      requireEndpointControl: c.requireEndpointControl,
    },
    anchors: shown.filter((ca) => ca.role === 'root'),
    intermediates: shown.filter((ca) => ca.role === 'issuing'),
    trustBundleUrl: urls.trustBundle(c.id),
    directoryUrl: urls.directory(c.id),
    exchangePurposes: c.exchangePurposes.map((p) => ({ code: p.code, display: p.display, active: p.active })),
    certificationTemplates: templates.map((t): PublishedCertificationTemplate => {
      const { communityId, createdBy, createdAt, ...published } = certificationTemplateView(t, urls);
      void communityId; void createdBy; void createdAt;
      return published;
    }),
  };
}
