import OrganizationIcon from '@mui/icons-material/Business';
import type { OrganizationView } from '@anchorage/contracts';
import { OrganizationList } from './OrganizationList';
import { OrganizationShow } from './OrganizationShow';

/** Member organizations: list (by community) and detail with their certificates. */
export const organizations = {
  name: 'organizations',
  list: OrganizationList,
  show: OrganizationShow,
  icon: OrganizationIcon,
  recordRepresentation: (o: OrganizationView) => o.name,
};
