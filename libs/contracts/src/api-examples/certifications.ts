// Examples of a certification template, a certification and a platform certifier.
import type { CertificationTemplateView, CertificationView, PlatformCertifierView } from '../wire';
import { base, ids, operatorActor } from './shared';

export const certificationTemplateExample: CertificationTemplateView = {
  id: ids.template,
  communityId: ids.community,
  name: 'TEFCA Basic App Certification',
  uris: ['https://rce.sequoiaproject.org/udap/profiles/basic-app-certification'],
  logoUri: null,
  description: 'The app meets the TEFCA Basic App criteria for FHIR exchange under the listed exchange purposes.',
  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
  scopes: [],
  responseTypes: ['code'],
  exchangePurposes: ['T-TREAT', 'T-PYMNT', 'T-HCO', 'T-PH', 'T-GOVDTRM', 'T-IAS'],
  isEndorsement: false,
  statusEndpoint: `${base}/pki/communities/${ids.community}/certifications/status`,
  createdBy: operatorActor,
  createdAt: '2026-05-02T10:00:00.000Z',
};

export const certificationExample: CertificationView = {
  id: ids.certification,
  communityId: ids.community,
  templateId: ids.template,
  jti: '3f1d2c8e-6b4a-4e9d-a7c5-0b2e4f6a8c1d',
  iss: 'https://certify.riverside-network.example.org/udap',
  sub: 'https://apps.riverside-health.example.org/b2b-client',
  organizationId: ids.organization,
  certifierCertificateId: ids.certifierCertificate,
  certifierSerial: '4f2a9c1e7b3d5a8c0e6f1b2d4a9c7e3f',
  certifierOrganizationId: ids.certifierOrganization,
  iat: '2026-05-03T12:00:00.000Z',
  exp: '2027-05-03T12:00:00.000Z',
  jwt: 'eyJhbGciOiJSUzI1NiIsIng1YyI6WyJNSUlDLi4uIl19.eyJpc3MiOiJodHRwczovL2NlcnRpZnkucml2ZXJzaWRlLW5ldHdvcmsuZXhhbXBsZS5vcmcvdWRhcCJ9.c2lnbmF0dXJl',
  status: 'active',
  revokedAt: null,
  revocationReason: null,
  revokedBy: null,
  statusEndpoint: `${base}/pki/communities/${ids.community}/certifications/status`,
  createdBy: operatorActor,
  createdAt: '2026-05-03T12:05:00.000Z',
};

export const platformCertifierExample: PlatformCertifierView = {
  id: '9c1e3a5b-7d9f-4b1c-8e3a-5c7e9a1b3d6f',
  communityId: ids.community,
  organizationId: ids.certifierOrganization,
  certificateId: ids.certifierCertificate,
  sanUri: 'https://certify.riverside-network.example.org/udap',
  notAfter: '2027-05-01T00:00:00.000Z',
  createdBy: operatorActor,
  createdAt: '2026-05-01T00:00:00.000Z',
};
