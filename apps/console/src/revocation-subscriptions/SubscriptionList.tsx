import { isOutboundFailure, OUTBOUND_FAILURES, type RevocationSubscriptionView } from '@anchorage/contracts';
import { Box, Typography } from '@mui/material';
import { DataTable, DateField, FilterButton, FunctionField, List, ReferenceField, SelectInput, TopToolbar, useRecordContext } from 'react-admin';
import { CardField, CardsWhenNarrow, RecordCards } from '../common/RecordCards';
import { StateChip } from '../common/StatusChip';
import { isMemberAdmin, useConsolePermissions } from '../permissions';
import { SubscribeButton, SubscriptionRowActions } from './SubscriptionActions';

const HEALTH_COLORS = { ok: 'success', failing: 'error', paused: 'warning', cancelled: 'default' } as const;
const HEALTH_LABELS: Record<string, string> = { ok: 'delivering', failing: 'failing', paused: 'paused', cancelled: 'cancelled' };
const STATUS_CHOICES = [{ id: 'active', name: 'active' }, { id: 'paused', name: 'paused' }, { id: 'cancelled', name: 'cancelled' }];

const statusFilter = <SelectInput key="status" source="status" label="Status" choices={STATUS_CHOICES} alwaysOn />;

/** A delivery failure in the fixed words of its code (the API never sends what the receiver said). */
export const failureText = (code: string): string => (isOutboundFailure(code) ? OUTBOUND_FAILURES[code] : 'The delivery failed; it is retried.');

/** Whose subscription it is: a relying party an operator registered, or a member organization. */
function Owner() {
  return (
    <FunctionField<RevocationSubscriptionView> render={(s) => (s.organizationId
      ? <ReferenceField source="organizationId" reference="organizations" link="show" />
      : <span>{s.relyingParty} <Typography component="span" variant="caption" color="text.secondary">(relying party)</Typography></span>)} />
  );
}

/** Health as a chip; a paused one says why. */
function Health() {
  const s = useRecordContext<RevocationSubscriptionView>();
  if (!s) return null;
  const label = s.health === 'paused' && s.pausedReason === 'failing' ? 'paused: failing' : HEALTH_LABELS[s.health];
  return <StateChip value={s.health} colors={HEALTH_COLORS} labels={{ [s.health]: label }} />;
}

/** The delivery status: when the last notice was accepted, and the failures since (with the last error). */
function Delivery() {
  const s = useRecordContext<RevocationSubscriptionView>();
  if (!s) return null;
  return (
    <Box>
      <Typography variant="body2">{s.lastDeliveredAt ? `last delivered ${new Date(s.lastDeliveredAt).toLocaleString()}` : 'nothing delivered yet'}</Typography>
      {s.consecutiveFailures > 0 && s.lastError ? (
        <Typography variant="body2" color="error" aria-label="Last error">
          {s.consecutiveFailures} failed attempt{s.consecutiveFailures === 1 ? '' : 's'} in a row: {failureText(s.lastError)}
        </Typography>
      ) : null}
    </Box>
  );
}

/** The list's toolbar: the filters and "Subscribe". */
function ListActions() {
  return (
    <TopToolbar sx={{ flexWrap: 'wrap' }}>
      <FilterButton />
      <SubscribeButton />
    </TopToolbar>
  );
}

/**
 * Relying parties' subscriptions to the community's revocation notices, newest first, with whether
 * their receivers are accepting them; operators and member admins subscribe, pause, resume, rotate the
 * secret of and delete them. The API lists a member admin's organization's only. On a phone, one card each
 * (its actions on the card).
 */
export function SubscriptionList() {
  const { permissions } = useConsolePermissions();
  const mine = isMemberAdmin(permissions);
  return (
    <List<RevocationSubscriptionView> title="Revocation notices" filters={[statusFilter]} sort={{ field: 'createdAt', order: 'DESC' }} exporter={false}
      actions={<ListActions />} empty={false}>
      <CardsWhenNarrow cards={(
        <RecordCards<RevocationSubscriptionView> title={(s) => s.callbackUrl} label="Revocation notice subscriptions">
          {!mine && <CardField label="Subscriber"><Owner /></CardField>}
          <CardField label="Health"><Health /></CardField>
          <CardField label="Delivery"><Delivery /></CardField>
          <CardField label="Created"><DateField source="createdAt" showTime /></CardField>
          <SubscriptionRowActions />
        </RecordCards>
      )}>
      <DataTable rowClick={false} bulkActionButtons={false}>
        {!mine && <DataTable.Col label="Subscriber" disableSort><Owner /></DataTable.Col>}
        <DataTable.Col source="callbackUrl" label="Callback URL" disableSort>
          <FunctionField<RevocationSubscriptionView> render={(s) => <Typography variant="body2" sx={{ wordBreak: 'break-all', fontFamily: 'monospace' }}>{s.callbackUrl}</Typography>} />
        </DataTable.Col>
        <DataTable.Col source="status" label="Health"><Health /></DataTable.Col>
        <DataTable.Col label="Delivery" disableSort><Delivery /></DataTable.Col>
        <DataTable.Col source="createdAt" label="Created"><DateField source="createdAt" showTime /></DataTable.Col>
        <DataTable.Col label="" disableSort><SubscriptionRowActions /></DataTable.Col>
      </DataTable>
      </CardsWhenNarrow>
    </List>
  );
}
