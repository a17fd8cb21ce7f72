import { Typography } from '@mui/material';
import { useConsolePermissions } from '../permissions';
import { OrganizationShow } from './OrganizationShow';

/** A member admin's "My organization": its one organization, in place of a list. */
export function MyOrganization() {
  const { permissions } = useConsolePermissions();
  if (!permissions?.organizationId) return <Typography sx={{ m: 2 }}>This account belongs to no organization.</Typography>;
  return <OrganizationShow id={permissions.organizationId} title="My organization" />;
}
