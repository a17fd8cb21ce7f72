// Examples of users and an operator API token.
import type { ApiTokenView, UserView } from '../wire';
import { ids } from './shared';

export const userExample: UserView = {
  id: ids.member,
  email: 'dana.ortiz@riverside-health.example.org',
  displayName: 'Dana Ortiz',
  role: 'member-admin',
  organizationId: ids.organization,
  communities: [],
  totpEnabled: true,
  lockedUntil: null,
  disabled: false,
  createdAt: '2026-01-19T17:05:00.000Z',
};

export const operatorExample: UserView = {
  ...userExample, id: ids.operator, email: 'ops@example.org', displayName: 'Network Operator', role: 'operator', organizationId: null, communities: 'all',
};

/** An operator API token as listed. */
export const apiTokenExample: ApiTokenView = {
  id: 'f3b0c1d2-5a6e-4f70-8a91-b2c3d4e5f607',
  name: 'nightly CRL check',
  status: 'active',
  createdAt: '2026-02-01T08:00:00.000Z',
  createdBy: `user:ops@example.org:${ids.operator}`,
  lastUsedAt: '2026-02-03T02:00:00.000Z',
  expiresAt: '2026-05-02T08:00:00.000Z',
  revokedAt: null,
  revokedBy: null,
};
