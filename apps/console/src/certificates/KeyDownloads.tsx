import type { CertificateView } from '@anchorage/contracts';
import KeyIcon from '@mui/icons-material/Key';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { Labeled, useNotify, useRecordContext } from 'react-admin';
import { useLoad } from '../common/useLoad';
import { errorText } from '../errors';
import { fromBase64 } from '../pki/bytes';
import { certificateKeyFingerprint } from '../pki/keys';
import { findKey, unlockKey, type LockedKey, type StoredKey } from '../pki/keyStore';
import { isMemberAdmin, useConsolePermissions } from '../permissions';
import { buildPkcs12, PKCS12_MIN_PASSWORD, privateKeyPem } from '../pki/pkcs12';
import { keyOwner } from '../session';
import { downloadBytes, downloadText } from './download';

function Pkcs12Dialog({ open, cert, keyEntry, onClose }: { open: boolean; cert: CertificateView; keyEntry: StoredKey; onClose: () => void }) {
  const notify = useNotify();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tooShort = password.length < PKCS12_MIN_PASSWORD;
  const differs = confirmation !== password;

  const build = async () => {
    setTouched(true);
    if (tooShort || differs) return;
    setBusy(true);
    setError(null);
    try {
      const p12 = await buildPkcs12({
        privateKey: keyEntry.privateKey, leafDer: fromBase64(cert.derBase64), chainDers: cert.x5c.slice(1).map((d) => fromBase64(d)),
        password, friendlyName: cert.sanUris[0],
      });
      downloadBytes(`${cert.serial}.p12`, p12, 'application/x-pkcs12');
      notify(`PKCS #12 file ${cert.serial}.p12 saved: key, certificate and chain, protected by your password`, { type: 'success' });
      setPassword('');
      setConfirmation('');
      setTouched(false);
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={() => !busy && onClose()} fullWidth maxWidth="sm">
      <DialogTitle>Download PKCS #12</DialogTitle>
      <Box component="form" noValidate onSubmit={(e) => { e.preventDefault(); void build(); }}>
        <DialogContent>
          <Stack spacing={2}>
            <Typography variant="body2">
              Your browser builds the file: the private key, the certificate and its chain, encrypted with AES-256 under a key derived from this
              password (PBKDF2-HMAC-SHA256). The password never leaves the browser; keep it with the file.
            </Typography>
            <TextField label="File password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus
              error={touched && tooShort} helperText={touched && tooShort ? `At least ${PKCS12_MIN_PASSWORD} characters` : `At least ${PKCS12_MIN_PASSWORD} characters`}
              slotProps={{ htmlInput: { autoComplete: 'new-password' } }} />
            <TextField label="Confirm file password" type="password" value={confirmation} onChange={(e) => setConfirmation(e.target.value)}
              error={touched && differs} helperText={touched && differs ? 'The two passwords differ' : ' '} slotProps={{ htmlInput: { autoComplete: 'new-password' } }} />
            {error && <Alert severity="error" role="alert">{error}</Alert>}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={busy}>Build and download</Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}

/** Where the key is, in words the member can act on. */
const whereText = (email: string) =>
  `It is kept in this browser's storage for ${email}, encrypted under the passphrase you chose when you requested the certificate; it is not on the server.`;

/** A stored key still encrypted: the passphrase unlocks it (a wrong one is explained, and nothing is unlocked). */
function UnlockForm({ keyEntry, onUnlocked }: { keyEntry: LockedKey; onUnlocked: (k: StoredKey) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const unlock = async () => {
    setBusy(true);
    setError(null);
    try {
      onUnlocked(await unlockKey(keyEntry, passphrase));
      setPassphrase('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box component="form" noValidate aria-label="Unlock the private key" onSubmit={(e) => { e.preventDefault(); void unlock(); }}>
      <Stack spacing={1} sx={{ maxWidth: 520 }}>
        <Typography variant="body2">
          This browser holds the {keyEntry.keyType} private key of this certificate, generated here on {new Date(keyEntry.createdAt).toLocaleString()}.{' '}
          {whereText(keyEntry.owner.email)} Enter the passphrase to save it as a PKCS #12 file.
        </Typography>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
          <TextField label="Key passphrase" type="password" size="small" value={passphrase} onChange={(e) => setPassphrase(e.target.value)}
            slotProps={{ htmlInput: { autoComplete: 'current-password' } }} sx={{ flex: 1 }} />
          <Button type="submit" variant="contained" startIcon={<LockOpenIcon />} disabled={busy || !passphrase}>Unlock key</Button>
        </Stack>
        {busy && <Typography variant="body2" role="status">Unlocking…</Typography>}
        {error && <Alert severity="error" role="alert">{error}</Alert>}
      </Stack>
    </Box>
  );
}

/**
 * Downloads that need the private key, offered wherever the certificate is opened (its page, its
 * request's page) when this browser keeps the key for the signed-in user (pki/keyStore.ts): after the
 * passphrase unlocks it, a PKCS #12 file built here with a password the user chooses, or the bare PEM key.
 */
export function KeyDownloads() {
  const c = useRecordContext<CertificateView>();
  const { permissions } = useConsolePermissions();
  const [open, setOpen] = useState(false);
  const [unlocked, setUnlocked] = useState<StoredKey | null>(null);
  const der = c?.derBase64 ?? '';
  const owner = keyOwner();
  const key = useLoad(`${owner?.id}:${der}`, async () => (der && owner ? findKey(owner, await certificateKeyFingerprint(fromBase64(der))).catch(() => null) : null));
  // a revoked certificate's key is of no more use (and after keyCompromise, better not spread)
  if (!c || !der || key.loading || c.status === 'revoked') return null;
  const found = key.data;
  if (!found) {
    if (!isMemberAdmin(permissions)) return null;
    return (
      <Labeled label="Private key">
        <Typography variant="body2" color="text.secondary">
          This browser holds no private key of this certificate for {owner?.email ?? 'you'}. A key generated in the console is kept, encrypted, in the
          browser where it was generated, for the user who requested it; if you sent your own CSR, the key is where you created it.
        </Typography>
      </Labeled>
    );
  }
  const entry = unlocked ?? (found.state === 'unlocked' ? found.key : null);
  if (!entry) {
    return (
      <Labeled label="Private key">
        <UnlockForm keyEntry={found.key as LockedKey} onUnlocked={setUnlocked} />
      </Labeled>
    );
  }
  const email = found.state === 'unlocked' ? found.owner.email : found.key.owner.email;
  const savePem = async () => downloadText(`${c.serial}-key.pem`, await privateKeyPem(entry.privateKey), 'application/x-pem-file');
  return (
    <Labeled label="Private key">
      <Stack spacing={1}>
        <Typography variant="body2">
          The {entry.keyType} private key of this certificate was generated in this browser.{' '}
          {found.state === 'unlocked' && found.legacy
            ? 'An earlier version of the console kept it in this browser\'s storage unencrypted, not on the server.'
            : whereText(email)}{' '}
          Save it now as a PKCS #12 file (key, certificate and chain) for your server or client.
        </Typography>
        <Stack direction="row" spacing={1}>
          <Button variant="contained" startIcon={<KeyIcon />} onClick={() => setOpen(true)}>Download PKCS #12</Button>
          <Button variant="outlined" onClick={() => void savePem()}>Download private key (PEM, unencrypted)</Button>
        </Stack>
        <Pkcs12Dialog open={open} cert={c} keyEntry={entry} onClose={() => setOpen(false)} />
      </Stack>
    </Labeled>
  );
}
