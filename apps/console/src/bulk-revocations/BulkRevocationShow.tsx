import { parseActorId, type BulkRevocationView } from '@anchorage/contracts';
import { Alert, Box, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { DateField, FunctionField, Labeled, NumberField, ReferenceField, Show, SimpleShowLayout, TextField, useGetOne, useRecordContext } from 'react-admin';
import { can, useConsolePermissions } from '../permissions';
import { BULK_REFRESH_MS, BulkProgress, BulkStatusChip, CaName, CAUSE_LABELS, isUnderway, refetchWhileUnderway } from './fields';

/**
 * Who started it, from its actor id (never sent to /users: it is not a user id): a person by name for
 * those who may read every user (auditors, operators of all communities; others would be answered 404),
 * else by e-mail address; an API token by name; anything else as the actor id.
 */
function RequestedBy({ actorId }: { actorId: string }) {
  const { permissions } = useConsolePermissions();
  const who = parseActorId(actorId);
  const userId = who.kind === 'user' ? who.userId : '';
  const readsEveryUser = can(permissions, 'users', 'show') && (permissions?.role === 'auditor' || permissions?.communities === 'all');
  const { data } = useGetOne<{ id: string; displayName: string; email: string }>('users', { id: userId }, { enabled: userId !== '' && readsEveryUser, retry: false });
  if (who.kind === 'token') return <Typography variant="body2" component="span">API token {who.name}</Typography>;
  if (who.kind === 'other') return <Typography variant="body2" component="span" sx={{ fontFamily: 'monospace' }}>{who.id}</Typography>;
  return <Typography variant="body2" component="span">{data ? data.displayName || data.email : who.email}</Typography>;
}

/** The CRL of each CA that lists every certificate revoked, once the run completed. */
function CrlNumbers({ b }: { b: BulkRevocationView }) {
  const entries = Object.entries(b.crlNumbers ?? {});
  if (entries.length === 0) {
    return <Typography variant="body2">{b.status === 'completed' ? 'none' : 'not yet: the CRLs are generated once the last batch is done'}</Typography>;
  }
  return (
    <Table size="small" aria-label="CRL numbers" sx={{ maxWidth: 720 }}>
      <TableHead><TableRow><TableCell>CA</TableCell><TableCell>CRL number</TableCell></TableRow></TableHead>
      <TableBody>
        {entries.map(([caId, crlNumber]) => (
          <TableRow key={caId}>
            <TableCell><CaName id={caId} /></TableCell>
            <TableCell>#{crlNumber}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Body() {
  const b = useRecordContext<BulkRevocationView>();
  if (!b) return null;
  return (
    <SimpleShowLayout>
      <FunctionField label="Status" render={() => (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <BulkStatusChip />
          {isUnderway(b) && <Typography variant="caption" color="text.secondary">updating every {BULK_REFRESH_MS / 1000} s</Typography>}
        </Stack>
      )} />
      {b.lastError && (
        <Labeled label="Last error" fullWidth>
          <Alert severity={b.status === 'failed' ? 'error' : 'warning'} role="alert">{b.lastError}</Alert>
        </Labeled>
      )}
      <Labeled label="Certificates revoked" fullWidth><Box sx={{ maxWidth: 480 }}><BulkProgress /></Box></Labeled>
      <NumberField source="batches" label="Batches" />
      <FunctionField<BulkRevocationView> label="Cause" render={(r) => CAUSE_LABELS[r.cause] ?? r.cause} />
      <TextField source="reason" label="Revocation reason (RFC 5280)" />
      {b.organizationId && <ReferenceField source="organizationId" reference="organizations" label="Organization" link="show" />}
      {b.caId && <Labeled label="CA"><Typography variant="body2" component="span"><CaName id={b.caId} /></Typography></Labeled>}
      <ReferenceField source="communityId" reference="communities" label="Community" link="show" />
      <Labeled label="Requested by"><RequestedBy actorId={b.requestedBy} /></Labeled>
      <DateField source="createdAt" label="Requested" showTime />
      <DateField source="startedAt" label="Started" showTime emptyText="—" />
      <DateField source="finishedAt" label="Finished" showTime emptyText="—" />
      <Labeled label="CRLs that list them" fullWidth><CrlNumbers b={b} /></Labeled>
      <TextField source="id" label="Id" sx={{ fontFamily: 'monospace' }} />
    </SimpleShowLayout>
  );
}

/** One bulk revocation: what it revokes and why, its progress (read again every 2 s while underway), its error and CRLs. */
export function BulkRevocationShow() {
  return (
    <Show title="Bulk revocation" queryOptions={{ refetchInterval: refetchWhileUnderway }}>
      <Body />
    </Show>
  );
}
