import type { CertificateView } from '@anchorage/contracts';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import { Button } from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { canReleaseHold, useConsolePermissions } from '../permissions';

/** Releases a certificate from hold; shown to operators only, while it is on hold. */
export function ReleaseHoldButton() {
  const c = useRecordContext<CertificateView>();
  const { permissions } = useConsolePermissions();
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  if (!c || c.status !== 'on-hold' || !canReleaseHold(permissions)) return null;

  const release = async () => {
    setBusy(true);
    try {
      const { certificate, crl } = await dp.releaseHold(c.id);
      notify(`Hold on ${certificate.serial} released; CRL #${crl.crlNumber} no longer lists it`, { type: 'success' });
      refresh();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return <Button startIcon={<LockOpenIcon />} onClick={release} disabled={busy}>Release hold</Button>;
}
