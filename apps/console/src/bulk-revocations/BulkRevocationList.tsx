import type { BulkRevocationView } from '@anchorage/contracts';
import { Typography } from '@mui/material';
import { DataTable, DateField, FunctionField, List, ReferenceField, ReferenceInput, ReferenceManyField, SelectInput, TextField } from 'react-admin';
import { CardField, CardsWhenNarrow, RecordCards } from '../common/RecordCards';
import { isMemberAdmin, useConsolePermissions } from '../permissions';
import { BULK_STATUS_CHOICES, BulkProgress, BulkStatusChip, CaName, CAUSE_LABELS, refetchListWhileUnderway } from './fields';

const statusFilter = <SelectInput key="status" source="status" label="Status" choices={BULK_STATUS_CHOICES} alwaysOn />;
const organizationFilter = (
  <ReferenceInput key="organizationId" source="organizationId" reference="organizations" perPage={100} alwaysOn>
    <SelectInput label="Organization" optionText="name" />
  </ReferenceInput>
);

/** What a bulk revocation concerns: the suspended organization or the ended CA. */
function Subject({ link = true }: { link?: boolean }) {
  return (
    <FunctionField<BulkRevocationView> render={(b) => (b.organizationId
      ? <ReferenceField source="organizationId" reference="organizations" link={link ? 'show' : false} />
      : b.caId ? <CaName id={b.caId} /> : '—')} />
  );
}

/**
 * Bulk revocations, newest first: suspended organizations and ended issuing CAs, with their progress
 * (read again every 2 s while one is underway). The API lists a member admin's organization's only. On a
 * phone, one card each.
 */
export function BulkRevocationList() {
  const { permissions } = useConsolePermissions();
  return (
    <List title="Bulk revocations" filters={isMemberAdmin(permissions) ? [statusFilter] : [statusFilter, organizationFilter]}
      sort={{ field: 'createdAt', order: 'DESC' }} exporter={false} queryOptions={{ refetchInterval: refetchListWhileUnderway }}>
      <CardsWhenNarrow cards={(
        <RecordCards<BulkRevocationView> title={(b) => CAUSE_LABELS[b.cause] ?? b.cause} link="show" label="Bulk revocations">
          <CardField label="Of"><Subject link={false} /></CardField>
          <CardField label="Status"><BulkStatusChip /></CardField>
          <CardField label="Progress"><BulkProgress /></CardField>
          <CardField label="Reason"><TextField source="reason" /></CardField>
          <CardField label="Created"><DateField source="createdAt" showTime /></CardField>
          <CardField label="Finished"><DateField source="finishedAt" showTime emptyText="—" /></CardField>
        </RecordCards>
      )}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="status" label="Status"><BulkStatusChip /></DataTable.Col>
        <DataTable.Col source="cause" label="Cause" disableSort>
          <FunctionField<BulkRevocationView> render={(b) => CAUSE_LABELS[b.cause] ?? b.cause} />
        </DataTable.Col>
        <DataTable.Col label="Of" disableSort><Subject /></DataTable.Col>
        <DataTable.Col source="reason" label="Reason" disableSort />
        <DataTable.Col label="Progress" disableSort><BulkProgress /></DataTable.Col>
        <DataTable.Col source="createdAt" label="Created"><DateField source="createdAt" showTime /></DataTable.Col>
        <DataTable.Col source="finishedAt" label="Finished"><DateField source="finishedAt" showTime emptyText="—" /></DataTable.Col>
      </DataTable>
      </CardsWhenNarrow>
    </List>
  );
}

/** An organization's bulk revocations (its suspensions), newest first, with their progress. */
export function OrganizationBulkRevocations() {
  return (
    <ReferenceManyField reference="bulk-revocations" target="organizationId" sort={{ field: 'createdAt', order: 'DESC' }} perPage={10}
      queryOptions={{ refetchInterval: refetchListWhileUnderway }}>
      <DataTable rowClick="show" bulkActionButtons={false} empty={<Typography variant="body2">No bulk revocations.</Typography>}>
        <DataTable.Col source="status" label="Status"><BulkStatusChip /></DataTable.Col>
        <DataTable.Col source="reason" label="Reason" disableSort />
        <DataTable.Col label="Progress" disableSort><BulkProgress /></DataTable.Col>
        <DataTable.Col source="createdAt" label="Created"><DateField source="createdAt" showTime /></DataTable.Col>
        <DataTable.Col source="finishedAt" label="Finished"><DateField source="finishedAt" showTime emptyText="—" /></DataTable.Col>
      </DataTable>
    </ReferenceManyField>
  );
}
