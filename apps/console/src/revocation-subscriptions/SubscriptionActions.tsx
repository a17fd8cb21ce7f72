// Subscribing a callback to the community's revocation notices and managing a subscription (pause,
// resume, rotate the secret, cancel), over the API's dedicated routes (docs/revocation-notices.md).
// The HMAC secret is shown once, right after subscribing or rotating; the API keeps it sealed.
import type { CommunityView, OrganizationView, RevocationSubscriptionSecretView, RevocationSubscriptionView, SubscribeToRevocationsBody } from '@anchorage/contracts';
import AddIcon from '@mui/icons-material/Add';
import {
  Alert, Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, FormControlLabel, MenuItem, Radio, RadioGroup, Stack, TextField, Typography,
} from '@mui/material';
import { useState, type MouseEvent } from 'react';
import { useDataProvider, useGetList, useGetOne, useNotify, useRecordContext, useRefresh } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { detailOf, errorText, fieldErrorsOf } from '../errors';
import { can, isMemberAdmin, useConsolePermissions } from '../permissions';
import { useListDialog } from '../common/ListDialogHost';
import { SecretOnceDialog, signedDeliveryHeaders } from '../common/SecretOnceDialog';

/** The headers every notice carries, as the receiver reads them. */
const NOTICE_HEADERS = signedDeliveryHeaders('the notice id, the same on every retry: drop an id already processed', 'crl.published');

const FIELDS = ['communityId', 'relyingParty', 'organizationId', 'callbackUrl'] as const;
type Field = (typeof FIELDS)[number];

/** Who is subscribed: its name, for the sentences of the dialogs. */
const subscriberOf = (s: RevocationSubscriptionView): string => s.relyingParty ?? s.callbackUrl;

/** The secret just made (subscribing or rotating), shown this once, with how a receiver checks a notice. */
export function SubscriptionSecretDialog({ out, rotated, onClose }: { out: RevocationSubscriptionSecretView; rotated: boolean; onClose: () => void }) {
  return (
    <SecretOnceDialog
      id="subscription-secret" title={rotated ? 'New signing secret' : 'Subscribed: signing secret'} label="Signing secret" secret={out.secret}
      url={out.subscription.callbackUrl}
      more={rotated ? 'Every notice from now on, retries included, is signed with it; the previous secret is no longer used.' : undefined}
      heading="Verifying a notice"
      body="Each CRL the community publishes is posted as JSON (type crl.published, the CA, the CRL number and the previous one, the serials added and released) with these headers:"
      headersLabel="Notice headers" headers={NOTICE_HEADERS}
      check={<>
        Compute HMAC-SHA256 with this secret over the t value, a dot and the raw body exactly as received, compare its hex form with v1 in constant time, and
        refuse the notice if they differ or if t is more than 5 minutes from your clock. The CRL at crlUrl stays the authority.
      </>}
      onClose={onClose} />
  );
}

/**
 * The subscribe form. An operator picks the community and either names a relying party or picks a member
 * organization; a member admin subscribes its own organization (the community is its organization's). A
 * refused field is shown under it, any other refusal above the buttons, and the dialog stays open.
 */
