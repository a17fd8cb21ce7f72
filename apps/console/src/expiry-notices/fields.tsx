import { isOutboundFailure, OUTBOUND_FAILURES, type ExpiryNoticeView } from '@anchorage/contracts';
import { Box, Typography } from '@mui/material';
import { ReferenceField, TextField, useRecordContext } from 'react-admin';
import { CaName } from '../bulk-revocations/fields';

/** What the API records when a notice had nobody to e-mail (deliver-notice.ts). */
const NO_RECIPIENTS = /no enabled recipient/i;

const when = (iso: string) => new Date(iso).toLocaleString();

/** "14 days", "1 day". */
export const thresholdText = (days: number): string => `${days} day${days === 1 ? '' : 's'}`;

/** Whether the notice had nobody to e-mail (then its e-mail is not pending: it will not be sent). */
export const hadNoRecipients = (n: ExpiryNoticeView): boolean => !n.emailSentAt && n.emailTo.length === 0 && NO_RECIPIENTS.test(n.lastError ?? '');

/** Where the notice's last error belongs: its webhook while that is being retried, else its e-mail while unsent. */
const errorPlace = (n: ExpiryNoticeView): 'webhook' | 'email' | null =>
  !n.lastError ? null : n.webhookUrl && !n.webhookDeliveredAt ? 'webhook' : !n.emailSentAt && !hadNoRecipients(n) ? 'email' : null;

/** A webhook's failure in the fixed words of its code (the API never sends what the member's server said). */
const webhookErrorText = (code: string): string => (isOutboundFailure(code) ? OUTBOUND_FAILURES[code] : 'The delivery failed; it is retried.');

function ErrorLine({ text }: { text: string }) {
  return <Typography variant="body2" color="error" aria-label="Last error" sx={{ wordBreak: 'break-word' }}>{text}</Typography>;
}

/** What the notice is about: a certificate (linked, by serial) or a CA (by subject). */
export function NoticeSubject() {
  const n = useRecordContext<ExpiryNoticeView>();
  if (!n) return null;
  if (n.subjectType === 'ca') return <Box component="span">CA {n.caId ? <CaName id={n.caId} /> : '—'}</Box>;
  return (
    <Box component="span" sx={{ display: 'inline-flex', gap: 0.5, alignItems: 'baseline' }}>
      certificate
      <ReferenceField source="certificateId" reference="certificates" link="show" emptyText="—">
        <TextField source="serial" sx={{ fontFamily: 'monospace' }} />
      </ReferenceField>
    </Box>
  );
}

/** The notice's threshold: "14 days". */
export function NoticeThreshold() {
  const n = useRecordContext<ExpiryNoticeView>();
  return n ? <span>{thresholdText(n.thresholdDays)}</span> : null;
}

/** The e-mail: sent (when, to whom), pending (with the error that holds it up), or nobody to send it to. */
export function EmailDelivery() {
  const n = useRecordContext<ExpiryNoticeView>();
  if (!n) return null;
  if (n.emailSentAt) {
    return (
      <Box>
        <Typography variant="body2">sent {when(n.emailSentAt)}</Typography>
        <Typography variant="caption" color="text.secondary" sx={{ wordBreak: 'break-all' }}>to {n.emailTo.join(', ')}</Typography>
      </Box>
    );
  }
  if (hadNoRecipients(n)) return <Typography variant="body2" color="warning.main">no recipients</Typography>;
  return (
    <Box>
      <Typography variant="body2">pending</Typography>
      {errorPlace(n) === 'email' && <ErrorLine text={n.lastError!} />}
    </Box>
  );
}

/** The webhook: none, delivered (when), or still being retried (attempts so far and the last error). */
export function WebhookDelivery() {
  const n = useRecordContext<ExpiryNoticeView>();
  if (!n) return null;
  if (!n.webhookUrl) return <Typography variant="body2">none</Typography>;
  const attempts = `${n.webhookAttempts} attempt${n.webhookAttempts === 1 ? '' : 's'}`;
  return (
    <Box>
      <Typography variant="body2">{n.webhookDeliveredAt ? `delivered ${when(n.webhookDeliveredAt)}` : `not delivered yet, ${attempts}`}</Typography>
      {errorPlace(n) === 'webhook' && <ErrorLine text={webhookErrorText(n.lastError!)} />}
      <Typography variant="caption" color="text.secondary" sx={{ wordBreak: 'break-all' }}>{n.webhookUrl}</Typography>
    </Box>
  );
}
