import type { PasskeyView } from '@anchorage/contracts';
import { Alert, Box, Button, List, ListItem, ListItemText, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useNotify } from 'react-admin';
import { listPasskeys, passkeyRegistrationOptions, registerPasskey } from '../authApi';
import { useLoad } from '../common/useLoad';
import { errorText } from '../errors';
import { createPasskey, passkeysSupported } from './webauthn';

/**
 * An operator's passkeys: the ones registered, and a new one (named after its device). A passkey then
 * stands in for the authenticator code at sign-in ("Sign in with a passkey instead of a code").
 */
export function PasskeysCard() {
  const notify = useNotify();
  const passkeys = useLoad<PasskeyView[]>('passkeys', listPasskeys);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      const options = await passkeyRegistrationOptions();
      const answer = await createPasskey(options);
      const made = await registerPasskey({ challengeId: options.challengeId, name: name.trim(), ...answer });
      notify(`Passkey "${made.name}" added: you may sign in with it instead of a code`, { type: 'success' });
      setName('');
      await passkeys.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={1} sx={{ alignItems: 'flex-start' }}>
      <Typography variant="subtitle1" component="h2">Passkeys</Typography>
      <Typography variant="body2">A passkey (a security key, or this device's lock) can stand in for the authenticator code when you sign in.</Typography>
      {passkeys.data && passkeys.data.length > 0 ? (
        <List dense aria-label="Passkeys">
          {passkeys.data.map((p) => (
            <ListItem key={p.credentialId} disableGutters>
              <ListItemText primary={`${p.name} (${p.algorithm})`}
                secondary={`added ${new Date(p.createdAt).toLocaleString()}; ${p.lastUsedAt ? `last used ${new Date(p.lastUsedAt).toLocaleString()}` : 'not used yet'}`} />
            </ListItem>
          ))}
        </List>
      ) : passkeys.data ? <Typography variant="body2" color="text.secondary">No passkey yet.</Typography> : null}
      {passkeysSupported() ? (
        <Box component="form" onSubmit={(e) => { e.preventDefault(); void add(); }} sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
          <TextField label="Passkey name" value={name} onChange={(e) => setName(e.target.value)} size="small" helperText="The device it is on, e.g. YubiKey or laptop"
            slotProps={{ htmlInput: { maxLength: 100 } }} />
          <Button type="submit" variant="outlined" disabled={busy || name.trim() === ''}>Add a passkey</Button>
        </Box>
      ) : <Alert severity="info">This browser cannot use passkeys.</Alert>}
      {error && <Alert severity="error" role="alert">{error}</Alert>}
    </Stack>
  );
}
