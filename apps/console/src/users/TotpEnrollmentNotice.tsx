import type { CreatedUserView } from '@anchorage/contracts';
import { Alert, Box, Button, Card, CardActions, CardContent, Stack, Typography } from '@mui/material';
import { Title, useRedirect } from 'react-admin';
import { QrCode } from '../two-factor/QrCode';
import { RecoveryCodeList } from '../two-factor/RecoveryCodes';

/** Monospace text that wraps anywhere, for secrets and URIs to copy. */
export function Secret({ label, value }: { label: string; value: string }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">{label}</Typography>
      <Box component="pre" aria-label={label} sx={{ fontFamily: 'monospace', fontSize: 14, whiteSpace: 'pre-wrap', wordBreak: 'break-all', bgcolor: 'action.hover', p: 1, m: 0 }}>
        {value}
      </Box>
    </Box>
  );
}

/**
 * A new operator's or auditor's TOTP secret, shown this once (the API keeps it sealed and never returns it again):
 * the person adds it to an authenticator app, since operators and auditors always sign in with a code.
 */
export function TotpEnrollmentNotice({ user, onAnother }: { user: CreatedUserView; onAnother: () => void }) {
  const redirect = useRedirect();
  if (!user.totpEnrollment) return null;
  return (
    <Card sx={{ mt: 2 }}>
      <Title title="User created" />
      <CardContent>
        <Stack spacing={2}>
          <Typography variant="h6">{user.displayName} ({user.email}) can sign in</Typography>
          <Alert severity="warning">
            Give this secret and the recovery codes to {user.displayName} (in person or over a channel you trust), together with the initial password.
            Operators and auditors always sign in with a code from an authenticator app. It is shown only now: once you leave this page, nobody can read it again.
          </Alert>
          <QrCode text={user.totpEnrollment.otpauthUri} label="QR code for the authenticator app" />
          <Secret label="TOTP secret" value={user.totpEnrollment.secret} />
          <Secret label="otpauth URI" value={user.totpEnrollment.otpauthUri} />
          <RecoveryCodeList codes={user.totpEnrollment.recoveryCodes} account={user.email} />
        </Stack>
      </CardContent>
      <CardActions>
        <Button variant="contained" onClick={() => redirect('show', 'users', user.id)}>Show user</Button>
        <Button onClick={onAnother}>Create another user</Button>
      </CardActions>
    </Card>
  );
}
