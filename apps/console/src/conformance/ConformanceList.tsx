import type { ConformanceEndpointView } from '@anchorage/contracts';
import { DataTable, DateField, List, NumberField, ReferenceField, ReferenceInput, SelectInput, useRecordContext } from 'react-admin';
import { CardField, CardsWhenNarrow, RecordCards } from '../common/RecordCards';
import { canCheckConformance, useConsolePermissions } from '../permissions';
import { CheckNowButton } from './CheckNowButton';
import { ConformanceStatusChip, EndpointCodes } from './fields';

const STATUS_CHOICES = [{ id: 'failing', name: 'failing' }, { id: 'passing', name: 'passing' }, { id: 'unknown', name: 'unknown' }];

const filters = [
  <SelectInput key="status" source="status" label="Status" choices={STATUS_CHOICES} alwaysOn />,
  <ReferenceInput key="communityId" source="communityId" reference="communities" perPage={100} alwaysOn>
    <SelectInput label="Community" optionText="name" />
  </ReferenceInput>,
  <ReferenceInput key="organizationId" source="organizationId" reference="organizations" perPage={100} alwaysOn>
    <SelectInput label="Organization" optionText="name" />
  </ReferenceInput>,
];

function CheckNow() {
  const e = useRecordContext<ConformanceEndpointView>();
  return e ? <CheckNowButton endpointId={e.id} baseUrl={e.baseUrl} /> : null;
}

/**
 * The community-wide conformance table (operators, auditors): every monitored member server, failing
 * first, with what its newest check found; operators check one now. On a phone, one card each.
 */
export function ConformanceList() {
  const { permissions } = useConsolePermissions();
  return (
    <List<ConformanceEndpointView> title="Endpoint conformance" filters={filters} exporter={false} perPage={25}>
      <CardsWhenNarrow cards={(
        <RecordCards<ConformanceEndpointView> title={(e) => e.baseUrl} label="Endpoint conformance">
          <CardField label="Status"><ConformanceStatusChip /></CardField>
          <CardField label="Organization">
            <ReferenceField source="organizationId" reference="organizations" link={(r) => `/organizations/${encodeURIComponent(String(r.id))}/show`} />
          </CardField>
          <CardField label="Findings"><EndpointCodes /></CardField>
          <CardField label="Failures in a row"><NumberField source="consecutiveFailures" /></CardField>
          <CardField label="Last checked"><DateField source="lastCheckedAt" showTime emptyText="—" /></CardField>
          <CardField label="Last passed"><DateField source="lastPassingAt" showTime emptyText="never" /></CardField>
          {canCheckConformance(permissions) && <CheckNow />}
        </RecordCards>
      )}>
      <DataTable rowClick={false} bulkActionButtons={false} aria-label="Endpoint conformance">
        <DataTable.Col source="status" label="Status"><ConformanceStatusChip /></DataTable.Col>
        <DataTable.Col source="baseUrl" label="FHIR base URL" />
        <DataTable.Col source="organizationId" label="Organization" disableSort>
          <ReferenceField source="organizationId" reference="organizations" link={(r) => `/organizations/${encodeURIComponent(String(r.id))}/show`} />
        </DataTable.Col>
        <DataTable.Col label="Findings" disableSort><EndpointCodes /></DataTable.Col>
        <DataTable.Col source="consecutiveFailures" label="Failures in a row"><NumberField source="consecutiveFailures" /></DataTable.Col>
        <DataTable.Col source="lastCheckedAt" label="Last checked"><DateField source="lastCheckedAt" showTime emptyText="—" /></DataTable.Col>
        <DataTable.Col source="lastPassingAt" label="Last passed" disableSort><DateField source="lastPassingAt" showTime emptyText="never" /></DataTable.Col>
        {canCheckConformance(permissions) && <DataTable.Col label="" disableSort><CheckNow /></DataTable.Col>}
      </DataTable>
      </CardsWhenNarrow>
    </List>
  );
}
