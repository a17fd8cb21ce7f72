// Examples of a community, its CAs and a CRL.
import type { CaView, CommunityView, CrlView } from '../wire';
import { base, ids, issuingPem } from './shared';

export const communityExample: CommunityView = {
  id: ids.community,
  uri: 'udap://riverside-network.example.org/',
  name: 'Riverside Health Network',
  policy: {
    allowedLeafKeyTypes: ['RSA-2048', 'EC-P256'], maxLeafValidityDays: 365, crlLifetimeSeconds: 86400, allowGeneratedKeys: false,
    requireEndpointControl: true, autoApproveVerifiedRequests: false, requireRsaChain: false,
  },
  rootCaId: ids.rootCa,
  issuingCaId: ids.issuingCa,
  warnings: [],
  exchangePurposes: [],
  createdAt: '2026-01-12T09:30:00.000Z',
};

export const issuingCaExample: CaView = {
  id: ids.issuingCa,
  communityId: ids.community,
  role: 'issuing',
  status: 'active',
  subject: 'CN=Riverside Health Network Issuing CA 1, O=Riverside Health Network, C=US',
  keyType: 'EC-P256',
  notBefore: '2026-01-12T09:30:00.000Z',
  notAfter: '2031-01-12T09:30:00.000Z',
  certificateUrl: `${base}/pki/ca/${ids.issuingCa}.cer`,
  crlUrl: `${base}/pki/crl/${ids.issuingCa}.crl`,
  certificatePem: issuingPem,
  csrPem: null,
  sha256: '5d2c0a6b7e1f44c8a09b3e7d61f2c4a8b0e9d3f5a7c1b2e4d6f8a0c2e4b6d8f0',
  revokedAt: null,
};

export const rootCaExample: CaView = {
  ...issuingCaExample,
  id: ids.rootCa,
  role: 'root',
  subject: 'CN=Riverside Health Network Root CA, O=Riverside Health Network, C=US',
  notAfter: '2046-01-12T09:30:00.000Z',
  certificateUrl: `${base}/pki/ca/${ids.rootCa}.cer`,
  crlUrl: `${base}/pki/crl/${ids.rootCa}.crl`,
  sha256: '0b8e2f64c1a9d7e35f0c4b8a2d6e1f9c7a3b5d0e8f2c4a6b1d3e5f7a9c0b2d4e',
};

export const crlExample: CrlView = {
  caId: ids.issuingCa,
  crlNumber: '42',
  thisUpdate: '2026-03-02T08:00:00.000Z',
  nextUpdate: '2026-03-03T08:00:00.000Z',
  entryCount: 3,
  sha256: '5f2b9c0e7d41a8b3c6e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f',
  url: `${base}/pki/crl/${ids.issuingCa}.crl`,
};
