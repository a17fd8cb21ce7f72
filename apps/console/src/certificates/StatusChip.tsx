import type { CertificateStatus, CertificateView } from '@anchorage/contracts';
import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';

const COLORS: Record<CertificateStatus, 'default' | 'success' | 'error' | 'warning'> = {
  pending: 'default',
  issued: 'success',
  revoked: 'error',
  'on-hold': 'warning',
};

/** The certificate's lifecycle status as a coloured chip. */
export function StatusChip() {
  const c = useRecordContext<CertificateView>();
  return c ? <Chip size="small" label={c.status} color={COLORS[c.status]} /> : null;
}
