import type { OrganizationView } from '@anchorage/contracts';
import { Alert, Card, CardContent, Stack, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { OrganizationBulkRevocations } from '../bulk-revocations';
import { OrganizationConformance } from '../conformance';
import { OrganizationExpiryNotices } from '../expiry-notices';
import { EndpointChecks } from './EndpointChecks';
import { OrganizationCertificates, SanUriList } from './OrganizationDetail';
import { OrgStatusChip } from './OrgStatusChip';
import { ProfileForm } from './ProfileForm';
import { ProfileView } from './ProfileView';
import { WebhookCard } from './WebhookCard';

function StatusBanner({ o }: { o: OrganizationView }) {
  switch (o.status) {
    case 'draft':
      return <Alert severity="info">Complete your organization's profile and submit it: an operator of the community reviews it before you can request certificates.</Alert>;
    case 'submitted':
      return <Alert severity="info">Your profile was submitted{o.submittedAt ? ` on ${new Date(o.submittedAt).toLocaleString()}` : ''} and awaits review by an operator.</Alert>;
    case 'rejected':
      return <Alert severity="error" role="alert"><strong>The profile was rejected:</strong> {o.statusReason ?? 'no reason given'}. Correct it below and submit it again.</Alert>;
    case 'suspended':
      return <Alert severity="warning" role="alert"><strong>Your organization is suspended:</strong> {o.statusReason ?? 'no reason given'}. No certificates are issued until an operator reinstates it.</Alert>;
    default:
      return <Alert severity="success">Your organization is active: request certificates for its SAN URIs.</Alert>;
  }
}

/**
 * A member admin's own organization: its status (and the reason of a rejection or suspension); while
 * draft or rejected the profile form, afterwards the submitted profile; endpoint checks; the webhook
 * of its expiry notices; certificates and the expiry notices sent about them; the bulk revocations of
 * its certificates, if it was ever suspended.
 */
export function MemberOrganization() {
  const o = useRecordContext<OrganizationView>();
  if (!o) return null;
  const editable = o.status === 'draft' || o.status === 'rejected';
  return (
    <Stack spacing={2} sx={{ p: 2 }}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Typography variant="h5" component="h2">{o.name}</Typography>
        <OrgStatusChip />
      </Stack>
      <StatusBanner o={o} />
      {editable ? <ProfileForm organization={o} /> : (
        <Card variant="outlined">
          <CardContent>
            <Typography variant="h6" gutterBottom>Profile</Typography>
            <ProfileView profile={o.profile} />
          </CardContent>
        </Card>
      )}
      <Card variant="outlined">
        <CardContent>
          <Typography variant="h6" gutterBottom>SAN URIs bound to {o.name}</Typography>
          <SanUriList uris={o.sanUris} />
        </CardContent>
      </Card>
      <EndpointChecks organization={o} canAct />
      <WebhookCard organization={o} />
      <OrganizationConformance organizationId={o.id} canAct />
      <Card variant="outlined">
        <CardContent>
          <Typography variant="h6" gutterBottom>Certificates</Typography>
          <OrganizationCertificates />
        </CardContent>
      </Card>
      <Card variant="outlined">
        <CardContent>
          <Typography variant="h6" gutterBottom>Expiry notices</Typography>
          <OrganizationExpiryNotices />
        </CardContent>
      </Card>
      <Card variant="outlined">
        <CardContent>
          <Typography variant="h6" gutterBottom>Bulk revocations</Typography>
          <OrganizationBulkRevocations />
        </CardContent>
      </Card>
    </Stack>
  );
}
