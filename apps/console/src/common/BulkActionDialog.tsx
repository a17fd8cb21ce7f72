import CheckIcon from '@mui/icons-material/CheckCircleOutlined';
import ErrorIcon from '@mui/icons-material/ErrorOutlineOutlined';
import {
  Button, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, List, ListItem, ListItemIcon, ListItemText, Stack, Typography,
} from '@mui/material';
import { useState, type ReactNode } from 'react';
import { useListContext, useRefresh } from 'react-admin';
import { confirmsTyped, TypedConfirmation } from './TypedConfirmation';

/** One selected record's result. */
interface Outcome {
  id: string;
  ok: boolean;
  message: string;
}

/**
 * An action on the records selected in a list, one request per record in turn (each through the API
 * route the single action uses, so each is checked, audited and answered on its own). Irreversible
 * actions ask for the count typed (`typed`); the dialog shows progress, then every record's outcome in
 * words (with an icon, never colour alone); the records that failed stay selected for another try.
 * Open while mounted (BulkActionButton mounts it, in the list's ListDialogHost): closing unmounts it.
 */
export function BulkActionDialog({ onClose, title, explanation, confirmLabel, typed, act, children, ready = true }: {
  onClose: () => void;
  title: string;
  explanation: ReactNode;
  confirmLabel: string;
  /** The word to type with the count, e.g. "revoke" (type "revoke 3"); none: no typed confirmation. */
  typed?: string;
  /** Does the action to one record; resolves with what to say of it, throws with why not. */
  act: (id: string) => Promise<string>;
  /** More inputs (a reason). */
  children?: ReactNode;
  /** False while those inputs are incomplete. */
  ready?: boolean;
}) {
  const { selectedIds, onSelect } = useListContext();
  const refresh = useRefresh();
  const [confirmation, setConfirmation] = useState('');
  const [running, setRunning] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  // the records of the run in progress (the selection may change under it)
  const [runIds, setRunIds] = useState<string[] | null>(null);
  const ids = runIds ?? selectedIds.map(String);
  const expected = typed ? `${typed} ${ids.length}` : '';
  const confirmed = !typed || confirmsTyped(confirmation, [expected]);

  const run = async () => {
    setRunning(true);
    setRunIds(ids);
    const done: Outcome[] = [];
    setOutcomes([]);
    for (const id of ids) {
      try {
        done.push({ id, ok: true, message: await act(id) });
      } catch (err) {
        done.push({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
      }
      setOutcomes([...done]);
    }
    setRunning(false);
  };
  const close = () => {
    if (running) return;
    if (outcomes) {
      // what failed stays selected for another try; the list shows what changed
      onSelect(outcomes.filter((o) => !o.ok).map((o) => o.id));
      refresh();
    }
    onClose();
  };
  const failed = outcomes?.filter((o) => !o.ok).length ?? 0;

  return (
    <Dialog open onClose={close} fullWidth maxWidth="sm" aria-labelledby="bulk-action-title">
      <DialogTitle id="bulk-action-title">{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <Typography variant="body2">{explanation}</Typography>
          {outcomes === null && children}
          {outcomes === null && typed && (
            <TypedConfirmation expected={expected} what={`"${typed}" and the number of selected records`} value={confirmation} onChange={setConfirmation} />
          )}
          {outcomes !== null && (
            <>
              <LinearProgress variant="determinate" value={(100 * outcomes.length) / Math.max(ids.length, 1)} aria-label="Progress" />
              <Typography variant="body2" role="status">
                {running ? `${outcomes.length} of ${ids.length} done…` : `${ids.length - failed} of ${ids.length} done${failed ? `, ${failed} failed (still selected)` : ''}`}
              </Typography>
              <List dense aria-label="Outcomes">
                {outcomes.map((o) => (
                  <ListItem key={o.id} disableGutters>
                    <ListItemIcon sx={{ minWidth: 32 }}>{o.ok ? <CheckIcon color="success" /> : <ErrorIcon color="error" />}</ListItemIcon>
                    <ListItemText primary={`${o.ok ? 'Done' : 'Failed'}: ${o.message}`} secondary={o.id} />
                  </ListItem>
                ))}
              </List>
            </>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        {outcomes === null ? (
          <>
            <Button onClick={close}>Cancel</Button>
            <Button color="error" variant="contained" onClick={() => void run()} disabled={!confirmed || !ready || ids.length === 0}>
              {confirmLabel} ({ids.length})
            </Button>
          </>
        ) : (
          <Button onClick={close} disabled={running} variant="contained">Close</Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
