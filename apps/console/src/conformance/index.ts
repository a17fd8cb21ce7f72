import ConformanceIcon from '@mui/icons-material/VerifiedUser';
import type { ConformanceEndpointView } from '@anchorage/contracts';
import { ConformanceList } from './ConformanceList';
import { OrganizationConformance } from './OrganizationConformance';

export { OrganizationConformance };

/** Endpoint conformance: the community-wide table of monitored member servers (operators, auditors). */
export const conformanceEndpoints = {
  name: 'conformance-endpoints',
  list: ConformanceList,
  icon: ConformanceIcon,
  options: { label: 'Conformance' },
  recordRepresentation: (e: ConformanceEndpointView) => e.baseUrl,
};
