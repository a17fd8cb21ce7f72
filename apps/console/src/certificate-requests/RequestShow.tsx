import type { CertificateRequestView, CertificateView } from '@anchorage/contracts';
import { Alert, Card, CardContent, Link as MuiLink, Stack, Typography } from '@mui/material';
import { useRef } from 'react';
import {
  DateField, FunctionField, Labeled, RecordContextProvider, ReferenceField, Show, SimpleShowLayout, TextField, TopToolbar, useGetOne, useRecordContext,
} from 'react-admin';
import { Link } from 'react-router-dom';
import { KeyDownloads } from '../certificates/KeyDownloads';
import { PemPanel } from '../certificates/PemPanel';
import { RenewButton } from '../certificates/RenewButton';
import { StatusChip } from '../certificates/StatusChip';
import { errorText } from '../errors';
import { CsrPanel } from './CsrPanel';
import { RequestActions } from './RequestActions';
import { RequestStatusChip } from './RequestStatusChip';

/** The certificate a request produced: its state and every download (PKCS #12 when this tab holds the key). */
function IssuedCertificate({ id }: { id: string }) {
  const { data, error, isPending } = useGetOne<CertificateView>('certificates', { id });
  if (isPending) return null;
  if (error || !data) return <Alert severity="error">{errorText(error)}</Alert>;
  return (
    <RecordContextProvider value={data}>
      <Card variant="outlined" sx={{ mt: 1 }}>
        <CardContent>
          <Stack spacing={2}>
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
              <Typography variant="h6">Certificate <MuiLink component={Link} to={`/certificates/${data.id}/show`}>{data.serial}</MuiLink></Typography>
              <StatusChip />
              <Typography variant="body2" color="text.secondary">valid until {new Date(data.notAfter).toLocaleString()}</Typography>
              <RenewButton />
            </Stack>
            <KeyDownloads />
            <PemPanel />
          </Stack>
        </CardContent>
      </Card>
    </RecordContextProvider>
  );
}

function Body() {
  const r = useRecordContext<CertificateRequestView>();
  // the request was waiting when this page opened and has been issued since (the poll found it)
  const waited = useRef(false);
  if (waiting(r)) waited.current = true;
  if (!r) return null;
  return (
    <SimpleShowLayout>
      {waited.current && r.status === 'issued' && (
        <Alert severity="success" role="status">Approved: the certificate is issued (below).</Alert>
      )}
      <FunctionField label="Status" render={() => <RequestStatusChip />} />
      {r.reason && (
        <Labeled label={r.status === 'rejected' ? 'Reason' : 'Note'}>
          <Alert severity={r.status === 'rejected' ? 'error' : 'warning'}>{r.reason}</Alert>
        </Labeled>
      )}
      <ReferenceField source="organizationId" reference="organizations" label="Organization" link="show" />
      <TextField source="profile" />
      <FunctionField<CertificateRequestView> label="SAN URIs" render={(x) => x.sanUris.join(', ')} />
      <TextField source="keyType" label="Key type" />
      <DateField source="createdAt" label="Requested" showTime />
      <DateField source="decidedAt" label="Decided" showTime emptyText="—" />
      {r.renewalOf && <ReferenceField source="renewalOf" reference="certificates" label="Renews" link="show" />}
      {r.certificateId && <Labeled label="Issued certificate" fullWidth><IssuedCertificate id={r.certificateId} /></Labeled>}
      {waiting(r) && (
        <Typography variant="body2" color="text.secondary" role="status">
          Waiting for an operator; this page checks every {POLL_MS / 1000} seconds and shows the certificate as soon as it is issued (you are also
          e-mailed). A key generated in this browser stays here, encrypted, for you: open this request or the certificate later, from any tab, to save
          the PKCS #12.
        </Typography>
      )}
      <CsrPanel />
    </SimpleShowLayout>
  );
}

/** How often the page asks again while the request waits for an operator. */
const POLL_MS = 3000;
const waiting = (r: CertificateRequestView | undefined) => r?.status === 'submitted' || r?.status === 'approved';

/**
 * One certificate request: what was asked (the CSR decoded), the decision, and the issued certificate with
 * its downloads. While it waits, the page polls, so it turns into the issued certificate by itself.
 */
export function RequestShow() {
  return (
    <Show title="Certificate request" actions={<TopToolbar sx={{ flexWrap: 'wrap' }}><RequestActions size="medium" /></TopToolbar>}
      queryOptions={{ refetchInterval: (q: { state: { data?: CertificateRequestView } }) => (waiting(q.state.data) ? POLL_MS : false), refetchIntervalInBackground: true }}>
      <Body />
    </Show>
  );
}
