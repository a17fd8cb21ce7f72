// Examples of an organization, its profile, an invitation and an endpoint check.
import type { EndpointCheckView, InvitationView, OrganizationProfile, OrganizationView } from '../wire';
import { ids, operatorActor, san } from './shared';

export const profileExample: OrganizationProfile = {
  legalName: 'Riverside Community Hospital, Inc.',
  identifiers: [{ type: 'NPI', value: '1234567893' }],
  address: { lines: ['100 River Road'], city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
  technicalContact: { name: 'Dana Ortiz', email: 'dana.ortiz@riverside-health.example.org', phone: '+1 217 555 0100' },
  securityContact: { name: 'Sam Lee', email: 'security@riverside-health.example.org' },
  requestedSanUris: [san],
};

export const organizationExample: OrganizationView = {
  id: ids.organization,
  communityId: ids.community,
  name: 'Riverside Community Hospital',
  sanUris: [san],
  status: 'active',
  statusReason: null,
  profile: profileExample,
  profileRevision: 1,
  submittedAt: '2026-01-20T14:02:11.000Z',
  reviewedAt: '2026-01-21T10:15:00.000Z',
  createdAt: '2026-01-19T16:40:00.000Z',
  webhookUrl: 'https://ops.riverside-health.example.org/hooks/anchorage',
};

export const invitationExample: InvitationView = {
  id: ids.invitation,
  organizationId: ids.organization,
  email: 'dana.ortiz@riverside-health.example.org',
  invitedBy: operatorActor,
  createdAt: '2026-01-19T16:41:00.000Z',
  expiresAt: '2026-01-26T16:41:00.000Z',
  state: 'pending',
};

export const endpointCheckExample: EndpointCheckView = {
  organizationId: ids.organization,
  uri: san,
  token: 'anchorage-endpoint-check=q3Jm8Vx2Lr5tN0bW7cYd1eFg4hKs6pUa',
  publishAt: `${san}/.well-known/anchorage-endpoint-check`,
  status: 'verified',
  checkedAt: '2026-01-20T15:00:02.000Z',
  verifiedAt: '2026-01-20T15:00:02.000Z',
  lastError: null,
};
