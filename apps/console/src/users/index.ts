import UserIcon from '@mui/icons-material/ManageAccounts';
import type { UserView } from '@anchorage/contracts';
import { UserCreate } from './UserCreate';
import { UserList } from './UserList';
import { UserShow } from './UserShow';

/** People who sign in: list, detail, and (operators only) a create form that shows a new operator's TOTP secret once. */
export const users = {
  name: 'users',
  list: UserList,
  show: UserShow,
  create: UserCreate,
  icon: UserIcon,
  recordRepresentation: (u: UserView) => u.displayName || u.email,
};
