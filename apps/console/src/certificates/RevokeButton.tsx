import type { CertificateView, RevocationReasonName } from '@anchorage/contracts';
import BlockIcon from '@mui/icons-material/Block';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { canRevoke, isMemberAdmin, revocationReasons, useConsolePermissions } from '../permissions';

/**
 * Revokes the certificate (or holds it, with certificateHold) after an operator picks a reason; a
 * member admin picks among the RFC 5280 reasons a subscriber may claim. Auditors do not see it.
 */
export function RevokeButton() {
  const c = useRecordContext<CertificateView>();
  const { permissions } = useConsolePermissions();
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<RevocationReasonName>('unspecified');
  const [busy, setBusy] = useState(false);
  if (!c || (c.status !== 'issued' && c.status !== 'on-hold') || !canRevoke(permissions)) return null;
  const reasons = revocationReasons(permissions);

  const confirm = async () => {
    setBusy(true);
    try {
      const { certificate, crl } = await dp.revoke(c.id, reason);
      const verb = certificate.status === 'on-hold' ? 'put on hold' : 'revoked';
      notify(`Certificate ${certificate.serial} ${verb} (${reason}); CRL #${crl.crlNumber} lists it`, { type: 'success' });
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      // Either way the page may be stale (e.g. another operator revoked it first): close and reload it.
      setBusy(false);
      setOpen(false);
      refresh();
    }
  };

  return (
    <>
      <Button color="error" startIcon={<BlockIcon />} onClick={() => setOpen(true)}>Revoke</Button>
      <Dialog open={open} onClose={() => !busy && setOpen(false)}>
        <DialogTitle>Revoke certificate {c.serial}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {isMemberAdmin(permissions)
              ? 'Revocation is final. As your organization\'s administrator you may give the reasons a subscriber may claim (RFC 5280 §5.3.1).'
              : 'Revocation is final except with certificateHold, which a later release undoes (RFC 5280 §5.3.1).'}
          </Typography>
          <TextField select fullWidth label="Reason" value={reason} onChange={(e) => setReason(e.target.value as RevocationReasonName)}>
            {reasons.map((r) => <MenuItem key={r} value={r}>{r}</MenuItem>)}
          </TextField>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={busy}>Cancel</Button>
          <Button color="error" variant="contained" onClick={confirm} disabled={busy}>Revoke</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
