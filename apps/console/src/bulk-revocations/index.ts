import BulkRevocationIcon from '@mui/icons-material/DeleteSweep';
import type { BulkRevocationView } from '@anchorage/contracts';
import { BulkRevocationList, OrganizationBulkRevocations } from './BulkRevocationList';
import { BulkRevocationShow } from './BulkRevocationShow';
import { CAUSE_LABELS } from './fields';

export { OrganizationBulkRevocations };

/** Where one bulk revocation is shown. */
export const bulkRevocationPath = (id: string): string => `/bulk-revocations/${encodeURIComponent(id)}/show`;

/** Bulk revocations (suspensions, retired or compromised CAs): list and detail with their progress. */
export const bulkRevocations = {
  name: 'bulk-revocations',
  list: BulkRevocationList,
  show: BulkRevocationShow,
  icon: BulkRevocationIcon,
  options: { label: 'Bulk revocations' },
  recordRepresentation: (b: BulkRevocationView) => `${CAUSE_LABELS[b.cause] ?? b.cause}, ${new Date(b.createdAt).toLocaleString()}`,
};
