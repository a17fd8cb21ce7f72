import { isMemberAdmin, useConsolePermissions } from '../permissions';
import { MyOrganization } from './MyOrganization';
import { OrganizationList } from './OrganizationList';

/** The organizations entry: the list for operators and auditors, "My organization" for a member admin. */
export function OrganizationsPage() {
  const { permissions, isPending } = useConsolePermissions();
  if (isPending) return null;
  return isMemberAdmin(permissions) ? <MyOrganization /> : <OrganizationList />;
}
