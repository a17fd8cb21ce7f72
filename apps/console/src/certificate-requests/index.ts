import RequestIcon from '@mui/icons-material/PendingActions';
import type { CertificateRequestView } from '@anchorage/contracts';
import { RequestList } from './RequestList';
import { RequestShow } from './RequestShow';
import { RequestWizard } from './RequestWizard';

/** Certificate requests: members request (key generated in the browser, or their CSR) and cancel; operators approve or reject. */
export const certificateRequests = {
  name: 'certificate-requests',
  list: RequestList,
  show: RequestShow,
  create: RequestWizard,
  icon: RequestIcon,
  options: { label: 'Certificate requests' },
  recordRepresentation: (r: CertificateRequestView) => `${r.profile} ${r.sanUris.join(', ')}`,
};
