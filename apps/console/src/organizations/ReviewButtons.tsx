import { BULK_REASONS, type OrganizationView, type RevocationReasonName } from '@anchorage/contracts';
import CheckIcon from '@mui/icons-material/Check';
import CloseIcon from '@mui/icons-material/Close';
import PauseIcon from '@mui/icons-material/PauseCircle';
import PlayIcon from '@mui/icons-material/PlayCircle';
import MailIcon from '@mui/icons-material/ForwardToInbox';
import { Button, Checkbox, FormControlLabel, MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { Link, useNavigate } from 'react-router-dom';
import { bulkRevocationPath } from '../bulk-revocations';
import { ReasonDialog } from '../common/ReasonDialog';
import { useAction } from '../common/useAction';
import type { ConsoleDataProvider } from '../dataProvider';
import { can, canReview, useConsolePermissions } from '../permissions';

/** The revocation reason a suspension gives every live certificate unless the operator picks another. */
export const DEFAULT_SUSPENSION_REASON: RevocationReasonName = 'privilegeWithdrawn';

/**
 * The operator's decisions on an organization, each its own endpoint: approve (the profile revision
 * this page shows; if the member submitted again meanwhile the API refuses it and the page reloads
 * the new one) or reject (with a reason) a submitted profile, suspend (with a reason) an active organization, reinstate a suspended one.
 * A suspension revokes every live certificate of the organization (a bulk revocation, whose page the
 * operator is taken to) unless the operator unticks it: an investigation freeze, certificates stay valid.
 */
export function ReviewButtons() {
  const o = useRecordContext<OrganizationView>();
  const { permissions } = useConsolePermissions();
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const { busy, run } = useAction();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<'reject' | 'suspend' | null>(null);
  const [revokeCertificates, setRevokeCertificates] = useState(true);
  const [revocationReason, setRevocationReason] = useState<RevocationReasonName>(DEFAULT_SUSPENSION_REASON);
  if (!o || !canReview(permissions)) return null;

  const openSuspend = () => {
    setRevokeCertificates(true);
    setRevocationReason(DEFAULT_SUSPENSION_REASON);
    setDialog('suspend');
  };
  const reject = async (reason: string) => {
    const out = await dp.rejectOrganization(o.id, reason);
    notify(`${out.name} rejected; the member may correct the profile and submit again`, { type: 'success' });
    refresh();
  };
  const suspend = async (reason: string) => {
    const out = await dp.suspendOrganization(o.id, { reason, revokeCertificates, revocationReason });
    const bulk = out.bulkRevocation;
    if (bulk) {
      notify(`${out.name} suspended: revoking its live certificates (${bulk.reason})`, { type: 'success' });
      navigate(bulkRevocationPath(bulk.id));
      return;
    }
    notify(`${out.name} suspended: no certificates until reinstated; its certificates stay valid`, { type: 'success' });
    refresh();
  };

  return (
    <>
      {o.status === 'submitted' && (
        <>
          <Button color="success" variant="contained" startIcon={<CheckIcon />} disabled={busy}
            onClick={() => void run(() => dp.approveOrganization(o.id, o.profileRevision), (out) => `${out.name} approved: active, with ${out.sanUris.length} SAN URI${out.sanUris.length === 1 ? '' : 's'} bound`)}>
            Approve
          </Button>
          <Button color="error" startIcon={<CloseIcon />} disabled={busy} onClick={() => setDialog('reject')}>Reject</Button>
        </>
      )}
      {o.status === 'active' && <Button color="warning" startIcon={<PauseIcon />} disabled={busy} onClick={openSuspend}>Suspend</Button>}
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
          : revokeCertificates
            ? 'No certificate is issued to a suspended organization until an operator reinstates it, and every live certificate it holds is revoked for good, in the background.'
            : 'No certificate is issued to a suspended organization until an operator reinstates it. Its certificates stay valid (an investigation freeze).'}
        confirmLabel={dialog === 'reject' ? 'Reject' : 'Suspend'}
        onClose={() => setDialog(null)}
        onConfirm={dialog === 'reject' ? reject : suspend}
      >
        {dialog === 'suspend' && (
          <Stack spacing={1} sx={{ mt: 2 }}>
            <FormControlLabel label="Revoke all live certificates"
              control={<Checkbox checked={revokeCertificates} onChange={(e) => setRevokeCertificates(e.target.checked)} />} />
            <TextField select label="Revocation reason" value={revocationReason} disabled={!revokeCertificates}
              onChange={(e) => setRevocationReason(e.target.value as RevocationReasonName)}
              helperText="RFC 5280 reason given to every certificate; a bulk revocation cannot be undone">
              {BULK_REASONS.map((r) => <MenuItem key={r} value={r}>{r}</MenuItem>)}
            </TextField>
          </Stack>
        )}
      </ReasonDialog>
    </>
  );
}
