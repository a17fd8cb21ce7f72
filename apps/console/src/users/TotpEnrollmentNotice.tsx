import type { CreatedUserView } from '@anchorage/contracts';
import { Alert, Button, Card, CardActions, CardContent, Stack, Typography } from '@mui/material';
import { Title, useRedirect } from 'react-admin';
import { NewTotpSecret } from '../two-factor/NewTotpSecret';

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
          <NewTotpSecret {...user.totpEnrollment} account={user.email} />
        </Stack>
      </CardContent>
      <CardActions>
        <Button variant="contained" onClick={() => redirect('show', 'users', user.id)}>Show user</Button>
        <Button onClick={onAnother}>Create another user</Button>
      </CardActions>
    </Card>
  );
}
