import type { OrganizationView, WebhookSettingView } from '@anchorage/contracts';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import {
  Alert, Box, Button, Card, CardContent, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Stack, TextField, Typography,
} from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { detailOf, errorText, fieldErrorsOf } from '../errors';
import { canSetWebhook, useConsolePermissions } from '../permissions';
import { Secret } from '../users/TotpEnrollmentNotice';

/** The headers every delivery carries, as the receiver reads them. */
const DELIVERY_HEADERS: [string, string][] = [
  ['X-Anchorage-Signature', 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with this secret>'],
  ['X-Anchorage-Delivery', 'the notice id: a delivery may be repeated, drop an id already seen'],
  ['X-Anchorage-Event', 'certificate.expiring'],
];

/** The dialog that asks for the URL; a refusal stays in it, a field error under the field. */
function UrlDialog({ organization, replacing, onClose, onSet }: {
  organization: OrganizationView;
  replacing: boolean;
  onClose: () => void;
  onSet: (setting: WebhookSettingView) => void;
}) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const [url, setUrl] = useState(organization.webhookUrl ?? '');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setBusy(true);
    setFieldError(null);
    setError(null);
    try {
      onSet(await dp.setWebhook(organization.id, url.trim()));
    } catch (err) {
      const field = fieldErrorsOf(err).find((f) => f.field === 'url');
      if (field) setFieldError(field.message);
      else setError(detailOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={() => !busy && onClose()} fullWidth maxWidth="sm">
      <DialogTitle>{replacing ? `Replace the webhook of ${organization.name}` : `Set a webhook for ${organization.name}`}</DialogTitle>
      <DialogContent>
        <DialogContentText variant="body2" sx={{ mb: 2 }}>
          Notices of certificates about to expire are posted here as signed JSON, in addition to the e-mails.
          {replacing ? ' Saving makes a new signing secret: the current one stops being used at once.' : ' Saving makes the signing secret, which is shown once.'}
        </DialogContentText>
        <TextField label="Webhook URL" value={url} onChange={(e) => setUrl(e.target.value)} fullWidth autoFocus placeholder="https://hooks.example.org/anchorage"
          error={fieldError !== null} helperText={fieldError ?? 'An https:// address that accepts POST requests'}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && url.trim() && !busy) void save();
          }} />
        {error && <Alert severity="error" role="alert" sx={{ mt: 2 }}>{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>Cancel</Button>
        <Button variant="contained" onClick={() => void save()} disabled={busy || url.trim() === ''}>Save</Button>
      </DialogActions>
    </Dialog>
  );
}

/** The secret of a webhook just set, shown this once, with how a receiver checks a delivery's signature. */
function SecretDialog({ setting, onClose }: { setting: WebhookSettingView; onClose: () => void }) {
  const notify = useNotify();
  const copy = () =>
    navigator.clipboard.writeText(setting.secret).then(
      () => notify('Webhook secret copied to the clipboard', { type: 'info' }),
      () => notify('The browser refused clipboard access; select the secret and copy it by hand', { type: 'warning' }),
    );
  return (
    // closed only by the button: a stray click beside it must not lose the secret
    <Dialog open fullWidth maxWidth="md" aria-labelledby="webhook-secret-title">
      <DialogTitle id="webhook-secret-title">Webhook secret</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <Alert severity="warning">
            Store this secret with the receiver of <Box component="span" sx={{ fontFamily: 'monospace' }}>{setting.url}</Box> now: it is shown only this once and
            cannot be read again. Setting the webhook again makes a new one.
          </Alert>
          <Secret label="Webhook secret" value={setting.secret} />
          <Box>
            <Button size="small" variant="outlined" startIcon={<ContentCopyIcon />} onClick={() => void copy()}>Copy secret</Button>
          </Box>
          <Typography variant="subtitle2" component="h3">Verifying a delivery</Typography>
          <Typography variant="body2">
            Each notice is a POST with a JSON body (type certificate.expiring, noticeId, thresholdDays, notAfter, the certificate and the organizationId) and these headers:
          </Typography>
          <Box component="dl" aria-label="Delivery headers" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5 }}>
            {DELIVERY_HEADERS.map(([name, value]) => (
              <Box key={name} sx={{ display: 'contents' }}>
                <Box component="dt" sx={{ fontFamily: 'monospace', fontSize: 13 }}>{name}</Box>
                <Box component="dd" sx={{ m: 0, fontFamily: 'monospace', fontSize: 13, wordBreak: 'break-word' }}>{value}</Box>
              </Box>
            ))}
          </Box>
          <Typography variant="body2">
            To check one, compute HMAC-SHA256 with this secret over the t value, a dot and the raw request body exactly as received, and compare its hex form with v1
            in constant time; refuse the delivery if they differ or if t is more than a few minutes old.
          </Typography>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onClose}>I have stored the secret</Button>
      </DialogActions>
    </Dialog>
  );
}

