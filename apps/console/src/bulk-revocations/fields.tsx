import type { BulkRevocationView } from '@anchorage/contracts';
import { Box, LinearProgress, Stack, Typography } from '@mui/material';
import { useGetOne, useRecordContext } from 'react-admin';
import { StateChip } from '../common/StatusChip';

const COLORS = { queued: 'info', running: 'warning', completed: 'success', failed: 'error' } as const;

/** How each cause reads. */
export const CAUSE_LABELS: Record<BulkRevocationView['cause'], string> = {
  'organization-suspended': 'organization suspended',
  'ca-retired': 'CA retired',
  'ca-compromised': 'CA compromised',
};

/** Status filter choices. */
export const BULK_STATUS_CHOICES = (['queued', 'running', 'completed', 'failed'] as const).map((id) => ({ id, name: id }));

/** How often a queued or running bulk revocation is read again while shown. */
export const BULK_REFRESH_MS = 2000;

/** Queued or running: its progress still moves. */
export const isUnderway = (b: Pick<BulkRevocationView, 'status'>): boolean => b.status === 'queued' || b.status === 'running';

/** react-query's refetchInterval for one bulk revocation: every 2 s while it is underway. */
export const refetchWhileUnderway = (query: { state: { data?: BulkRevocationView } }): number | false =>
  query.state.data && isUnderway(query.state.data) ? BULK_REFRESH_MS : false;

/** react-query's refetchInterval for a list: every 2 s while one of its rows is underway. */
export const refetchListWhileUnderway = (query: { state: { data?: { data?: BulkRevocationView[] } } }): number | false =>
  (query.state.data?.data ?? []).some(isUnderway) ? BULK_REFRESH_MS : false;

/** The bulk revocation's status as a chip. */
export function BulkStatusChip() {
  const b = useRecordContext<BulkRevocationView>();
  return b ? <StateChip value={b.status} colors={COLORS} /> : null;
}

/** "revoked / total" with a bar (total is unknown until a run starts counting). */
export function BulkProgress() {
  const b = useRecordContext<BulkRevocationView>();
  if (!b) return null;
  const text = `${b.revoked} / ${b.total ?? '?'}`;
  const value = b.total ? Math.min(100, Math.round((b.revoked / b.total) * 100)) : b.status === 'completed' ? 100 : 0;
  const counting = b.total === null && b.status === 'running';
  const color = b.status === 'failed' ? 'error' : b.status === 'completed' ? 'success' : 'primary';
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', minWidth: 180 }}>
      <Box sx={{ flexGrow: 1 }}>
        <LinearProgress variant={counting ? 'indeterminate' : 'determinate'} value={value} color={color} aria-label="Revocation progress" sx={{ height: 8, borderRadius: 1 }} />
      </Box>
      <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>{text}</Typography>
    </Stack>
  );
}

/** A CA by its subject (GET /cas/{id}), or its id when it cannot be read. */
export function CaName({ id }: { id: string }) {
  const { data } = useGetOne<{ id: string; subject: string }>('cas', { id }, { retry: false });
  return data ? <span>{data.subject}</span> : <Box component="span" sx={{ fontFamily: 'monospace' }}>{id}</Box>;
}
