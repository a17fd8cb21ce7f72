import OrganizationIcon from '@mui/icons-material/Business';
import type { OrganizationView } from '@anchorage/contracts';
import { OrganizationsPage } from './OrganizationsPage';
import { OrganizationShow } from './OrganizationShow';

/** Member organizations: list (by community) and detail with their certificates; a member admin's own. */
export const organizations = {
  name: 'organizations',
  list: OrganizationsPage,
  show: OrganizationShow,
  icon: OrganizationIcon,
  recordRepresentation: (o: OrganizationView) => o.name,
};

