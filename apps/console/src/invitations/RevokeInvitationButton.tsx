import type { InvitationView } from '@anchorage/contracts';
import { Button } from '@mui/material';
import { useDataProvider, useRecordContext } from 'react-admin';
import { useAction } from '../common/useAction';
import type { ConsoleDataProvider } from '../dataProvider';
import { can, useConsolePermissions } from '../permissions';

/** Withdraws a pending invitation (operators): its link stops working at once. */
export function RevokeInvitationButton() {
  const i = useRecordContext<InvitationView>();
  const { permissions } = useConsolePermissions();
  const dp = useDataProvider<ConsoleDataProvider>();
  const { busy, run } = useAction();
  if (!i || i.state !== 'pending' || !can(permissions, 'invitations', 'revoke')) return null;
  return (
    <Button
      size="small"
      color="warning"
      disabled={busy}
      onClick={(e) => {
        e.stopPropagation();
        void run(() => dp.revokeInvitation(i.id), (out) => `Invitation to ${out.email} withdrawn: its link no longer works`);
      }}
    >
      Withdraw
    </Button>
  );
}
