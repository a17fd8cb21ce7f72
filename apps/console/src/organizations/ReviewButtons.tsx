import type { OrganizationView } from '@anchorage/contracts';
import CheckIcon from '@mui/icons-material/Check';
import CloseIcon from '@mui/icons-material/Close';
import PauseIcon from '@mui/icons-material/PauseCircle';
import PlayIcon from '@mui/icons-material/PlayCircle';
import MailIcon from '@mui/icons-material/ForwardToInbox';
import { Button } from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { Link } from 'react-router-dom';
import { ReasonDialog } from '../common/ReasonDialog';
import { useAction } from '../common/useAction';
import type { ConsoleDataProvider } from '../dataProvider';
import { can, canReview, useConsolePermissions } from '../permissions';

/**
 * The operator's decisions on an organization, each its own endpoint: approve or reject (with a
 * reason) a submitted profile, suspend (with a reason) an active organization, reinstate a suspended one.
 */
export function ReviewButtons() {
  const o = useRecordContext<OrganizationView>();
  const { permissions } = useConsolePermissions();
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const { busy, run } = useAction();
  const [dialog, setDialog] = useState<'reject' | 'suspend' | null>(null);
  if (!o || !canReview(permissions)) return null;

  const withReason = async (reason: string) => {
    const out = dialog === 'reject' ? await dp.rejectOrganization(o.id, reason) : await dp.suspendOrganization(o.id, reason);
    notify(out.status === 'rejected' ? `${out.name} rejected; the member may correct the profile and submit again` : `${out.name} suspended: no certificates until reinstated`, { type: 'success' });
    refresh();
  };

  return (
    <>
      {o.status === 'submitted' && (
        <>
          <Button color="success" variant="contained" startIcon={<CheckIcon />} disabled={busy}
            onClick={() => void run(() => dp.approveOrganization(o.id), (out) => `${out.name} approved: active, with ${out.sanUris.length} SAN URI${out.sanUris.length === 1 ? '' : 's'} bound`)}>
            Approve
          </Button>
          <Button color="error" startIcon={<CloseIcon />} disabled={busy} onClick={() => setDialog('reject')}>Reject</Button>
        </>
      )}
      {o.status === 'active' && <Button color="warning" startIcon={<PauseIcon />} disabled={busy} onClick={() => setDialog('suspend')}>Suspend</Button>}
      {o.status === 'suspended' && (
        <Button startIcon={<PlayIcon />} disabled={busy} onClick={() => void run(() => dp.reinstateOrganization(o.id), (out) => `${out.name} reinstated: active again`)}>
          Reinstate
        </Button>
      )}
      {o.status !== 'suspended' && can(permissions, 'invitations', 'create') && (
        <Button component={Link} to="/invitations/create" state={{ organizationId: o.id }} startIcon={<MailIcon />}>Invite a contact</Button>
      )}
      <ReasonDialog
        open={dialog !== null}
        title={dialog === 'reject' ? `Reject ${o.name}` : `Suspend ${o.name}`}
        explanation={dialog === 'reject'
          ? 'The member sees the reason, corrects the profile and may submit it again.'
          : 'No certificate is issued to a suspended organization until an operator reinstates it.'}
        confirmLabel={dialog === 'reject' ? 'Reject' : 'Suspend'}
        onClose={() => setDialog(null)}
        onConfirm={withReason}
      />
    </>
  );
}
