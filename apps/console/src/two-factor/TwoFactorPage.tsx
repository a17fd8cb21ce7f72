import type { RecoveryCodesView } from '@anchorage/contracts';
import { Alert, Box, Button, Card, CardContent, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { Title, useGetIdentity, useNotify } from 'react-admin';
import { confirmTotp, startTotpSetup, type TotpEnrollment } from '../authApi';
import type { ConsoleIdentity } from '../authProvider';
import { updateSessionUser } from '../session';
import { NewTotpSecret } from './NewTotpSecret';
import { PasskeysCard } from './PasskeysCard';
import { RecoveryCodeList, RecoveryCodesCard } from './RecoveryCodes';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Two-factor authentication of the signed-in user. Without it (member admins): the API makes a secret,
 * the person scans its QR code (or types the secret) into an authenticator app and confirms with a code,
 * and gets recovery codes, shown once. With it: how many recovery codes are left, and new ones.
 */
export function TwoFactorPage() {
  const { identity, refetch } = useGetIdentity();
  const notify = useNotify();
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  const [codes, setCodes] = useState<RecoveryCodesView | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const me = identity as ConsoleIdentity | undefined;

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setEnrollment(await startTotpSetup());
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      setCodes(await confirmTotp(code.replace(/\s+/g, '')));
      setEnrollment(null);
      updateSessionUser({ totpEnabled: true });
      notify('Two-factor authentication is on: every sign-in now asks for a code', { type: 'success' });
      await refetch();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };


  let body;
  if (!me) body = null;
  else if (me.apiToken) {
    body = <Typography>An operator API token has no second factor: keep the token itself secret, and revoke it when it is no longer needed.</Typography>;
  } else if (codes) {
    body = (
      <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
        <Alert severity="success">Two-factor authentication is on for {me.email}. Store your recovery codes now: they are shown only this once.</Alert>
        <RecoveryCodeList codes={codes.recoveryCodes} account={me.email} />
        <Button variant="contained" onClick={() => setCodes(null)}>I have stored the codes</Button>
      </Stack>
    );
  } else if (me.totpEnabled) {
    body = (
      <Stack spacing={2}>
        <Typography>Two-factor authentication is on for {me.email}: every sign-in asks for a code from your authenticator app, or one of your recovery codes.</Typography>
        <RecoveryCodesCard account={me.email} />
        {me.role === 'operator' && <PasskeysCard />}
      </Stack>
    );
  } else if (!enrollment) {
    body = (
      <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
        <Typography>
          Protect {me.email} with a second factor: after setup, signing in asks for the 6-digit code of an authenticator app
          (any app that supports TOTP, RFC 6238) besides your password.
        </Typography>
        <Button variant="contained" onClick={start} disabled={busy}>Start setup</Button>
      </Stack>
    );
  } else {
    body = (
      <Stack spacing={2}>
        <Typography>1. Add this account to your authenticator app: scan the QR code, or enter the secret.</Typography>
        <NewTotpSecret secret={enrollment.secret} otpauthUri={enrollment.otpauthUri} account={me.email} secretLabel="Secret" />
        <Typography>2. Enter the code the app shows now.</Typography>
        <Box component="form" onSubmit={(e) => { e.preventDefault(); void confirm(); }} sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
          <TextField
            label="Code from the app"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="one-time-code"
            slotProps={{ htmlInput: { inputMode: 'numeric' } }}
            size="small"
          />
          <Button type="submit" variant="contained" disabled={busy || code.trim() === ''}>Confirm</Button>
        </Box>
      </Stack>
    );
  }

  return (
    <Card sx={{ mt: 2 }}>
      <Title title="Two-factor authentication" />
      <CardContent>
        <Stack spacing={2}>
          {body}
          {error && <Alert severity="error" role="alert">{error}</Alert>}
        </Stack>
      </CardContent>
    </Card>
  );
}
