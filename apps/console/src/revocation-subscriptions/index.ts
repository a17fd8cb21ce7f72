import SubscriptionIcon from '@mui/icons-material/CampaignOutlined';
import type { RevocationSubscriptionView } from '@anchorage/contracts';
import { SubscriptionList } from './SubscriptionList';

/** Relying parties' subscriptions to revocation notices (docs/revocation-notices.md) and their delivery status. */
export const revocationSubscriptions = {
  name: 'revocation-subscriptions',
  list: SubscriptionList,
  icon: SubscriptionIcon,
  options: { label: 'Revocation notices' },
  recordRepresentation: (s: RevocationSubscriptionView) => s.relyingParty ?? s.callbackUrl,
};
