import CertificationIcon from '@mui/icons-material/WorkspacePremium';
import type { CertificationView } from '@anchorage/contracts';
import { CertificationList } from './CertificationList';

/** Certifications of member apps (docs/certifications.md): list per organization or app, revoke. */
export const certifications = {
  name: 'certifications',
  list: CertificationList,
  icon: CertificationIcon,
  options: { label: 'Certifications' },
  recordRepresentation: (c: CertificationView) => `certification of ${c.sub}`,
};
