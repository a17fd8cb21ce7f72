import CommunityIcon from '@mui/icons-material/Groups';
import type { CommunityView } from '@anchorage/contracts';
import { CommunityList } from './CommunityList';
import { CommunityShow } from './CommunityShow';

/** Trust communities: list and detail with their CAs. */
export const communities = {
  name: 'communities',
  list: CommunityList,
  show: CommunityShow,
  icon: CommunityIcon,
  recordRepresentation: (c: CommunityView) => c.name,
};

