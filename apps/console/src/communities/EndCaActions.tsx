import type { CaImpactView, CaView, EndedCaView } from '@anchorage/contracts';
import DangerousIcon from '@mui/icons-material/Dangerous';
import ArchiveIcon from '@mui/icons-material/Archive';
import {
  Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, Link, MenuItem, Stack, TextField, Typography,
} from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import { bulkRevocationPath } from '../bulk-revocations';
import { AffectedCertificatesText, confirmsTyped, TypedConfirmation } from '../common/TypedConfirmation';
import { useLoad } from '../common/useLoad';
import type { ConsoleDataProvider, RetirementReason } from '../dataProvider';
import { errorText } from '../errors';
import { canEndCa, useConsolePermissions } from '../permissions';

/** What an operator types to confirm a compromise, besides the CA's subject. */
export const COMPROMISE_WORD = 'COMPROMISED';
/** What an operator types to confirm a retirement, besides the CA's subject. */
export const RETIRE_WORD = 'RETIRE';

const RETIREMENT_REASONS: RetirementReason[] = ['cessationOfOperation', 'superseded'];

type Ending = 'retire' | 'compromise';

/** Whether the typed confirmation names the CA (its subject) or is the word COMPROMISED. */
export const confirmsCompromise = (typed: string, subject: string): boolean => confirmsTyped(typed, [subject, COMPROMISE_WORD]);

/** Who revokes the CA's own certificate, in words: the platform on its parent's CRL, or an offline root's operator. */
function parentText(i: CaImpactView): string {
  if (!i.parent) return 'It is a root: no parent CRL lists it.';
  if (i.revokedOnParentCrl) return `Its own certificate is revoked on the CRL of ${i.parent.subject}, published at once.`;
  return `Its parent ${i.parent.subject} is an offline root: its operator must revoke this CA's certificate on the root's CRL (the platform cannot sign it).`;
}

function EndCaDialog({ ca, ending, onClose, onEnded }: { ca: CaView; ending: Ending; onClose: () => void; onEnded: (out: EndedCaView) => void }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const [reason, setReason] = useState('');
  const [revocationReason, setRevocationReason] = useState<RetirementReason>('cessationOfOperation');
  const [confirmation, setConfirmation] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const compromise = ending === 'compromise';
  const impact = useLoad<CaImpactView>(`${ca.id}:${ending}`, () => dp.getCaImpact(ca.id));
  const word = compromise ? COMPROMISE_WORD : RETIRE_WORD;
  // both are irreversible: the counts read and the subject (or the word) typed before the button enables
  const ready = reason.trim() !== '' && impact.data !== undefined && confirmsTyped(confirmation, [ca.subject, word]);
  const close = () => !busy && onClose();
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const out = compromise ? await dp.compromiseCa(ca.id, reason.trim()) : await dp.retireCa(ca.id, { reason: reason.trim(), revocationReason });
      onEnded(out);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={close} fullWidth maxWidth="sm">
      <DialogTitle>{compromise ? `Declare ${ca.subject} compromised` : `Retire ${ca.subject}`}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {compromise ? (
            <Alert severity="error">
              Every certificate this CA issued will be revoked with <strong>cACompromise</strong>, and the CA&apos;s own certificate is revoked on its
              parent&apos;s CRL. Nothing is issued by it again. <strong>This cannot be undone.</strong>
            </Alert>
          ) : (
            <Typography variant="body2">
              The CA stops issuing for good; every live certificate it issued is revoked with the reason below, in the background, and its own
              certificate goes on its parent&apos;s CRL. It keeps publishing CRLs until its certificate expires. <strong>This cannot be undone.</strong>
            </Typography>
          )}
          {impact.loading && !impact.data && <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}><CircularProgress size={16} /><span>Counting what it issued…</span></Stack>}
          {impact.error !== undefined && <Alert severity="error" role="alert">Could not count what it issued: {errorText(impact.error)}</Alert>}
          {impact.data && (
            <>
              <AffectedCertificatesText counts={impact.data.certificates} revoked />
              <Typography variant="body2" data-testid="parent-crl">{parentText(impact.data)}</Typography>
            </>
          )}
          <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} multiline minRows={2} fullWidth autoFocus required
            helperText="Recorded in the audit log" slotProps={{ htmlInput: { maxLength: 1000 } }} />
          {!compromise && (
            <TextField select label="Revocation reason" value={revocationReason} onChange={(e) => setRevocationReason(e.target.value as RetirementReason)}
              helperText="RFC 5280 reason given to every certificate it issued">
              {RETIREMENT_REASONS.map((r) => <MenuItem key={r} value={r}>{r}</MenuItem>)}
            </TextField>
          )}
          <TypedConfirmation expected={ca.subject} word={word} what="the CA's subject" value={confirmation} onChange={setConfirmation} />
          {error && <Alert severity="error" role="alert">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>Cancel</Button>
        <Button color="error" variant="contained" onClick={() => void confirm()} disabled={busy || !ready}>
          {compromise ? 'Declare compromised' : 'Retire'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * An operator's end of an issuing CA: retire an active one, or declare an active or retired one
 * compromised (a typed confirmation first). The answer's notice (an offline root's operator must
 * revoke the CA's certificate) and a link to the bulk revocation it started stay on the card.
 */
export function EndCaActions({ ca }: { ca: CaView }) {
  const { permissions } = useConsolePermissions();
  const notify = useNotify();
  const refresh = useRefresh();
  const [ending, setEnding] = useState<Ending | null>(null);
  const [outcome, setOutcome] = useState<EndedCaView | null>(null);
  const endable = canEndCa(permissions) && ca.role === 'issuing';
  const onEnded = (out: EndedCaView) => {
    setEnding(null);
    setOutcome(out);
    notify(`${out.ca.subject} ${out.ca.status}: revoking every certificate it issued (${out.bulkRevocation.reason})`, { type: 'success' });
    refresh();
  };
  return (
    <>
      {endable && (ca.status === 'active' || ca.status === 'retired') && (
        <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
          {ca.status === 'active' && <Button size="small" color="warning" startIcon={<ArchiveIcon />} onClick={() => setEnding('retire')}>Retire</Button>}
          <Button size="small" color="error" startIcon={<DangerousIcon />} onClick={() => setEnding('compromise')}>Declare compromised</Button>
        </Stack>
      )}
      {outcome && (
        <Stack spacing={1} sx={{ mt: 1 }}>
          <Alert severity="success">
            {outcome.ca.subject} is {outcome.ca.status}
            {outcome.parentCrlNumber ? `; its parent's CRL #${outcome.parentCrlNumber} lists it` : ''}.{' '}
            <Link component={RouterLink} to={bulkRevocationPath(outcome.bulkRevocation.id)}>Follow the revocation of its certificates</Link>
          </Alert>
          {outcome.notice && <Alert severity="warning" role="alert">{outcome.notice}</Alert>}
        </Stack>
      )}
      {ending && <EndCaDialog ca={ca} ending={ending} onClose={() => setEnding(null)} onEnded={onEnded} />}
    </>
  );
}
