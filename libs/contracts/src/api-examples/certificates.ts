// Examples of a certificate and a certificate request.
import type { CertificateRequestView, CertificateView } from '../wire';
import { base, ids, issuingPem, leafPem, pem, san } from './shared';

export const certificateExample: CertificateView = {
  id: ids.certificate,
  issuerId: ids.issuingCa,
  organizationId: ids.organization,
  serial: '47766434d1f4369a3f2c55c7dc93aa2f0e79c4e9',
  profile: 'udap-server',
  status: 'issued',
  subject: 'CN=Riverside Community Hospital FHIR server, O=Riverside Community Hospital, C=US',
  sanUris: [san],
  notBefore: '2026-02-01T12:00:00.000Z',
  notAfter: '2027-02-01T12:00:00.000Z',
  revokedAt: null,
  expiredAt: null,
  revocationReason: null,
  pem: leafPem,
  chainPem: `${leafPem}${issuingPem}`,
  derBase64: 'MIICpDCCAkqgAwIBAgIUR3Zk0fQ2mJ8sV1x9yTqLw5nE6bAwCgYIKoZIzj0EAwIw',
  x5c: ['MIICpDCCAkqgAwIBAgIUR3Zk0fQ2mJ8sV1x9yTqLw5nE6bAwCgYIKoZIzj0EAwIw', 'MIICGzCCAcGgAwIBAgIUK9mX2Lq5vT8wR3nYc1dHf0sJb6owCgYIKoZIzj0EAwIw'],
  crlUrl: `${base}/pki/crl/${ids.issuingCa}.crl`,
  caIssuersUrl: `${base}/pki/ca/${ids.issuingCa}.cer`,
};

export const certificateRequestExample: CertificateRequestView = {
  id: ids.request,
  organizationId: ids.organization,
  profile: 'udap-client',
  sanUris: ['https://apps.riverside-health.example.org/patient-portal'],
  keyType: 'RSA-2048',
  csrPem: pem('CERTIFICATE REQUEST', 'MIICijCCAXICAQAwRTELMAkGA1UEBhMCVVMxJDAiBgNVBAoMG1JpdmVyc2lkZSBD'),
  status: 'submitted',
  reason: null,
  requestId: 'portal-2026-02',
  renewalOf: null,
  requestedBy: `user:dana.ortiz@riverside-health.example.org:${ids.member}`,
  createdAt: '2026-02-10T09:12:45.000Z',
  decidedBy: null,
  decidedAt: null,
  certificateId: null,
};
