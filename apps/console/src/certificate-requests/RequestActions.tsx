import type { CertificateRequestView } from '@anchorage/contracts';
import { Button, Stack } from '@mui/material';
import { useState, type MouseEvent } from 'react';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { ReasonDialog } from '../common/ReasonDialog';
import { useAction } from '../common/useAction';
import type { ConsoleDataProvider } from '../dataProvider';
import { canCancelRequests, canDecideRequests, useConsolePermissions } from '../permissions';

/**
 * What may be done with a waiting request, by role: operators approve (the certificate is issued at
 * once) or reject with a reason; member admins (and operators) cancel. Nothing once it was decided.
 */
export function RequestActions({ size = 'small' }: { size?: 'small' | 'medium' }) {
  const r = useRecordContext<CertificateRequestView>();
  const { permissions } = useConsolePermissions();
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const { busy, run } = useAction();
  const [rejecting, setRejecting] = useState(false);
  // an 'approved' request is one whose issuance was interrupted: approving again finishes it
  if (!r || (r.status !== 'submitted' && r.status !== 'approved')) return null;
  const decide = canDecideRequests(permissions);
  const cancel = canCancelRequests(permissions) && r.status === 'submitted';
  if (!decide && !cancel) return null;
  const stop = (e: MouseEvent) => e.stopPropagation();

  return (
    <Stack direction="row" spacing={1} onClick={stop}>
      {decide && (
        <Button size={size} color="success" variant="contained" disabled={busy}
          onClick={() => void run(() => dp.approveRequest(r.id), (out) => `Certificate ${out.certificate.serial} issued for ${out.certificate.sanUris.join(', ')}`)}>
          Approve
        </Button>
      )}
      {decide && r.status === 'submitted' && <Button size={size} color="error" disabled={busy} onClick={() => setRejecting(true)}>Reject</Button>}
      {cancel && !decide && (
        <Button size={size} disabled={busy} onClick={() => void run(() => dp.cancelRequest(r.id), () => 'Request cancelled')}>Cancel request</Button>
      )}
      <ReasonDialog
        open={rejecting}
        title="Reject certificate request"
        explanation={`The requester sees the reason. Requested SAN URIs: ${r.sanUris.join(', ')}.`}
        confirmLabel="Reject"
        onClose={() => setRejecting(false)}
        onConfirm={async (reason) => {
          await dp.rejectRequest(r.id, reason);
          notify('Request rejected', { type: 'success' });
          refresh();
        }}
      />
    </Stack>
  );
}