/** Asks before removing the webhook. */
function RemoveDialog({ organization, onClose }: { organization: OrganizationView; onClose: () => void }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await dp.removeWebhook(organization.id);
      notify(`Webhook of ${organization.name} removed: expiry notices go by e-mail only`, { type: 'success' });
      refresh();
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={() => !busy && onClose()} fullWidth maxWidth="sm">
      <DialogTitle>Remove the webhook?</DialogTitle>
      <DialogContent>
        <DialogContentText variant="body2">
          Expiry notices of {organization.name} will no longer be posted to {organization.webhookUrl}; the e-mails go on. Its secret is forgotten: setting a webhook
          again makes a new one.
        </DialogContentText>
        {error && <Alert severity="error" role="alert" sx={{ mt: 2 }}>{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>Cancel</Button>
        <Button color="error" variant="contained" onClick={() => void remove()} disabled={busy}>Remove</Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * Where the organization's expiry notices are posted (signed with an HMAC secret, besides the e-mails).
 * Operators of its community and its member admins set, replace and remove it; the secret is shown
 * once, right after it is set, and never again (the API keeps it sealed). Auditors see the URL only.
 */
export function WebhookCard({ organization }: { organization: OrganizationView }) {
  const { permissions } = useConsolePermissions();
  const notify = useNotify();
  const refresh = useRefresh();
  const [dialog, setDialog] = useState<'url' | 'remove' | null>(null);
  const [setting, setSetting] = useState<WebhookSettingView | null>(null);
  const canAct = canSetWebhook(permissions, organization);
  const url = organization.webhookUrl;
  const onSet = (s: WebhookSettingView) => {
    setDialog(null);
    setSetting(s);
    notify(`Webhook of ${organization.name} set to ${s.url}`, { type: 'success' });
    refresh();
  };
  return (
    <Card variant="outlined" component="section" aria-labelledby={`webhook-${organization.id}`}>
      <CardContent>
        <Stack spacing={1.5}>
          <Typography variant="h6" id={`webhook-${organization.id}`}>Webhook</Typography>
          <Typography variant="body2" color="text.secondary">
            Signed notices of certificates about to expire are posted to this address, besides the e-mails to the organization's contacts.
          </Typography>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline' }}>
            <Typography variant="body2" color="text.secondary">URL:</Typography>
            {url
              ? <Typography variant="body2" aria-label="Webhook URL" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{url}</Typography>
              : <Typography variant="body2" aria-label="Webhook URL">none</Typography>}
          </Stack>
          {canAct && (
            <Stack direction="row" spacing={1}>
              <Button variant="outlined" onClick={() => setDialog('url')}>{url ? 'Replace' : 'Set webhook'}</Button>
              {url && <Button color="error" onClick={() => setDialog('remove')}>Remove</Button>}
            </Stack>
          )}
        </Stack>
      </CardContent>
      {dialog === 'url' && <UrlDialog organization={organization} replacing={!!url} onClose={() => setDialog(null)} onSet={onSet} />}
      {dialog === 'remove' && <RemoveDialog organization={organization} onClose={() => setDialog(null)} />}
      {setting && <SecretDialog setting={setting} onClose={() => setSetting(null)} />}
    </Card>
  );
}
