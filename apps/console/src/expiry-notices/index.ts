import NoticeIcon from '@mui/icons-material/NotificationsActive';
import type { ExpiryNoticeView } from '@anchorage/contracts';
import { ExpiryNoticeList, OrganizationExpiryNotices } from './ExpiryNoticeList';
import { thresholdText } from './fields';

export { OrganizationExpiryNotices };

/** Expiry notices (certificates and CAs nearing their notAfter) and how each was delivered: e-mail, webhook. */
export const expiryNotices = {
  name: 'expiry-notices',
  list: ExpiryNoticeList,
  icon: NoticeIcon,
  options: { label: 'Expiry notices' },
  recordRepresentation: (n: ExpiryNoticeView) => `${n.subjectType === 'ca' ? 'CA' : 'certificate'} notice at ${thresholdText(n.thresholdDays)}`,
};
