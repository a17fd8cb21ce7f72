// A signing secret just made (an organization's webhook, a relying party's revocation subscription),
// shown this once, with how its receiver checks a signed delivery. Closed only by its button: a stray
// click beside it must not lose the secret.
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useNotify } from 'react-admin';
import { Secret } from './Secret';

/** The headers every signed delivery carries; `event` and `delivery` say what this receiver gets. */
export function signedDeliveryHeaders(delivery: string, event: string): [string, string][] {
  return [
    ['X-Anchorage-Signature', 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with this secret>'],
    ['X-Anchorage-Delivery', delivery],
    ['X-Anchorage-Event', event],
  ];
}

export interface SecretOnceDialogProps {
  /** The dialog's id prefix and title. */
  id: string;
  title: string;
  /** What the secret is called ("Webhook secret"): the label of its field and of the copy notice. */
  label: string;
  secret: string;
  /** Where deliveries go. */
  url: string;
  /** Said after "it is shown only this once and cannot be read again." */
  more?: string;
  /** "Verifying a delivery", and what a delivery is. */
  heading: string;
  body: ReactNode;
  headersLabel: string;
  headers: [string, string][];
  /** How to check a delivery. */
  check: ReactNode;
  onClose: () => void;
}

export function SecretOnceDialog(p: SecretOnceDialogProps) {
  const notify = useNotify();
  const copy = () =>
    navigator.clipboard.writeText(p.secret).then(
      () => notify(`${p.label} copied to the clipboard`, { type: 'info' }),
      () => notify('The browser refused clipboard access; select the secret and copy it by hand', { type: 'warning' }),
    );
  return (
    <Dialog open fullWidth maxWidth="md" aria-labelledby={`${p.id}-title`}>
      <DialogTitle id={`${p.id}-title`}>{p.title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <Alert severity="warning">
            Store this secret with the receiver of <Box component="span" sx={{ fontFamily: 'monospace' }}>{p.url}</Box> now: it is shown only this once and
            cannot be read again.{p.more ? ` ${p.more}` : ''}
          </Alert>
          <Secret label={p.label} value={p.secret} />
          <Box>
            <Button size="small" variant="outlined" startIcon={<ContentCopyIcon />} onClick={() => void copy()}>Copy secret</Button>
          </Box>
          <Typography variant="subtitle2" component="h3">{p.heading}</Typography>
          <Typography variant="body2">{p.body}</Typography>
          <Box component="dl" aria-label={p.headersLabel} sx={{ m: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5 }}>
            {p.headers.map(([name, value]) => (
              <Box key={name} sx={{ display: 'contents' }}>
                <Box component="dt" sx={{ fontFamily: 'monospace', fontSize: 13 }}>{name}</Box>
                <Box component="dd" sx={{ m: 0, fontFamily: 'monospace', fontSize: 13, wordBreak: 'break-word' }}>{value}</Box>
              </Box>
            ))}
          </Box>
          <Typography variant="body2">{p.check}</Typography>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={p.onClose}>I have stored the secret</Button>
      </DialogActions>
    </Dialog>
  );
}