function SubscribeDialog({ onClose, onSubscribed }: { onClose: () => void; onSubscribed: (out: RevocationSubscriptionSecretView) => void }) {
  const { permissions } = useConsolePermissions();
  const member = isMemberAdmin(permissions);
  const dp = useDataProvider<ConsoleDataProvider>();
  const own = useGetOne<OrganizationView>('organizations', { id: permissions?.organizationId ?? '' }, { enabled: member && !!permissions?.organizationId });
  const communities = useGetList<CommunityView>('communities', { pagination: { page: 1, perPage: 100 }, sort: { field: 'name', order: 'ASC' } }, { enabled: !member });
  const [communityId, setCommunityId] = useState('');
  const chosenCommunity = member ? (own.data?.communityId ?? '') : communityId || (communities.data?.length === 1 ? communities.data[0].id : '');
  const organizations = useGetList<OrganizationView>(
    'organizations', { pagination: { page: 1, perPage: 100 }, sort: { field: 'name', order: 'ASC' }, filter: { communityId: chosenCommunity } },
    { enabled: !member && !!chosenCommunity },
  );
  const [kind, setKind] = useState<'relying-party' | 'organization'>('relying-party');
  const [relyingParty, setRelyingParty] = useState('');
  const [organizationId, setOrganizationId] = useState('');
  const [callbackUrl, setCallbackUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    setBusy(true);
    setFieldErrors({});
    setError(null);
    const input: SubscribeToRevocationsBody = {
      communityId: chosenCommunity, callbackUrl: callbackUrl.trim(),
      ...(member ? {} : kind === 'relying-party' ? { relyingParty: relyingParty.trim() } : { organizationId }),
    };
    try {
      onSubscribed(await dp.subscribeToRevocations(input));
    } catch (err) {
      const known: Partial<Record<Field, string>> = {};
      for (const f of fieldErrorsOf(err)) if ((FIELDS as readonly string[]).includes(f.field)) known[f.field as Field] = f.message;
      setFieldErrors(known);
      // a field the form does not show (or none named) is said above the buttons
      if (Object.keys(known).length === 0) setError(detailOf(err));
      else if (fieldErrorsOf(err).some((f) => !(FIELDS as readonly string[]).includes(f.field))) setError(detailOf(err));
    } finally {
      setBusy(false);
    }
  };
  const missing = !chosenCommunity || !callbackUrl.trim() || (!member && (kind === 'relying-party' ? !relyingParty.trim() : !organizationId));
  const fieldProps = (f: Field, help: string) => ({ error: !!fieldErrors[f], helperText: fieldErrors[f] ?? help });

  return (
    <Dialog open onClose={() => !busy && onClose()} fullWidth maxWidth="sm">
      <DialogTitle>Subscribe to revocation notices</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <DialogContentText variant="body2">
            Every CRL a CA of the community publishes is posted to the callback URL as a signed JSON notice, within seconds of a revocation. The signing secret is shown once, after subscribing.
          </DialogContentText>
          {member ? (
            <Typography variant="body2">Subscriber: {own.data?.name ?? 'your organization'}</Typography>
          ) : (
            <>
              <TextField select label="Community" value={chosenCommunity} onChange={(e) => { setCommunityId(e.target.value); setOrganizationId(''); }}
                {...fieldProps('communityId', 'The community whose revocations are posted')}>
                {(communities.data ?? []).map((c) => <MenuItem key={c.id} value={c.id}>{c.name}</MenuItem>)}
              </TextField>
              <RadioGroup row value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} aria-label="Subscriber">
                <FormControlLabel value="relying-party" control={<Radio />} label="A relying party" />
                <FormControlLabel value="organization" control={<Radio />} label="A member organization" />
              </RadioGroup>
              {kind === 'relying-party' ? (
                <TextField label="Relying party" value={relyingParty} onChange={(e) => setRelyingParty(e.target.value)} slotProps={{ htmlInput: { maxLength: 200 } }}
                  {...fieldProps('relyingParty', 'Its name, as operators will see it (1 to 200 characters)')} />
              ) : (
                <TextField select label="Organization" value={organizationId} onChange={(e) => setOrganizationId(e.target.value)}
                  {...fieldProps('organizationId', 'A member organization of the community')}>
                  {(organizations.data ?? []).map((o) => <MenuItem key={o.id} value={o.id}>{o.name}</MenuItem>)}
                </TextField>
              )}
            </>
          )}
          <TextField label="Callback URL" value={callbackUrl} onChange={(e) => setCallbackUrl(e.target.value)} placeholder="https://relying-party.example.org/revocations"
            {...fieldProps('callbackUrl', 'An https:// address on the public internet that accepts POST requests')}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !missing && !busy) void submit();
            }} />
          {error && <Alert severity="error" role="alert">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>Cancel</Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy || missing}>Subscribe</Button>
      </DialogActions>
    </Dialog>
  );
}

