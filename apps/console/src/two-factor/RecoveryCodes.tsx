import type { RecoveryCodesView, RecoveryCodeStatusView } from '@anchorage/contracts';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import DownloadIcon from '@mui/icons-material/Download';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import { useNotify } from 'react-admin';
import { getRecoveryCodeStatus, regenerateRecoveryCodes } from '../authApi';
import { useLoad } from '../common/useLoad';
import { errorText } from '../errors';

/** Recovery codes just made, as a list to copy or download: shown this once. */
export function RecoveryCodeList({ codes, account }: { codes: readonly string[]; account: string }) {
  const notify = useNotify();
  const text = `Anchorage recovery codes for ${account}\nEach works once, in place of an authenticator code.\n\n${codes.join('\n')}\n`;
  const copy = () => navigator.clipboard.writeText(text).then(
    () => notify('Recovery codes copied to the clipboard', { type: 'info' }),
    () => notify('The browser refused clipboard access; select the codes and copy them by hand', { type: 'warning' }),
  );
  const download = () => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    a.download = 'anchorage-recovery-codes.txt';
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <Stack spacing={1}>
      <Typography variant="body2">
        Each code signs in once in place of a code from the authenticator app, for when the phone is lost. Keep them somewhere safe,
        apart from the phone: they are shown only now.
      </Typography>
      <Box component="ol" aria-label="Recovery codes"
        sx={{ m: 0, p: 1, pl: 4, display: 'grid', gridTemplateColumns: 'repeat(2, max-content)', columnGap: 6, fontFamily: 'monospace', fontSize: 15, bgcolor: 'action.hover' }}>
        {codes.map((c) => <li key={c}>{c}</li>)}
      </Box>
      <Stack direction="row" spacing={1}>
        <Button size="small" variant="outlined" startIcon={<ContentCopyIcon />} onClick={() => void copy()}>Copy codes</Button>
        <Button size="small" variant="outlined" startIcon={<DownloadIcon />} onClick={download}>Download as text</Button>
      </Stack>
    </Stack>
  );
}

/**
 * The signed-in user's recovery codes: how many are left, and new ones on request (the old ones stop
 * working, so it asks first), shown once.
 */
export function RecoveryCodesCard({ account }: { account: string }) {
  const [version, setVersion] = useState(0);
  const status = useLoad<RecoveryCodeStatusView>(`recovery:${version}`, getRecoveryCodeStatus);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<RecoveryCodesView | null>(null);
  const regenerate = async () => {
    setBusy(true);
    setError(null);
    try {
      setFresh(await regenerateRecoveryCodes());
      setAsking(false);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const left = status.data;
  return (
    <Stack spacing={1} sx={{ alignItems: 'flex-start' }}>
      <Typography variant="subtitle1" component="h2">Recovery codes</Typography>
      {status.error ? <Alert severity="error">Could not read your recovery codes: {errorText(status.error)}</Alert> : null}
      {left && (
        <Alert severity={left.remaining <= 2 ? 'warning' : 'info'} aria-label="Recovery codes left">
          {left.remaining} of {left.total} recovery codes left{left.remaining <= 2 ? ': make new ones before you run out' : ''}.
        </Alert>
      )}
      <Button variant="outlined" onClick={() => setAsking(true)}>Make new recovery codes</Button>
      <Dialog open={asking} onClose={() => !busy && setAsking(false)} fullWidth maxWidth="sm">
        <DialogTitle>Make new recovery codes?</DialogTitle>
        <DialogContent>
          <Typography variant="body2">Your current recovery codes stop working at once, used or not; the new ones are shown once.</Typography>
          {error && <Alert severity="error" role="alert" sx={{ mt: 2 }}>{error}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setAsking(false)} disabled={busy}>Cancel</Button>
          <Button variant="contained" color="warning" onClick={() => void regenerate()} disabled={busy}>Make new codes</Button>
        </DialogActions>
      </Dialog>
      {fresh && (
        <Dialog open fullWidth maxWidth="sm" aria-labelledby="fresh-codes-title">
          <DialogTitle id="fresh-codes-title">Your new recovery codes</DialogTitle>
          <DialogContent><RecoveryCodeList codes={fresh.recoveryCodes} account={account} /></DialogContent>
          <DialogActions>
            <Button variant="contained" onClick={() => { setFresh(null); setVersion((v) => v + 1); }}>I have stored the codes</Button>
          </DialogActions>
        </Dialog>
      )}
    </Stack>
  );
}
