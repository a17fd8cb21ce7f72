import {
  Alert, Box, Button, Divider, Drawer, IconButton, Link, List, ListItem, ListItemButton, ListItemText, Stack, Table, TableBody, TableCell, TableHead, TablePagination, TableRow, TableSortLabel,
  TextField, Typography,
} from '@mui/material';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Title, useDataProvider } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import { downloadBlob } from '../certificates/download';
import type { AuditEvent, AuditFilter, AuditSort, AuditVerification, ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';
import { canSeeAudit, useConsolePermissions } from '../permissions';
import { useNarrow } from '../common/narrow';
import { useLoad } from '../common/useLoad';
import { CodeBlock } from '../common/CodeBlock';

/** Events per page, at first. */
export const AUDIT_PAGE_SIZE = 25;

/** The console resource that shows a subject of each type, where there is one. */
const SUBJECT_RESOURCES: Record<string, string> = {
  certificate: 'certificates', organization: 'organizations', community: 'communities', 'certificate-request': 'certificate-requests',
  user: 'users', 'bulk-revocation': 'bulk-revocations',
};

/** The console path of an event's subject, or null when the console has no page for its type. */
export function subjectPath(e: Pick<AuditEvent, 'subjectType' | 'subjectId'>): string | null {
  const resource = SUBJECT_RESOURCES[e.subjectType];
  return resource ? `/${resource}/${encodeURIComponent(e.subjectId)}/show` : null;
}

/** The day after `date` (YYYY-MM-DD): a "to" date is inclusive here, exclusive in the API. */
function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** What the form holds: the API's filter, with `to` as the last day shown. */
type Draft = AuditFilter;

function apiFilter(d: Draft): AuditFilter {
  return { ...d, to: d.to ? dayAfter(d.to) : undefined };
}

function VerifyChain() {
  const dp = useDataProvider<ConsoleDataProvider>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ result?: AuditVerification; error?: unknown } | null>(null);
  const verify = async () => {
    setBusy(true);
    try {
      setOutcome({ result: await dp.verifyAudit() });
    } catch (error) {
      setOutcome({ error });
    } finally {
      setBusy(false);
    }
  };
  const r = outcome?.result;
  return (
    <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
      <Button variant="outlined" disabled={busy} onClick={() => void verify()}>Verify chain</Button>
      {outcome?.error ? <Alert severity="error">Could not verify the chain: {errorText(outcome.error)}</Alert> : null}
      {r?.ok ? <Alert severity="success">Chain intact: {r.checked} events</Alert> : null}
      {r && !r.ok ? (
        <Alert severity="error">
          Chain broken at event {r.problem?.seq ?? '?'}: {r.problem?.message ?? 'no reason given'} ({r.checked} events checked)
        </Alert>
      ) : null}
    </Stack>
  );
}

function Detail({ event, onClose }: { event: AuditEvent | null; onClose: () => void }) {
  const path = event ? subjectPath(event) : null;
  const line = (label: string, value: ReactNode) => (
    <Box>
      <Typography variant="caption" color="text.secondary">{label}</Typography>
      <Typography sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{value}</Typography>
    </Box>
  );
  return (
    <Drawer anchor="right" open={event !== null} onClose={onClose}>
      {event ? (
        <Stack spacing={1.5} sx={{ width: 560, maxWidth: '100vw', p: 2 }} role="region" aria-label="Audit event">
          <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
            <Typography variant="h6">{event.action}</Typography>
            <IconButton aria-label="Close" onClick={onClose}>×</IconButton>
          </Stack>
          {line('Seq', event.seq)}
          {line('Chain seq', event.chainSeq ?? 'not linked yet')}
          {line('Time', `${event.at} (${new Date(event.at).toLocaleString()})`)}
          {line('Actor', event.actor)}
          {line('Subject', path
            ? <Link component={RouterLink} to={path}>{event.subjectType} {event.subjectId}</Link>
            : `${event.subjectType} ${event.subjectId}`)}
          {line('Hash', event.hash ?? 'not linked yet')}
          {line('Previous hash', event.prevHash ?? 'not linked yet')}
          <Divider />
          <Typography variant="caption" color="text.secondary">Payload</Typography>
          <CodeBlock label="Payload" fontSize={13}>{JSON.stringify(event.data, null, 2)}</CodeBlock>
        </Stack>
      ) : null}
    </Drawer>
  );
}

