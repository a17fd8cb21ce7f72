import type { CertificateRequestView, CertificateView } from '@anchorage/contracts';
import { Alert, Box, Card, CardContent, Link as MuiLink, Stack, Typography } from '@mui/material';
import {
  DateField, FunctionField, Labeled, RecordContextProvider, ReferenceField, Show, SimpleShowLayout, TextField, TopToolbar, useGetOne, useRecordContext,
} from 'react-admin';
import { Link } from 'react-router-dom';
import { KeyDownloads } from '../certificates/KeyDownloads';
import { PemPanel } from '../certificates/PemPanel';
import { RenewButton } from '../certificates/RenewButton';
import { StatusChip } from '../certificates/StatusChip';
import { errorText } from '../errors';
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
  if (!r) return null;
  return (
    <SimpleShowLayout>
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
      {r.status === 'submitted' && (
        <Typography variant="body2" color="text.secondary">
          Waiting for an operator. If the key was generated in this browser, keep this tab open (or come back to it) to save the PKCS #12 once the certificate is issued.
        </Typography>
      )}
      <Labeled label="CSR (PEM)">
        <Box component="pre" sx={{ fontSize: 12, maxHeight: 200, overflow: 'auto', bgcolor: 'action.hover', p: 1, m: 0 }}>{r.csrPem}</Box>
      </Labeled>
    </SimpleShowLayout>
  );
}

/** One certificate request: what was asked, the decision, and the issued certificate with its downloads. */
export function RequestShow() {
  return (
    <Show title="Certificate request" actions={<TopToolbar><RequestActions size="medium" /></TopToolbar>}>
      <Body />
    </Show>
  );
}
