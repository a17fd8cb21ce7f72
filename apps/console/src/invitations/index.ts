import InvitationIcon from '@mui/icons-material/ForwardToInbox';
import type { InvitationView } from '@anchorage/contracts';
import { InvitationCreate } from './InvitationCreate';
import { InvitationList } from './InvitationList';

/** Invitations of organization contacts: list with state (operators and auditors), invite and withdraw (operators). */
export const invitations = {
  name: 'invitations',
  list: InvitationList,
  create: InvitationCreate,
  icon: InvitationIcon,
  recordRepresentation: (i: InvitationView) => i.email,
};
