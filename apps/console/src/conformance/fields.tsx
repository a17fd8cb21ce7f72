import type { ConformanceCheckView, ConformanceEndpointView } from '@anchorage/contracts';
import { Box, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { StateChip } from '../common/StatusChip';

const COLORS = { passing: 'success', failing: 'error', unknown: 'default' } as const;

/** An endpoint's (or a check's) status as a chip: passing, failing, unknown. */
export function ConformanceStatusChip({ status }: { status?: string }) {
  const e = useRecordContext<ConformanceEndpointView>();
  const value = status ?? e?.status;
  return value ? <StateChip value={value} colors={COLORS} /> : null;
}

/** When, or a dash. */
export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString() : '—');

/** The codes of an endpoint's newest check: errors, then warnings. */
export function EndpointCodes() {
  const e = useRecordContext<ConformanceEndpointView>();
  if (!e) return null;
  if (e.errorCodes.length === 0 && e.warningCodes.length === 0) return <Typography variant="body2" color="text.secondary">—</Typography>;
  return (
    <Box aria-label={`Findings of ${e.baseUrl}`}>
      {e.errorCodes.map((c) => <Typography key={c} variant="body2" color="error" sx={{ fontFamily: 'monospace' }}>{c}</Typography>)}
      {e.warningCodes.map((c) => <Typography key={c} variant="body2" color="warning.main" sx={{ fontFamily: 'monospace' }}>{c}</Typography>)}
    </Box>
  );
}

/** A check's findings, each with its rule. */
export function Findings({ check }: { check: ConformanceCheckView }) {
  if (check.findings.length === 0) return <Typography variant="body2">No findings.</Typography>;
  return (
    <Box component="ul" sx={{ m: 0, pl: 2 }} aria-label="Findings">
      {check.findings.map((f, i) => (
        <li key={i}>
          <Typography variant="body2" color={f.severity === 'error' ? 'error' : 'warning.main'}>
            <Box component="span" sx={{ fontFamily: 'monospace' }}>{f.code}</Box> ({f.section}): {f.message}
          </Typography>
        </li>
      ))}
    </Box>
  );
}
