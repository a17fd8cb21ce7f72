import { ENDPOINT_CHECK_FAILURES, type OrganizationImpactView, type OrganizationView, type SanUriImpact } from '@anchorage/contracts';
import VerifiedIcon from '@mui/icons-material/VerifiedOutlined';
import ErrorIcon from '@mui/icons-material/ErrorOutlineOutlined';
import HelpIcon from '@mui/icons-material/HelpOutlineOutlined';
import {
  Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography,
} from '@mui/material';
import { useState } from 'react';
import { useDataProvider } from 'react-admin';
import { confirmsTyped, TypedConfirmation } from '../common/TypedConfirmation';
import { useLoad } from '../common/useLoad';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';

/** The state of a SAN URI's endpoint check, in words (never by colour alone). */
export function checkText(s: SanUriImpact): string {
  switch (s.check) {
    case 'verified': return 'Verified';
    case 'failed': return `Failed: ${ENDPOINT_CHECK_FAILURES[s.lastError ?? 'unknown'] ?? ENDPOINT_CHECK_FAILURES.unknown}`;
    case 'pending': return 'Started, never run';
    default: return 'Never checked';
  }
}

function CheckState({ s }: { s: SanUriImpact }) {
  const Icon = s.check === 'verified' ? VerifiedIcon : s.check === 'failed' ? ErrorIcon : HelpIcon;
  const color = s.check === 'verified' ? 'success.main' : s.check === 'failed' ? 'error.main' : 'warning.main';
  return (
    <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
      <Icon fontSize="small" sx={{ color }} aria-hidden />
      <Typography variant="body2">{checkText(s)}</Typography>
    </Stack>
  );
}

/**
 * Approving an organization: the SAN URIs the approval binds to it for good, each with the state of its
 * endpoint-control check, a prominent warning when one failed or never ran, and a typed confirmation
 * (the organization's name) before the Approve button is enabled.
 */
export function ApproveDialog({ organization: o, onClose, onApproved }: {
  organization: OrganizationView;
  onClose: () => void;
  onApproved: (out: OrganizationView) => void;
}) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const impact = useLoad<OrganizationImpactView>(`${o.id}:${o.profileRevision}`, () => dp.getOrganizationImpact(o.id));
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const data = impact.data;
  const toBind = data?.sanUris.filter((s) => !s.alreadyBound) ?? [];
  const unproven = toBind.filter((s) => s.check !== 'verified');
  const stale = data !== undefined && data.profileRevision !== o.profileRevision;
  const ready = data !== undefined && !stale && confirmsTyped(typed, [o.name]);
  const close = () => !busy && onClose();
  const approve = async () => {
    setBusy(true);
    setError(null);
    try {
      onApproved(await dp.approveOrganization(o.id, o.profileRevision));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={close} fullWidth maxWidth="md" aria-labelledby="approve-title">
      <DialogTitle id="approve-title">Approve {o.name}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {impact.loading && !data && <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}><CircularProgress size={16} /><span>Reading what the approval binds…</span></Stack>}
          {impact.error !== undefined && <Alert severity="error" role="alert">Could not read what the approval binds: {errorText(impact.error)}</Alert>}
          {data && (
            <>
              <Typography variant="body2">
                Approving revision {o.profileRevision} of the profile makes {o.name} active and <strong>binds {toBind.length} SAN URI{toBind.length === 1 ? '' : 's'} to
                it for good</strong>: no other organization of the community can ever hold them, and certificates may name them from now on.
              </Typography>
              {stale && (
                <Alert severity="error" role="alert">
                  The member submitted the profile again (revision {data.profileRevision}) since this page loaded: close this dialog and review the new revision.
                </Alert>
              )}
              {unproven.length > 0 && (
                <Alert severity="warning" role="alert" data-testid="unproven-endpoints">
                  <strong>Warning: {unproven.length} of {toBind.length} SAN URI{toBind.length === 1 ? '' : 's'} did not pass the endpoint check</strong>{' '}
                  ({unproven.map((s) => `${s.uri}: ${checkText(s).toLowerCase()}`).join('; ')}). Nothing proves the member runs {unproven.length === 1 ? 'it' : 'them'};
                  approve only if you established that otherwise.
                </Alert>
              )}
              <Table size="small" aria-label="SAN URIs bound by the approval">
                <TableHead><TableRow><TableCell>SAN URI</TableCell><TableCell>Binding</TableCell><TableCell>Endpoint check</TableCell></TableRow></TableHead>
                <TableBody>
                  {data.sanUris.map((s) => (
                    <TableRow key={s.uri}>
                      <TableCell sx={{ wordBreak: 'break-all' }}>{s.uri}</TableCell>
                      <TableCell>{s.alreadyBound ? 'Already bound' : 'Bound for good on approval'}</TableCell>
                      <TableCell><CheckState s={s} /></TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              <TypedConfirmation expected={o.name} what="the organization's name" value={typed} onChange={setTyped} />
            </>
          )}
          {error && <Alert severity="error" role="alert">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>Cancel</Button>
        <Button color="success" variant="contained" onClick={() => void approve()} disabled={busy || !ready}>Approve and bind</Button>
      </DialogActions>
    </Dialog>
  );
}
