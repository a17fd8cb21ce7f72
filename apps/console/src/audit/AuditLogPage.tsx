import { Alert, Box, Button, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { Title, useDataProvider } from 'react-admin';
import type { AuditEvent, AuditQuery, AuditVerification, ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';
import { canSeeAudit, useConsolePermissions } from '../permissions';
import { useLoad } from '../common/useLoad';

/** Events per page. */
export const AUDIT_PAGE_SIZE = 50;

type Filters = Pick<AuditQuery, 'subjectId' | 'actor' | 'action'>;

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
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
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

function AuditTable({ filters }: { filters: Filters }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const [more, setMore] = useState<{ events: AuditEvent[]; done: boolean; error?: unknown; busy: boolean }>({ events: [], done: false, busy: false });
  const first = useLoad(JSON.stringify(filters), async () => {
    setMore({ events: [], done: false, busy: false });
    return dp.getAuditEvents({ ...filters, limit: AUDIT_PAGE_SIZE });
  });
  const events = [...(first.data ?? []), ...more.events];
  const done = (first.data !== undefined && first.data.length < AUDIT_PAGE_SIZE) || more.done;
  const loadMore = async () => {
    const after = events.at(-1)?.seq;
    setMore((m) => ({ ...m, busy: true, error: undefined }));
    try {
      const page = await dp.getAuditEvents({ ...filters, after, limit: AUDIT_PAGE_SIZE });
      setMore((m) => ({ events: [...m.events, ...page], done: page.length < AUDIT_PAGE_SIZE, busy: false }));
    } catch (error) {
      setMore((m) => ({ ...m, error, busy: false }));
    }
  };
  if (first.error) return <Alert severity="error">Could not load the audit log: {errorText(first.error)}</Alert>;
  if (first.loading && !first.data) return <Typography>Loading…</Typography>;
  return (
    <>
      <Table size="small" aria-label="Audit events">
        <TableHead>
          <TableRow>
            <TableCell>Seq</TableCell><TableCell>Time</TableCell><TableCell>Actor</TableCell><TableCell>Action</TableCell><TableCell>Subject</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {events.length === 0 ? (
            <TableRow><TableCell colSpan={5}>No events.</TableCell></TableRow>
          ) : events.map((e) => (
            <TableRow key={e.seq}>
              <TableCell>{e.seq}</TableCell>
              <TableCell>{new Date(e.at).toLocaleString()}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{e.actor}</TableCell>
              <TableCell>{e.action}</TableCell>
              <TableCell>{e.subjectType} <Box component="span" sx={{ fontFamily: 'monospace' }}>{e.subjectId}</Box></TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {more.error ? <Alert severity="error">Could not load more events: {errorText(more.error)}</Alert> : null}
      {!done && events.length > 0 ? (
        <Button sx={{ mt: 1 }} disabled={more.busy} onClick={() => void loadMore()}>Load more</Button>
      ) : null}
    </>
  );
}

/** The audit chain (operators of every community and auditors): filters, paging by seq, and a chain check. */
export function AuditLogPage() {
  const { permissions, isPending } = useConsolePermissions();
  const [draft, setDraft] = useState<Filters>({});
  const [filters, setFilters] = useState<Filters>({});
  if (isPending) return null;
  if (!canSeeAudit(permissions)) return <Alert severity="warning" sx={{ mt: 2 }}>The audit log is for auditors and operators of every community.</Alert>;
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ ...draft });
  };
  const field = (key: keyof Filters, label: string, helperText?: string) => (
    <TextField size="small" label={label} value={draft[key] ?? ''} helperText={helperText}
      onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))} />
  );
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title="Audit log" />
      <VerifyChain />
      <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }} component="form" onSubmit={apply} aria-label="Audit filters">
        {field('subjectId', 'Subject id')}
        {field('actor', 'Actor')}
        {field('action', 'Action', "end with '.' for a prefix, e.g. certificate.")}
        <Button type="submit" variant="contained">Apply filters</Button>
      </Stack>
      <AuditTable filters={filters} />
    </Stack>
  );
}
