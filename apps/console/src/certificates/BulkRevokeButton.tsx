import type { RevocationReasonName } from '@anchorage/contracts';
import BlockIcon from '@mui/icons-material/Block';
import { Button, MenuItem, TextField } from '@mui/material';
import { useState } from 'react';
import { useDataProvider } from 'react-admin';
import { BulkActionDialog } from '../common/BulkActionDialog';
import { BulkActionButton } from '../common/ListDialogHost';
import type { ConsoleDataProvider } from '../dataProvider';
import { canRevoke, revocationReasons, useConsolePermissions } from '../permissions';

/** Revokes the selected certificates with one reason, each as the single Revoke does (its CRL before the next). */
export function BulkRevokeButton() {
  const { permissions } = useConsolePermissions();
  if (!canRevoke(permissions)) return null;
  return (
    <BulkActionButton
      button={(open) => <Button color="error" size="small" startIcon={<BlockIcon />} onClick={open}>Revoke selected</Button>}
      dialog={(onClose) => <BulkRevokeDialog onClose={onClose} />}
    />
  );
}

function BulkRevokeDialog({ onClose }: { onClose: () => void }) {
  const { permissions } = useConsolePermissions();
  const dp = useDataProvider<ConsoleDataProvider>();
  const [reason, setReason] = useState<RevocationReasonName>('unspecified');
  return (
    <BulkActionDialog
      onClose={onClose}
      title="Revoke the selected certificates"
      explanation="Each certificate is revoked in turn and listed on a new CRL before the next. Revocation is final, except with certificateHold. Certificates already revoked are reported as failed and change nothing."
      confirmLabel="Revoke"
      typed="revoke"
      act={async (id) => {
        const { certificate, crl } = await dp.revoke(id, reason);
        return `${certificate.serial} ${certificate.status === 'on-hold' ? 'on hold' : 'revoked'}, on CRL #${crl.crlNumber}`;
      }}
    >
      <TextField select fullWidth label="Reason" value={reason} onChange={(e) => setReason(e.target.value as RevocationReasonName)}>
        {revocationReasons(permissions).map((r) => <MenuItem key={r} value={r}>{r}</MenuItem>)}
      </TextField>
    </BulkActionDialog>
  );
}
