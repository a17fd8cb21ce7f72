import { Alert, Box, Button, Card, CardContent, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { Title, useGetIdentity, useNotify } from 'react-admin';
import { confirmTotp, startTotpSetup, type TotpEnrollment } from '../authApi';
import type { ConsoleIdentity } from '../authProvider';
import { updateSessionUser } from '../session';
import { Secret } from '../users/TotpEnrollmentNotice';
import { QrCode } from './QrCode';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Turns on two-factor authentication for a signed-in user who has none (member admins; operators and auditors get theirs with the account):
 * the API makes a secret, the person adds it to an authenticator app and confirms with a code.
 */
export function TwoFactorPage() {
  const { identity, refetch } = useGetIdentity();
  const notify = useNotify();
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
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
      await confirmTotp(code.replace(/\s+/g, ''));
      updateSessionUser({ totpEnabled: true });
      setEnrollment(null);
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
  } else if (me.totpEnabled) {
    body = <Typography>Two-factor authentication is on for {me.email}: every sign-in asks for a code from your authenticator app.</Typography>;
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
        <QrCode text={enrollment.otpauthUri} label="QR code for the authenticator app" />
        <Secret label="Secret" value={enrollment.secret} />
        <Secret label="otpauth URI" value={enrollment.otpauthUri} />
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
