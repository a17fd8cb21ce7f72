import { Alert, Box, Button, Card, CardContent, CircularProgress, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { useDataProvider } from 'react-admin';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { authProvider } from '../authProvider';
import type { ConsoleDataProvider, InvitationLookup } from '../dataProvider';
import { detailOf, fieldErrorsOf } from '../errors';
import type { LoginNotice } from '../LoginPage';
import { getSession } from '../session';

/** The shortest password the API accepts. */
export const MIN_PASSWORD = 12;

type State =
  | { kind: 'loading' }
  | { kind: 'dead'; message: string }
  | { kind: 'open'; invitation: InvitationLookup };

/**
 * The invitation link's page, outside the sign-in requirement: it looks the token up (a used,
 * withdrawn or expired link shows the API's reason), asks the invitee for a display name and a
 * password, accepts, and sends the person to the sign-in page.
 */
export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const dp = useDataProvider<ConsoleDataProvider>();
  const navigate = useNavigate();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [serverFields, setServerFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const looked = useRef<string | null>(null);

  useEffect(() => {
    if (looked.current === token) return; // one lookup per token (each costs a sign-in attempt)
    looked.current = token;
    setState({ kind: 'loading' });
    if (!token) {
      setState({ kind: 'dead', message: 'This page needs the link from your invitation e-mail; the link you opened carries no invitation.' });
      return;
    }
    dp.lookupInvitation(token).then(
      (invitation) => setState({ kind: 'open', invitation }),
      (err) => setState({ kind: 'dead', message: detailOf(err) }),
    );
  }, [dp, token]);

  const nameError = touched && displayName.trim() === '' ? 'Enter your name as colleagues know it' : serverFields.displayName;
  const passwordError = touched && password.length < MIN_PASSWORD ? `At least ${MIN_PASSWORD} characters` : serverFields.password;
  const confirmationError = touched && confirmation !== password ? 'The two passwords differ' : undefined;

  const accept = async () => {
    setTouched(true);
    setError(null);
    setServerFields({});
    if (displayName.trim() === '' || password.length < MIN_PASSWORD || confirmation !== password || state.kind !== 'open') return;
    setBusy(true);
    try {
      const out = await dp.acceptInvitation({ token, displayName: displayName.trim(), password });
      // whoever was signed in in this tab is not the person who now signs in with the new account
      if (getSession()) await authProvider.logout({});
      const notice: LoginNotice = {
        email: out.email,
        message: `Your account ${out.email} is ready. Sign in with your e-mail address and the password you just chose.`,
      };
      navigate('/login', { state: notice, replace: true });
    } catch (err) {
      const fields = Object.fromEntries(fieldErrorsOf(err).map((f) => [f.field, f.message]));
      setServerFields(fields);
      setError(detailOf(err));
      setBusy(false);
    }
  };

  let body;
  if (state.kind === 'loading') {
    body = <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}><CircularProgress size={20} /><Typography>Checking your invitation…</Typography></Stack>;
  } else if (state.kind === 'dead') {
    body = (
      <Stack spacing={2}>
        <Alert severity="error" role="alert">{state.message}</Alert>
        <Button variant="outlined" onClick={() => navigate('/login')}>Go to the sign-in page</Button>
      </Stack>
    );
  } else {
    const inv = state.invitation;
    body = (
      <Box component="form" noValidate onSubmit={(e) => { e.preventDefault(); void accept(); }}>
        <Stack spacing={2}>
          <Typography>
            You are invited to administer <strong>{inv.organizationName}</strong> as <strong>{inv.email}</strong>.
            Choose your name and a password; then sign in to complete your organization's profile.
          </Typography>
          <Typography variant="body2" color="text.secondary">This link works once, until {new Date(inv.expiresAt).toLocaleString()}.</Typography>
          <TextField label="E-mail" value={inv.email} slotProps={{ input: { readOnly: true }, htmlInput: { autoComplete: 'username' } }} fullWidth />
          <TextField label="Display name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={!!nameError} helperText={nameError ?? ' '}
            autoFocus fullWidth slotProps={{ htmlInput: { autoComplete: 'name', maxLength: 200 } }} />
          <TextField label="Password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} error={!!passwordError}
            helperText={passwordError ?? `At least ${MIN_PASSWORD} characters`} fullWidth slotProps={{ htmlInput: { autoComplete: 'new-password' } }} />
          <TextField label="Confirm password" type="password" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} error={!!confirmationError}
            helperText={confirmationError ?? ' '} fullWidth slotProps={{ htmlInput: { autoComplete: 'new-password' } }} />
          {error && <Alert severity="error" role="alert">{error}</Alert>}
          <Button type="submit" variant="contained" disabled={busy}>Create my account</Button>
        </Stack>
      </Box>
    );
  }

  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', alignItems: 'flex-start', justifyContent: 'center', bgcolor: 'grey.100', pt: 8 }}>
      <Card sx={{ width: 480 }}>
        <CardContent>
          <Typography variant="h5" component="h1" gutterBottom>Accept your invitation</Typography>
          {body}
        </CardContent>
      </Card>
    </Box>
  );
}
