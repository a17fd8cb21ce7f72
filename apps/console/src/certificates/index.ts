import CertificateIcon from '@mui/icons-material/VerifiedUser';
import type { CertificateView } from '@anchorage/contracts';
import { CertificateList } from './CertificateList';
import { CertificateShow } from './CertificateShow';

/** Leaf certificates: searchable list and detail with revoke and release-hold (by role). */
export const certificates = {
  name: 'certificates',
  list: CertificateList,
  show: CertificateShow,
  icon: CertificateIcon,
  recordRepresentation: (c: CertificateView) => c.serial,
};

