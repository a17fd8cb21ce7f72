import type { InvitationView } from '@anchorage/contracts';
import { useRecordContext } from 'react-admin';
import { StateChip } from '../common/StatusChip';

const COLORS = { pending: 'info', accepted: 'success', expired: 'default', revoked: 'warning' } as const;
const LABELS = { pending: 'pending', accepted: 'accepted', expired: 'expired', revoked: 'withdrawn' };

/** Where an invitation stands: pending, accepted, expired or withdrawn. */
export function InvitationStateChip() {
  const i = useRecordContext<InvitationView>();
  return i ? <StateChip value={i.state} colors={COLORS} labels={LABELS} /> : null;
}
