import type { OrganizationView } from '@anchorage/contracts';
import { Alert, Typography } from '@mui/material';
import {
  DataTable, DateField, FunctionField, Labeled, ReferenceField, ReferenceManyField, SimpleShowLayout, TextField, useRecordContext,
} from 'react-admin';
import { OrganizationBulkRevocations } from '../bulk-revocations';
import { OrganizationConformance } from '../conformance';
import { OrganizationExpiryNotices } from '../expiry-notices';
import { StatusChip } from '../certificates/StatusChip';
import { RequestStatusChip } from '../certificate-requests/RequestStatusChip';
import { canCheckConformance, canCheckEndpoints, useConsolePermissions } from '../permissions';
import { EndpointChecks } from './EndpointChecks';
import { OrgStatusChip } from './OrgStatusChip';
import { ProfileView } from './ProfileView';
import { WebhookCard } from './WebhookCard';

const sanList = (uris: string[]) =>
  uris.length === 0 ? <Typography variant="body2">none bound yet</Typography> : (
    <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
      {uris.map((u) => <li key={u}><Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>{u}</Typography></li>)}
    </ul>
  );

/** The organization's certificates, newest first. */
export function OrganizationCertificates() {
  return (
    <ReferenceManyField label="Certificates" reference="certificates" target="organizationId">
      <DataTable rowClick="show" bulkActionButtons={false} empty={<Typography variant="body2">No certificates yet.</Typography>}>
        <DataTable.Col source="serial"><TextField source="serial" sx={{ wordBreak: 'break-all' }} /></DataTable.Col>
        <DataTable.Col source="status"><StatusChip /></DataTable.Col>
        <DataTable.Col source="notAfter" label="Valid until"><DateField source="notAfter" /></DataTable.Col>
      </DataTable>
    </ReferenceManyField>
  );
}

/**
 * An organization as operators and auditors see it: onboarding status and reason, the submitted
 * profile to review, bound SAN URIs, endpoint checks, the webhook of its expiry notices, certificate
 * requests, certificates, the expiry notices sent about them, and the bulk revocations of its
 * certificates (its suspensions), with their progress.
 */
export function OrganizationDetail() {
  const o = useRecordContext<OrganizationView>();
  const { permissions } = useConsolePermissions();
  if (!o) return null;
  return (
    <SimpleShowLayout>
      <TextField source="name" />
      <ReferenceField source="communityId" reference="communities" label="Community" link="show" />
      <FunctionField label="Status" render={() => <OrgStatusChip />} />
      {o.statusReason && <Labeled label="Reason"><Alert severity={o.status === 'suspended' ? 'warning' : 'error'}>{o.statusReason}</Alert></Labeled>}
      <DateField source="submittedAt" label="Submitted" showTime emptyText="—" />
      <DateField source="reviewedAt" label="Reviewed" showTime emptyText="—" />
      <FunctionField<OrganizationView> label="SAN URIs" render={(r) => sanList(r.sanUris)} />
      <Labeled label={o.profileRevision ? `Submitted profile (revision ${o.profileRevision})` : 'Submitted profile'} fullWidth><ProfileView profile={o.profile} /></Labeled>
      <Labeled label="Endpoint control" fullWidth><EndpointChecks organization={o} canAct={canCheckEndpoints(permissions)} /></Labeled>
      <WebhookCard organization={o} />
      <ReferenceManyField label="Certificate requests" reference="certificate-requests" target="organizationId">
        <DataTable rowClick="show" bulkActionButtons={false} empty={<Typography variant="body2">No certificate requests.</Typography>}>
          <DataTable.Col source="profile" />
          <DataTable.Col source="status"><RequestStatusChip /></DataTable.Col>
          <DataTable.Col source="createdAt" label="Requested"><DateField source="createdAt" showTime /></DataTable.Col>
        </DataTable>
      </ReferenceManyField>
      <OrganizationCertificates />
      <Labeled label="Conformance" fullWidth><OrganizationConformance organizationId={o.id} canAct={canCheckConformance(permissions)} /></Labeled>
      <Labeled label="Expiry notices" fullWidth><OrganizationExpiryNotices /></Labeled>
      <Labeled label="Bulk revocations" fullWidth><OrganizationBulkRevocations /></Labeled>
      <DateField source="createdAt" label="Created" showTime />
    </SimpleShowLayout>
  );
}

/** The SAN URI list, for the member's page. */
export const SanUriList = ({ uris }: { uris: string[] }) => sanList(uris);
