import type { CertificationView } from '@anchorage/contracts';
import { Button } from '@mui/material';
import type { MouseEvent } from 'react';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { useListDialog } from '../common/ListDialogHost';
import { ReasonDialog } from '../common/ReasonDialog';
import type { ConsoleDataProvider } from '../dataProvider';
import { canRevokeCertification, useConsolePermissions } from '../permissions';

/**
 * Revokes an active certification with a reason (operators; member admins of the certifier
 * organization): its public status endpoint answers {"valid": false} from then on.
 */
export function RevokeCertificationButton() {
  const c = useRecordContext<CertificationView>();
  const { permissions } = useConsolePermissions();
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  // drawn by the list's host when in a list: the dialog outlives the switch between table and cards
  const { show, local } = useListDialog();
  if (!c || c.status !== 'active' || !canRevokeCertification(permissions, c)) return null;
  const stop = (e: MouseEvent) => e.stopPropagation();
  return (
    <span onClick={stop}>
      <Button size="small" color="error" onClick={() => show(
        <ReasonDialog
          open
          title="Revoke certification"
          explanation={`Relying parties asking its status endpoint are told it is no longer valid. Certified app: ${c.sub}.`}
          confirmLabel="Revoke certification"
          onClose={() => show(null)}
          onConfirm={async (reason) => {
            await dp.revokeCertification(c.id, reason);
            notify('Certification revoked', { type: 'success' });
            refresh();
          }}
        />,
      )}>Revoke</Button>
      {local}
    </span>
  );
}
