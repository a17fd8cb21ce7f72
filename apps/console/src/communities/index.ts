import CommunityIcon from '@mui/icons-material/Groups';
import type { CommunityView } from '@anchorage/contracts';
import { CommunityCreate } from './CommunityCreate';
import { CommunityList } from './CommunityList';
import { CommunityShow } from './CommunityShow';

/** Trust communities: list, creation (with its progress) and detail with their CAs. */
export const communities = {
  name: 'communities',
  list: CommunityList,
  show: CommunityShow,
  create: CommunityCreate,
  icon: CommunityIcon,
  recordRepresentation: (c: CommunityView) => c.name,
};

