import DoneAllIcon from '@mui/icons-material/DoneAll';
import { Button } from '@mui/material';
import { useDataProvider } from 'react-admin';
import { BulkActionDialog } from '../common/BulkActionDialog';
import { BulkActionButton } from '../common/ListDialogHost';
import type { ConsoleDataProvider } from '../dataProvider';
import { canDecideRequests, useConsolePermissions } from '../permissions';

/** Approves the selected requests, each as its own Approve does (its certificate issued at once). */
export function BulkApproveButton() {
  const { permissions } = useConsolePermissions();
  if (!canDecideRequests(permissions)) return null;
  return (
    <BulkActionButton
      button={(open) => <Button color="success" size="small" startIcon={<DoneAllIcon />} onClick={open}>Approve selected</Button>}
      dialog={(onClose) => <BulkApproveDialog onClose={onClose} />}
    />
  );
}

function BulkApproveDialog({ onClose }: { onClose: () => void }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  return (
    <BulkActionDialog
      onClose={onClose}
      title="Approve the selected requests"
      explanation="Each request is approved in turn and its certificate issued at once, for the SAN URIs it asked for. A request already decided, or one the platform refuses (a SAN no longer bound, say), is reported as failed and changes nothing."
      confirmLabel="Approve"
      act={async (id) => {
        const { certificate } = await dp.approveRequest(id);
        return `certificate ${certificate.serial} issued for ${certificate.sanUris.join(', ')}`;
      }}
    />
  );
}
