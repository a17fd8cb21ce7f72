// Certification records as the API shows them.
import type { CertificationTemplateView, CertificationView, PlatformCertifierView } from '@anchorage/contracts';
import type { CertificateRecord, CertificationRecord, CertificationTemplateRecord, PlatformCertifierRecord } from '@anchorage/db';
import type { PublicUrls } from '../urls';

/** Template record to wire view, with the community's status endpoint its certifications must name. */
export function certificationTemplateView(t: CertificationTemplateRecord, urls: PublicUrls): CertificationTemplateView {
  return {
    id: t.id, communityId: t.communityId, name: t.name, uris: t.uris, logoUri: t.logoUri, description: t.description, grantTypes: t.grantTypes,
    scopes: t.scopes, responseTypes: t.responseTypes, exchangePurposes: t.exchangePurposes, isEndorsement: t.isEndorsement,
    statusEndpoint: urls.certificationStatus(t.communityId), createdBy: t.createdBy, createdAt: t.createdAt.toISOString(),
  };
}

/** Certification record to wire view. */
export function certificationView(c: CertificationRecord, urls: PublicUrls): CertificationView {
  return {
    id: c.id, communityId: c.communityId, templateId: c.templateId, jti: c.jti, iss: c.iss, sub: c.sub, organizationId: c.organizationId,
    certifierCertificateId: c.certifierCertificateId, certifierSerial: Buffer.from(c.certifierSerial).toString('hex'), certifierOrganizationId: c.certifierOrganizationId,
    iat: c.iat.toISOString(), exp: c.exp.toISOString(), jwt: c.jwt, status: c.status, revokedAt: c.revokedAt?.toISOString() ?? null,
    revocationReason: c.revocationReason, revokedBy: c.revokedBy, statusEndpoint: urls.certificationStatus(c.communityId), createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
  };
}

/** Platform certifier record and its certificate to wire view (never the key: only the signer holds it). */
export function platformCertifierView(c: PlatformCertifierRecord, cert: Pick<CertificateRecord, 'sanUris' | 'notAfter'>): PlatformCertifierView {
  return {
    id: c.id, communityId: c.communityId, organizationId: c.organizationId, certificateId: c.certificateId, sanUri: cert.sanUris[0], notAfter: cert.notAfter.toISOString(),
    createdBy: c.createdBy, createdAt: c.createdAt.toISOString(),
  };
}
