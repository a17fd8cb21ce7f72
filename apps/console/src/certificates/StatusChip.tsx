import type { CertificateStatus, CertificateView } from '@anchorage/contracts';
import { Chip, Stack } from '@mui/material';
import { useRecordContext } from 'react-admin';

const COLORS: Record<CertificateStatus, 'default' | 'success' | 'error' | 'warning'> = {
  pending: 'default',
  issued: 'success',
  revoked: 'error',
  'on-hold': 'warning',
};

/** Issued but past its notAfter: the daily expiry scan set `expiredAt` (a revoked certificate stays "revoked"). */
export const isExpired = (c: Pick<CertificateView, 'status' | 'expiredAt'>): boolean => c.status === 'issued' && !!c.expiredAt;

/** The certificate's lifecycle status as a coloured chip, and an "expired" chip beside an issued one past its notAfter. */
export function StatusChip() {
  const c = useRecordContext<CertificateView>();
  if (!c) return null;
  const status = <Chip size="small" label={c.status} color={COLORS[c.status]} />;
  if (!isExpired(c)) return status;
  return (
    <Stack direction="row" spacing={0.5} component="span" sx={{ display: 'inline-flex' }}>
      {status}
      <Chip size="small" label="expired" color="default" variant="outlined" aria-label={`expired ${new Date(c.expiredAt!).toLocaleDateString()}`}
        title={`Past its notAfter since ${new Date(c.expiredAt!).toLocaleString()}`} />
    </Stack>
  );
}
