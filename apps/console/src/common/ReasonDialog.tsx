import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField, Typography } from '@mui/material';
import { useState, type ReactNode } from 'react';
import { errorText } from '../errors';

/**
 * A dialog that asks for a reason (rejecting, suspending) and runs `onConfirm` with it; a refusal stays in
 * the dialog. `children` are further fields shown under the reason (the suspension's revocation choice);
 * `blocked` keeps the confirm button disabled besides an empty reason (a typed confirmation not matching yet).
 */
export function ReasonDialog({ open, title, explanation, confirmLabel, onClose, onConfirm, children, blocked = false }: {
  open: boolean;
  title: string;
  explanation: ReactNode;
  confirmLabel: string;
  onClose: () => void;
  onConfirm: (reason: string) => Promise<void>;
  children?: ReactNode;
  blocked?: boolean;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    if (busy) return;
    setError(null);
    onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
      setReason('');
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ mb: 2 }}>{explanation}</Typography>
        <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} multiline minRows={2} fullWidth autoFocus
          helperText="1 to 1000 characters; the member sees it" slotProps={{ htmlInput: { maxLength: 1000 } }} />
        {children}
        {error && <Alert severity="error" role="alert" sx={{ mt: 2 }}>{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>Cancel</Button>
        <Button color="error" variant="contained" onClick={confirm} disabled={busy || blocked || reason.trim() === ''}>{confirmLabel}</Button>
      </DialogActions>
    </Dialog>
  );
}
