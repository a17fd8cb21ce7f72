import type { OrganizationStatus, OrganizationView } from '@anchorage/contracts';
import { useRecordContext } from 'react-admin';
import { StateChip } from '../common/StatusChip';

const COLORS = { draft: 'default', submitted: 'info', active: 'success', rejected: 'error', suspended: 'warning' } as const;

/** How each organization status reads in the console. */
export const ORG_STATUS_LABELS: Record<OrganizationStatus, string> = {
  draft: 'draft', submitted: 'awaiting review', active: 'active', rejected: 'rejected', suspended: 'suspended',
};

/** Status filter choices ("Awaiting review" is the operator's review queue). */
export const ORG_STATUS_CHOICES = [
  { id: 'submitted', name: 'Awaiting review' },
  { id: 'draft', name: 'Draft' },
  { id: 'active', name: 'Active' },
  { id: 'rejected', name: 'Rejected' },
  { id: 'suspended', name: 'Suspended' },
];

/** The organization's onboarding status as a chip. */
export function OrgStatusChip() {
  const o = useRecordContext<OrganizationView>();
  return o ? <StateChip value={o.status} colors={COLORS} labels={ORG_STATUS_LABELS} /> : null;
}
