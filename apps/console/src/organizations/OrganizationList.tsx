import type { OrganizationView } from '@anchorage/contracts';
import { DataTable, DateField, FunctionField, List, ReferenceField, ReferenceInput, SearchInput, SelectInput, SimpleList } from 'react-admin';
import { useNarrow } from '../common/narrow';
import { ORG_STATUS_CHOICES, OrgStatusChip } from './OrgStatusChip';

const filters = [
  <SearchInput key="q" source="q" placeholder="Name or SAN" alwaysOn slotProps={{ htmlInput: { 'aria-label': 'Search by name or SAN URI' } }} />,
  <SelectInput key="status" source="status" label="Status" choices={ORG_STATUS_CHOICES} alwaysOn />,
  <ReferenceInput key="communityId" source="communityId" reference="communities" perPage={100} alwaysOn>
    <SelectInput label="Community" optionText="name" />
  </ReferenceInput>,
];

const sanUris = (o: OrganizationView) => (o.sanUris.length ? o.sanUris : o.profile.requestedSanUris?.map((u) => `${u} (requested)`) ?? []).join(', ');

/**
 * Member organizations, newest first: one search box (part of the name or of a SAN URI), status
 * ("Awaiting review" is the operator's queue) and community filters. On a phone, one card each.
 */
export function OrganizationList() {
  const narrow = useNarrow();
  return (
    <List filters={filters} exporter={false} sort={{ field: 'createdAt', order: 'DESC' }}>
      {narrow ? (
        <SimpleList<OrganizationView> primaryText={(o) => o.name} secondaryText={(o) => o.status} tertiaryText={sanUris} linkType="show" />
      ) : (
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="name" />
        <DataTable.Col source="status" label="Status"><OrgStatusChip /></DataTable.Col>
        <DataTable.Col source="communityId" label="Community">
          <ReferenceField source="communityId" reference="communities" link="show" />
        </DataTable.Col>
        <DataTable.Col source="sanUris" label="SAN URIs">
          <FunctionField<OrganizationView> render={sanUris} />
        </DataTable.Col>
        <DataTable.Col source="submittedAt" label="Submitted">
          <DateField source="submittedAt" showTime emptyText="—" />
        </DataTable.Col>
        <DataTable.Col source="createdAt" label="Created">
          <DateField source="createdAt" showTime />
        </DataTable.Col>
      </DataTable>
      )}
    </List>
  );
}
