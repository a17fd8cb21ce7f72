import type { CertificateRequestView } from '@anchorage/contracts';
import { useRecordContext } from 'react-admin';
import { StateChip } from '../common/StatusChip';

const COLORS = { submitted: 'info', approved: 'info', issued: 'success', rejected: 'error', cancelled: 'default' } as const;

/** Request status choices for the list filter. */
export const REQUEST_STATUS_CHOICES = [
  { id: 'submitted', name: 'Submitted' },
  { id: 'issued', name: 'Issued' },
  { id: 'rejected', name: 'Rejected' },
  { id: 'cancelled', name: 'Cancelled' },
  { id: 'approved', name: 'Approved (issuing)' },
];

/** Where a certificate request stands, by the API's own name ("submitted" while it waits for an operator). */
export function RequestStatusChip() {
  const r = useRecordContext<CertificateRequestView>();
  return r ? <StateChip value={r.status} colors={COLORS} /> : null;
}
