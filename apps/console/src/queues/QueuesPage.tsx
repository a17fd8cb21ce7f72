import type { FailedJobView, QueuesView } from '@anchorage/contracts';
import ReplayIcon from '@mui/icons-material/Replay';
import {
  Alert, AlertTitle, Box, Button, Card, CardContent, Link, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { Title, useDataProvider, useNotify } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import { bulkRevocationPath } from '../bulk-revocations';
import { useNarrow } from '../common/narrow';
import { useLoad } from '../common/useLoad';
import type { ConsoleDataProvider } from '../dataProvider';
import { detailOf, errorText, problemOf } from '../errors';
import { canRetryJobs, canSeeQueues, useConsolePermissions } from '../permissions';

/** How often the page reads the queues again. */
export const QUEUES_REFRESH_MS = 5000;
/** Failed jobs shown per queue. */
export const FAILED_JOBS_SHOWN = 25;
/** An outbox row older than this (seconds) means Redis or the worker is not taking jobs. */
export const OUTBOX_STALE_SECONDS = 60;

const COUNTS = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused'] as const;
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** A duration for people: "45 s", "3 min 20 s", "2 h 5 min". */
export function age(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** True for the API's answer while Redis cannot be reached. */
const queueUnavailable = (err: unknown): boolean => /queue-unavailable$/.test(problemOf(err)?.type ?? '');

function LoadError({ error, what }: { error: unknown; what: string }) {
  return queueUnavailable(error) ? (
    <Alert severity="error" role="alert">
      <AlertTitle>The queues cannot be read right now</AlertTitle>
      {detailOf(error).replace(/\.$/, '')}. Issuance, revocations and suspensions still work: their jobs wait in the outbox until Redis is back.
    </Alert>
  ) : <Alert severity="error" role="alert">Could not load {what}: {errorText(error)}</Alert>;
}

function Outbox({ outbox }: { outbox: QueuesView['outbox'] }) {
  const stale = outbox.unrelayed > 0 && outbox.oldestUnrelayedSeconds > OUTBOX_STALE_SECONDS;
  return (
    <Card variant="outlined" role="region" aria-label="Outbox">
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>Outbox</Typography>
        <Table size="small" aria-label="Outbox backlog" sx={{ maxWidth: 640 }}>
          <TableBody>
            <TableRow>
              <TableCell component="th" scope="row">Committed, not yet in a queue</TableCell>
              <TableCell>{outbox.unrelayed}{outbox.unrelayed > 0 ? ` (oldest ${age(outbox.oldestUnrelayedSeconds)} old)` : ''}</TableCell>
            </TableRow>
            <TableRow>
              <TableCell component="th" scope="row">In a queue, not finished</TableCell>
              <TableCell>{outbox.relayedIncomplete}</TableCell>
            </TableRow>
          </TableBody>
        </Table>
        {stale && (
          <Alert severity="warning" role="alert" sx={{ mt: 2 }}>
            {outbox.unrelayed} job{outbox.unrelayed === 1 ? '' : 's'} not in a queue yet, the oldest for {age(outbox.oldestUnrelayedSeconds)}: jobs are waiting for Redis or a
            worker. Check that Redis is reachable and that at least one worker runs.
          </Alert>
        )}
      </CardContent>
    </Card>
  );
}

function FailedJobs({ queue, tick, canRetry, onRetried }: { queue: string; tick: number; canRetry: boolean; onRetried: () => void }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const { data, error } = useLoad(`${queue}:${tick}`, () => dp.getFailedJobs(queue, FAILED_JOBS_SHOWN));
  const [busy, setBusy] = useState<string | null>(null);
  const retry = async (job: FailedJobView) => {
    setBusy(job.id);
    try {
      await dp.retryJob(queue, job.id);
      notify(`Job ${job.id} is back in ${queue}`, { type: 'success' });
    } catch (err) {
      notify(`Could not retry job ${job.id}: ${errorText(err)}`, { type: 'error' });
    } finally {
      setBusy(null);
      onRetried();
    }
  };
  if (error) return <LoadError error={error} what={`the failed jobs of ${queue}`} />;
  if (!data) return null;
  return (
    <Box role="region" aria-label={`Failed jobs of ${queue}`}>
      <Typography variant="subtitle1" component="h3">Failed jobs of {queue}</Typography>
      {data.length === 0 ? <Typography variant="body2">None.</Typography> : (
        // on a phone the table scrolls sideways in its card, not the page
        <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label={`Failed jobs of ${queue}`}>
          <TableHead>
            <TableRow>
              <TableCell>Job</TableCell><TableCell>Error</TableCell><TableCell>Attempts</TableCell><TableCell>Created</TableCell><TableCell>Failed</TableCell>
              {canRetry && <TableCell />}
            </TableRow>
          </TableHead>
          <TableBody>
            {data.map((job) => {
              const bulkId = typeof job.data.bulkRevocationId === 'string' ? job.data.bulkRevocationId : null;
              return (
                <TableRow key={job.id}>
                  <TableCell>
                    <div>{job.name}</div>
                    <Box sx={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' }}>{job.id}</Box>
                    {bulkId && <Link component={RouterLink} to={bulkRevocationPath(bulkId)} variant="body2">bulk revocation</Link>}
                  </TableCell>
                  <TableCell sx={{ color: 'error.main', wordBreak: 'break-word' }}>{job.failedReason || 'no error recorded'}</TableCell>
                  <TableCell>{job.attemptsMade} of {job.attempts}</TableCell>
                  <TableCell>{when(job.createdAt)}</TableCell>
                  <TableCell>{when(job.failedAt)}</TableCell>
                  {canRetry && (
                    <TableCell>
                      <Button size="small" startIcon={<ReplayIcon />} disabled={busy !== null} onClick={() => void retry(job)} aria-label={`Retry ${job.id}`}>Retry</Button>
                    </TableCell>
                  )}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        </Box>
      )}
    </Box>
  );
}

function Queues({ canRetry }: { canRetry: boolean }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), QUEUES_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const narrow = useNarrow();
  const { data, error } = useLoad(`queues:${tick}`, () => dp.getQueues());
  const again = () => setTick((t) => t + 1);
  if (error) return <LoadError error={error} what="the queues" />;
  if (!data) return <Typography>Loading…</Typography>;
  return (
    <>
      <Outbox outbox={data.outbox} />
      <Card variant="outlined">
        <CardContent>
          <Typography variant="h6" component="h2" gutterBottom>Queues</Typography>
          {narrow ? (
            <Stack component="ul" aria-label="Queues" spacing={1} sx={{ listStyle: 'none', m: 0, p: 0 }}>
              {data.queues.map((q) => (
                <Box component="li" key={q.name}>
                  <Typography variant="body2" sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>{q.name}</Typography>
                  <Typography variant="body2" color="text.secondary">
                    {COUNTS.map((c, k) => (
                      <Box component="span" key={c} sx={c === 'failed' && q.counts.failed > 0 ? { color: 'error.main', fontWeight: 600 } : undefined}>
                        {k > 0 ? ' · ' : ''}{c} {q.counts[c]}
                      </Box>
                    ))}
                  </Typography>
                </Box>
              ))}
            </Stack>
          ) : (
          <Table size="small" aria-label="Queues">
            <TableHead>
              <TableRow>
                <TableCell>Queue</TableCell>
                {COUNTS.map((c) => <TableCell key={c} align="right">{c}</TableCell>)}
              </TableRow>
            </TableHead>
            <TableBody>
              {data.queues.map((q) => (
                <TableRow key={q.name}>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{q.name}</TableCell>
                  {COUNTS.map((c) => (
                    <TableCell key={c} align="right" sx={c === 'failed' && q.counts.failed > 0 ? { color: 'error.main', fontWeight: 600 } : undefined}>{q.counts[c]}</TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          )}
        </CardContent>
      </Card>
      {data.queues.filter((q) => q.counts.failed > 0).map((q) => (
        <Card variant="outlined" key={q.name}>
          <CardContent>
            <FailedJobs queue={q.name} tick={tick} canRetry={canRetry} onRetried={again} />
          </CardContent>
        </Card>
      ))}
    </>
  );
}

/**
 * The worker's queues (operators and auditors): jobs by state, the outbox backlog (a warning when
 * committed jobs wait for Redis or a worker), and each queue's failed jobs with their error, which
 * operators retry. Read again every 5 s; Redis being down is a readable error, not a broken page.
 */
export function QueuesPage() {
  const { permissions, isPending } = useConsolePermissions();
  if (isPending) return null;
  if (!canSeeQueues(permissions)) return <Alert severity="warning" sx={{ mt: 2 }}>The queues are for operators and auditors.</Alert>;
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title="Queues" />
      <Typography variant="body2" color="text.secondary">Updated every {QUEUES_REFRESH_MS / 1000} s.</Typography>
      <Queues canRetry={canRetryJobs(permissions)} />
    </Stack>
  );
}
