import { BULK_REASONS, type OrganizationImpactView, type OrganizationView, type RevocationReasonName } from '@anchorage/contracts';
import CheckIcon from '@mui/icons-material/Check';
import CloseIcon from '@mui/icons-material/Close';
import PauseIcon from '@mui/icons-material/PauseCircle';
import PlayIcon from '@mui/icons-material/PlayCircle';
import MailIcon from '@mui/icons-material/ForwardToInbox';
import { Alert, Button, Checkbox, CircularProgress, FormControlLabel, MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { Link, useNavigate } from 'react-router-dom';
import { bulkRevocationPath } from '../bulk-revocations';
import { ReasonDialog } from '../common/ReasonDialog';
import { AffectedCertificatesText, confirmsTyped, TypedConfirmation } from '../common/TypedConfirmation';
import { useLoad } from '../common/useLoad';
import { useAction } from '../common/useAction';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';
import { can, canReview, useConsolePermissions } from '../permissions';
import { ApproveDialog } from './ApproveDialog';

/** The revocation reason a suspension gives every live certificate unless the operator picks another. */
export const DEFAULT_SUSPENSION_REASON: RevocationReasonName = 'privilegeWithdrawn';

/**
 * The operator's decisions on an organization, each its own endpoint: approve (the profile revision
 * this page shows; if the member submitted again meanwhile the API refuses it and the page reloads
 * the new one) or reject (with a reason) a submitted profile, suspend (with a reason) an active organization, reinstate a suspended one.
 * A suspension revokes every live certificate of the organization (a bulk revocation, whose page the
 * operator is taken to) unless the operator unticks it: an investigation freeze, certificates stay valid.
 * The irreversible ones show what they do first (GET /organizations/{id}/impact) and need the
 * organization's name typed: approving (its SAN URIs are bound for good; ApproveDialog) and a
 * suspension that revokes.
 */
export function ReviewButtons() {
  const o = useRecordContext<OrganizationView>();
  const { permissions } = useConsolePermissions();
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const { busy, run } = useAction();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<'reject' | 'suspend' | 'approve' | null>(null);
  const [revokeCertificates, setRevokeCertificates] = useState(true);
  const [revocationReason, setRevocationReason] = useState<RevocationReasonName>(DEFAULT_SUSPENSION_REASON);
  const [typed, setTyped] = useState('');
  const [opened, setOpened] = useState(0);
  // read afresh each time the suspension dialog opens: the counts are of that moment
  const impact = useLoad<OrganizationImpactView | null>(dialog === 'suspend' && o ? `${o.id}:${opened}` : 'closed',
    () => (dialog === 'suspend' && o ? dp.getOrganizationImpact(o.id) : Promise.resolve(null)));
  if (!o || !canReview(permissions)) return null;

  const openSuspend = () => {
    setRevokeCertificates(true);
    setRevocationReason(DEFAULT_SUSPENSION_REASON);
    setTyped('');
    setOpened((n) => n + 1);
    setDialog('suspend');
  };
  const counts = dialog === 'suspend' ? impact.data?.certificates : undefined;
  // a suspension that revokes cannot be undone: the counts shown and the name typed first
  const suspendBlocked = dialog === 'suspend' && revokeCertificates && (!counts || !confirmsTyped(typed, [o.name]));
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
            onClick={() => setDialog('approve')}>
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
        open={dialog === 'reject' || dialog === 'suspend'}
        title={dialog === 'reject' ? `Reject ${o.name}` : `Suspend ${o.name}`}
        explanation={dialog === 'reject'
          ? 'The member sees the reason, corrects the profile and may submit it again.'
          : revokeCertificates
            ? 'No certificate is issued to a suspended organization until an operator reinstates it, and every live certificate it holds is revoked for good, in the background.'
            : 'No certificate is issued to a suspended organization until an operator reinstates it. Its certificates stay valid (an investigation freeze).'}
        confirmLabel={dialog === 'reject' ? 'Reject' : 'Suspend'}
        onClose={() => setDialog(null)}
        onConfirm={dialog === 'reject' ? reject : suspend}
        blocked={suspendBlocked}
      >
        {dialog === 'suspend' && (
          <Stack spacing={1} sx={{ mt: 2 }}>
            {impact.loading && !counts && <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}><CircularProgress size={16} /><span>Counting its certificates…</span></Stack>}
            {impact.error !== undefined && <Alert severity="error" role="alert">Could not count its certificates: {errorText(impact.error)}</Alert>}
            {counts && <AffectedCertificatesText counts={counts} revoked={revokeCertificates} />}
            <FormControlLabel label="Revoke all live certificates"
              control={<Checkbox checked={revokeCertificates} onChange={(e) => setRevokeCertificates(e.target.checked)} />} />
            <TextField select label="Revocation reason" value={revocationReason} disabled={!revokeCertificates}
              onChange={(e) => setRevocationReason(e.target.value as RevocationReasonName)}
              helperText="RFC 5280 reason given to every certificate; a bulk revocation cannot be undone">
              {BULK_REASONS.map((r) => <MenuItem key={r} value={r}>{r}</MenuItem>)}
            </TextField>
            {revokeCertificates && <TypedConfirmation expected={o.name} what="the organization's name" value={typed} onChange={setTyped} />}
          </Stack>
        )}
      </ReasonDialog>
      {dialog === 'approve' && (
        <ApproveDialog organization={o} onClose={() => { setDialog(null); refresh(); }} onApproved={(out) => {
          setDialog(null);
          notify(`${out.name} approved: active, with ${out.sanUris.length} SAN URI${out.sanUris.length === 1 ? '' : 's'} bound`, { type: 'success' });
          refresh();
        }} />
      )}
    </>
  );
}
