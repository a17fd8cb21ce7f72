import { requiresTwoFactor, type CreatedUserView, type UserView } from '@anchorage/contracts';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Typography } from '@mui/material';
import { useState, type ReactNode } from 'react';
import { useDataProvider, useGetIdentity, useRecordContext } from 'react-admin';
import { confirmsTyped, TypedConfirmation } from '../common/TypedConfirmation';
import { useAction } from '../common/useAction';
import type { ConsoleDataProvider } from '../dataProvider';
import { can, useConsolePermissions } from '../permissions';
import { NewTotpSecret } from '../two-factor/NewTotpSecret';

type Pending = 'disable' | 'reset' | null;

/** A confirmation that needs the account's e-mail address typed, for the actions that shut a person out. */
function ConfirmByEmail({ open, title, children, email, confirmLabel, busy, onCancel, onConfirm }: {
  open: boolean; title: string; children: ReactNode; email: string; confirmLabel: string; busy: boolean; onCancel: () => void; onConfirm: () => void;
}) {
  const [typed, setTyped] = useState('');
  const close = () => { setTyped(''); onCancel(); };
  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm" aria-labelledby="user-action-title">
      <DialogTitle id="user-action-title">{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          {children}
          <TypedConfirmation expected={email} what="the user's e-mail address" value={typed} onChange={setTyped} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>Cancel</Button>
        <Button color="error" variant="contained" disabled={busy || !confirmsTyped(typed, [email])} onClick={() => { setTyped(''); onConfirm(); }}>{confirmLabel}</Button>
      </DialogActions>
    </Dialog>
  );
}

/** A reset's new TOTP secret, shown this once, as QR code and text; closed only by its button. */
function NewSecretDialog({ user, onClose }: { user: CreatedUserView; onClose: () => void }) {
  if (!user.totpEnrollment) return null;
  return (
    <Dialog open fullWidth maxWidth="sm" aria-labelledby="new-secret-title">
      <DialogTitle id="new-secret-title">New two-factor secret for {user.displayName}</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <Alert severity="warning">
            Give this secret and the recovery codes to {user.displayName} ({user.email}) in person or over a channel you trust: every sign-in needs a code from it.
            It is shown only now: once you close this, nobody can read it again.
          </Alert>
          <NewTotpSecret {...user.totpEnrollment} account={user.email} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onClose}>I have handed over the secret</Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * An operator's actions on a user account, each its own endpoint: unlock after failed sign-ins,
 * disable (ends its sessions) or enable, and reset two-factor (a lost device: ends its sessions; a role
 * that requires two-factor gets a new secret, shown once). Disabling and resetting need the e-mail
 * address typed. Nobody acts on their own account here (the API refuses it too).
 */
export function UserActions() {
  const u = useRecordContext<UserView>();
  const { permissions } = useConsolePermissions();
  const { identity } = useGetIdentity();
  const dp = useDataProvider<ConsoleDataProvider>();
  const { busy, run } = useAction();
  const [pending, setPending] = useState<Pending>(null);
  const [reset, setReset] = useState<CreatedUserView | null>(null);
  if (!u || !can(permissions, 'users', 'manage') || identity?.id === u.id) return null;
  const locked = u.lockedUntil !== null && new Date(u.lockedUntil).getTime() > Date.now();

  const disable = async () => {
    setPending(null);
    await run(() => dp.manageUser(u.id, 'disable'), () => `${u.email} is disabled: its sessions have ended and it cannot sign in`);
  };
  const resetTwoFactor = async () => {
    setPending(null);
    const out = await run(() => dp.resetTwoFactor(u.id), (r) => (r.totpEnrollment
      ? `Two-factor authentication of ${u.email} is reset: hand over the new secret`
      : `Two-factor authentication of ${u.email} is off: they may set it up again`));
    if (out?.totpEnrollment) setReset(out);
  };

  return (
    <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap' }} aria-label="User actions">
      {locked && (
        <Button variant="outlined" disabled={busy} onClick={() => void run(() => dp.manageUser(u.id, 'unlock'), () => `${u.email} is unlocked: it may sign in again`)}>
          Unlock
        </Button>
      )}
      {u.disabled
        ? <Button variant="outlined" disabled={busy} onClick={() => void run(() => dp.manageUser(u.id, 'enable'), () => `${u.email} is enabled again`)}>Enable</Button>
        : <Button variant="outlined" color="error" disabled={busy} onClick={() => setPending('disable')}>Disable</Button>}
      {(u.totpEnabled || requiresTwoFactor(u.role)) && (
        <Button variant="outlined" color="error" disabled={busy} onClick={() => setPending('reset')}>Reset two-factor</Button>
      )}
      <ConfirmByEmail open={pending === 'disable'} title={`Disable ${u.email}?`} email={u.email} confirmLabel="Disable" busy={busy}
        onCancel={() => setPending(null)} onConfirm={() => void disable()}>
        <Typography variant="body2">Every session of this account ends at once and it cannot sign in until an operator enables it again.</Typography>
      </ConfirmByEmail>
      <ConfirmByEmail open={pending === 'reset'} title={`Reset two-factor authentication of ${u.email}?`} email={u.email} confirmLabel="Reset two-factor" busy={busy}
        onCancel={() => setPending(null)} onConfirm={() => void resetTwoFactor()}>
        <Typography variant="body2">
          For a lost or replaced authenticator: the current secret stops working and every session of this account ends.{' '}
          {requiresTwoFactor(u.role)
            ? 'This role always signs in with a code, so a new secret is made and shown to you once, to hand over.'
            : 'Two-factor authentication is turned off; they can set it up again after signing in.'}
        </Typography>
      </ConfirmByEmail>
      {reset && <NewSecretDialog user={reset} onClose={() => setReset(null)} />}
    </Stack>
  );
}
