import type { CertificateView } from '@anchorage/contracts';
import AutorenewIcon from '@mui/icons-material/Autorenew';
import { Button } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { Link } from 'react-router-dom';
import { can, useConsolePermissions } from '../permissions';

/** "Renew": a new certificate request pre-filled with this certificate's SAN URIs and profile. */
export function RenewButton() {
  const c = useRecordContext<CertificateView>();
  const { permissions } = useConsolePermissions();
  if (!c || c.status === 'pending' || !can(permissions, 'certificates', 'renew')) return null;
  return <Button component={Link} to={`/certificate-requests/create?renewalOf=${encodeURIComponent(c.id)}`} startIcon={<AutorenewIcon />}>Renew</Button>;
}