/** The list's "Subscribe" button (operators, member admins), its form and the secret it answers. */
export function SubscribeButton() {
  const { permissions } = useConsolePermissions();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [out, setOut] = useState<RevocationSubscriptionSecretView | null>(null);
  if (!can(permissions, 'revocation-subscriptions', 'subscribe')) return null;
  return (
    <>
      <Button size="small" startIcon={<AddIcon />} onClick={() => setOpen(true)}>Subscribe</Button>
      {open && (
        <SubscribeDialog onClose={() => setOpen(false)} onSubscribed={(o) => {
          setOpen(false);
          setOut(o);
          notify(`Subscribed ${o.subscription.callbackUrl} to revocation notices`, { type: 'success' });
          refresh();
        }} />
      )}
      {out && <SubscriptionSecretDialog out={out} rotated={false} onClose={() => setOut(null)} />}
    </>
  );
}

/** Asks before an action that cannot be taken back (cancel, rotate); a refusal stays in the dialog. */
function ConfirmDialog({ title, text, confirmLabel, danger, onClose, onConfirm }: {
  title: string;
  text: string;
  confirmLabel: string;
  danger?: boolean;
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={() => !busy && onClose()} fullWidth maxWidth="sm">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText variant="body2">{text}</DialogContentText>
        {error && <Alert severity="error" role="alert" sx={{ mt: 2 }}>{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>Keep</Button>
        <Button variant="contained" color={danger ? 'error' : 'primary'} onClick={() => void confirm()} disabled={busy}>{confirmLabel}</Button>
      </DialogActions>
    </Dialog>
  );
}

/** A row's actions: pause or resume, rotate the secret, cancel (not for a cancelled subscription, nor for auditors). */
export function SubscriptionRowActions() {
  const s = useRecordContext<RevocationSubscriptionView>();
  const { permissions } = useConsolePermissions();
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  // drawn by the list's host: a dialog outlives the switch between table and cards (a tablet turned)
  const { show, local } = useListDialog();
  if (!s || s.status === 'cancelled' || !can(permissions, 'revocation-subscriptions', 'manage')) return null;
  const stop = (e: MouseEvent) => e.stopPropagation();
  const toggle = async () => {
    setBusy(true);
    try {
      if (s.status === 'active') {
        await dp.pauseSubscription(s.id);
        notify(`Paused: no notice is posted to ${s.callbackUrl} until it is resumed`, { type: 'success' });
      } else {
        await dp.resumeSubscription(s.id);
        notify(`Resumed: notices of the next CRLs are posted to ${s.callbackUrl}`, { type: 'success' });
      }
    } catch (err) {
      notify(errorText(err), { type: 'error' });
    } finally {
      setBusy(false);
      refresh();
    }
  };
  const rotate = () => {
    let secret: RevocationSubscriptionSecretView | null = null;
    show(
      <ConfirmDialog title="Rotate the signing secret?" confirmLabel="Rotate secret"
        onClose={() => show(secret && <SubscriptionSecretDialog out={secret} rotated onClose={() => show(null)} />)}
        text={`A new secret is made and shown once. Every notice to ${subscriberOf(s)} from then on, retries included, is signed with it: its receiver must have it before the next notice.`}
        onConfirm={async () => {
          secret = await dp.rotateSubscriptionSecret(s.id);
          notify('Signing secret replaced', { type: 'success' });
          refresh();
        }} />,
    );
  };
  const remove = () => show(
    <ConfirmDialog title="Delete the subscription?" confirmLabel="Delete" danger onClose={() => show(null)}
      text={`No notice is posted to ${s.callbackUrl} any more, and pending deliveries are skipped. The subscription is kept with its history (status cancelled); subscribing again makes a new one with a new secret.`}
      onConfirm={async () => {
        await dp.cancelSubscription(s.id);
        notify('Subscription deleted', { type: 'success' });
        refresh();
      }} />,
  );
  return (
    <Stack direction="row" spacing={0.5} onClick={stop}>
      <Button size="small" disabled={busy} onClick={() => void toggle()}>{s.status === 'active' ? 'Pause' : 'Resume'}</Button>
      <Button size="small" onClick={rotate}>Rotate secret</Button>
      <Button size="small" color="error" onClick={remove}>Delete</Button>
      {local}
    </Stack>
  );
}
