import type { OrganizationView, WebhookSettingView } from '@anchorage/contracts';
import {
  Alert, Button, Card, CardContent, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Stack, TextField, Typography,
} from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { detailOf, errorText, fieldErrorsOf } from '../errors';
import { canSetWebhook, useConsolePermissions } from '../permissions';
import { SecretOnceDialog, signedDeliveryHeaders } from '../common/SecretOnceDialog';

/** The headers every delivery carries, as the receiver reads them. */
const DELIVERY_HEADERS = signedDeliveryHeaders('the notice id: a delivery may be repeated, drop an id already seen', 'certificate.expiring');

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
          Notices of certificates about to expire, and of the organization's requests and reviews being decided, are posted here as signed JSON, in addition to the e-mails.
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
  return (
    <SecretOnceDialog
      id="webhook-secret" title="Webhook secret" label="Webhook secret" secret={setting.secret} url={setting.url}
      more="Setting the webhook again makes a new one." heading="Verifying a delivery"
      body={<>
        Each notice is a POST with a JSON body and the headers below. Its type is certificate.expiring (noticeId, thresholdDays, notAfter, the certificate and
        the organizationId), or a change the organization waits for (certificate-request.issued or .rejected, organization.approved, .rejected, .suspended or
        .reinstated: noticeId, organizationId, the subject and, where there is one, the reason), as X-Anchorage-Event says.
      </>}
      headersLabel="Delivery headers" headers={DELIVERY_HEADERS}
      check={<>
        To check one, compute HMAC-SHA256 with this secret over the t value, a dot and the raw request body exactly as received, and compare its hex form with v1
        in constant time; refuse the delivery if they differ or if t is more than a few minutes old.
      </>}
      onClose={onClose} />
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
      notify(`Webhook of ${organization.name} removed: notices go by e-mail only`, { type: 'success' });
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
          Notices of {organization.name} (expiring certificates, decided requests and reviews) will no longer be posted to {organization.webhookUrl}; the e-mails go on. Its secret is forgotten: setting a webhook
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
            Signed notices of certificates about to expire, and of the organization's requests and reviews being decided, are posted to this address, besides the e-mails to the organization's contacts.
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