function Exports({ filter, sort, total }: { filter: AuditFilter; sort: AuditSort; total: number | undefined }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (format: 'csv' | 'jsonl') => {
    setBusy(true);
    setError(null);
    try {
      downloadBlob(`audit-events.${format}`, await dp.exportAudit({ format, filter, sort }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
      <Typography variant="body2">Export {total === undefined ? 'the filtered events' : `${total} ${total === 1 ? 'event' : 'events'}`}:</Typography>
      <Button size="small" variant="outlined" disabled={busy || total === 0} onClick={() => void run('csv')}>Export CSV</Button>
      <Button size="small" variant="outlined" disabled={busy || total === 0} onClick={() => void run('jsonl')}>Export JSON lines</Button>
      {error ? <Alert severity="error">Could not export: {errorText(error)}</Alert> : null}
    </Stack>
  );
}

/**
 * The events as a phone shows them: one entry each (action, time, actor, subject), which opens the event's
 * details as a table row does; newest first, as the table's default order.
 */
function AuditCards({ events, onOpen }: { events: AuditEvent[]; onOpen: (e: AuditEvent) => void }) {
  if (events.length === 0) return <Typography variant="body2">No events.</Typography>;
  return (
    <List aria-label="Audit events" disablePadding>
      {events.map((e) => (
        <ListItem key={e.seq} disablePadding divider>
          <ListItemButton onClick={() => onOpen(e)} sx={{ px: 1, overflowWrap: 'anywhere' }}>
            <ListItemText
              primary={`${e.action} · #${e.seq}`}
              secondary={(
                <>
                  {new Date(e.at).toLocaleString()} · <Box component="span" sx={{ fontFamily: 'monospace' }}>{e.actor}</Box>
                  <br />
                  {e.subjectType} <Box component="span" sx={{ fontFamily: 'monospace' }}>{e.subjectId}</Box>
                </>
              )}
            />
          </ListItemButton>
        </ListItem>
      ))}
    </List>
  );
}

function AuditTable({ filter }: { filter: AuditFilter }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const narrow = useNarrow();
  const [page, setPage] = useState(0);
  const [size, setSize] = useState(AUDIT_PAGE_SIZE);
  const [sort, setSort] = useState<AuditSort>(['seq', 'DESC']);
  const [open, setOpen] = useState<AuditEvent | null>(null);
  const key = JSON.stringify({ filter, page, size, sort });
  const loaded = useLoad(key, () => dp.getAuditPage({ first: page * size, last: page * size + size - 1, sort, filter }));
  const order = (field: AuditSort[0]) => {
    setSort(([f, d]) => [field, f === field && d === 'DESC' ? 'ASC' : 'DESC']);
    setPage(0);
  };
  const head = (field: AuditSort[0], label: string) => (
    <TableCell sortDirection={sort[0] === field ? (sort[1] === 'ASC' ? 'asc' : 'desc') : false}>
      <TableSortLabel active={sort[0] === field} direction={sort[0] === field && sort[1] === 'ASC' ? 'asc' : 'desc'} onClick={() => order(field)}>{label}</TableSortLabel>
    </TableCell>
  );
  if (loaded.error) return <Alert severity="error">Could not load the audit log: {errorText(loaded.error)}</Alert>;
  if (!loaded.data) return <Typography>Loading…</Typography>;
  const { events, total } = loaded.data;
  return (
    <>
      <Exports filter={filter} sort={sort} total={total} />
      {narrow ? <AuditCards events={events} onOpen={setOpen} /> : (
      <Table size="small" aria-label="Audit events">
        <TableHead>
          <TableRow>
            {head('seq', 'Seq')}{head('at', 'Time')}<TableCell>Actor</TableCell><TableCell>Action</TableCell><TableCell>Subject</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {events.length === 0 ? (
            <TableRow><TableCell colSpan={5}>No events.</TableCell></TableRow>
          ) : events.map((e) => (
            <TableRow key={e.seq} hover sx={{ cursor: 'pointer' }} onClick={() => setOpen(e)}>
              <TableCell>{e.seq}</TableCell>
              <TableCell>{new Date(e.at).toLocaleString()}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{e.actor}</TableCell>
              <TableCell>{e.action}</TableCell>
              <TableCell>{e.subjectType} <Box component="span" sx={{ fontFamily: 'monospace' }}>{e.subjectId}</Box></TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      )}
      <TablePagination component="div" count={total} page={page} rowsPerPage={size} rowsPerPageOptions={narrow ? [] : [25, 50, 100]}
        onPageChange={(_, p) => setPage(p)} onRowsPerPageChange={(e) => { setSize(Number(e.target.value)); setPage(0); }} />
      <Detail event={open} onClose={() => setOpen(null)} />
    </>
  );
}

/** The audit log (operators of every community and auditors): newest first, server paging and sorting, filters, details, export, and a chain check. */
export function AuditLogPage() {
  const { permissions, isPending } = useConsolePermissions();
  const [draft, setDraft] = useState<Draft>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  if (isPending) return null;
  if (!canSeeAudit(permissions)) return <Alert severity="warning" sx={{ mt: 2 }}>The audit log is for auditors and operators of every community.</Alert>;
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter(apiFilter(draft));
  };
  const field = (key: keyof Draft, label: string, extra: { helperText?: string; type?: string } = {}) => (
    <TextField size="small" label={label} value={draft[key] ?? ''} helperText={extra.helperText} type={extra.type} fullWidth={false} sx={{ width: 220 }}
      slotProps={extra.type === 'date' ? { inputLabel: { shrink: true } } : undefined}
      onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))} />
  );
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title="Audit log" />
      <VerifyChain />
      <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'flex-start', flexWrap: 'wrap' }} component="form" onSubmit={apply} aria-label="Audit filters">
        {field('q', 'Search', { helperText: 'action, actor, subject id or payload' })}
        {field('actor', 'Actor')}
        {field('action', 'Action', { helperText: 'a prefix, e.g. certificate.' })}
        {field('subjectType', 'Subject type')}
        {field('subjectId', 'Subject id')}
        {field('from', 'From (UTC)', { type: 'date' })}
        {field('to', 'To (UTC, inclusive)', { type: 'date' })}
        <Button type="submit" variant="contained">Apply filters</Button>
        <Button onClick={() => { setDraft({}); setFilter({}); }}>Clear</Button>
      </Stack>
      <AuditTable key={JSON.stringify(filter)} filter={filter} />
    </Stack>
  );
}
