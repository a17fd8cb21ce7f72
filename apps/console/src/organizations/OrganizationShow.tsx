import type { OrganizationView } from '@anchorage/contracts';
import AddIcon from '@mui/icons-material/Add';
import { Button } from '@mui/material';
import { Show, TopToolbar, useRecordContext } from 'react-admin';
import { Link } from 'react-router-dom';
import { can, isMemberAdmin, useConsolePermissions } from '../permissions';
import { MemberOrganization } from './MemberOrganization';
import { OrganizationDetail } from './OrganizationDetail';
import { ReviewButtons } from './ReviewButtons';

/** "Request a certificate", for an active organization, to those who may request. */
function RequestCertificateButton() {
  const o = useRecordContext<OrganizationView>();
  const { permissions } = useConsolePermissions();
  if (!o || o.status !== 'active' || !can(permissions, 'certificate-requests', 'create')) return null;
  return <Button component={Link} to={`/certificate-requests/create?organizationId=${encodeURIComponent(o.id)}`} startIcon={<AddIcon />}>Request a certificate</Button>;
}

function Actions() {
  return (
    <TopToolbar sx={{ flexWrap: 'wrap' }}>
      <RequestCertificateButton />
      <ReviewButtons />
    </TopToolbar>
  );
}

function Body() {
  const { permissions } = useConsolePermissions();
  return isMemberAdmin(permissions) ? <MemberOrganization /> : <OrganizationDetail />;
}

/** One organization (`id` when not from the route): the review page for operators, "My organization" for its member admin. */
export function OrganizationShow({ id, title }: { id?: string; title?: string }) {
  return (
    <Show id={id} title={title} actions={<Actions />}>
      <Body />
    </Show>
  );
}
