import type { OrganizationView } from '@anchorage/contracts';
import { DataTable, DateField, FunctionField, List, ReferenceField, ReferenceInput, SelectInput } from 'react-admin';
import { ORG_STATUS_CHOICES, OrgStatusChip } from './OrgStatusChip';

const filters = [
  <SelectInput key="status" source="status" label="Status" choices={ORG_STATUS_CHOICES} alwaysOn />,
  <ReferenceInput key="communityId" source="communityId" reference="communities" perPage={100} alwaysOn>
    <SelectInput label="Community" optionText="name" />
  </ReferenceInput>,
];

/** Member organizations, filterable by status ("Awaiting review" is the operator's queue) and community. */
export function OrganizationList() {
  return (
    <List filters={filters} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="name" />
        <DataTable.Col source="status" label="Status"><OrgStatusChip /></DataTable.Col>
        <DataTable.Col source="communityId" label="Community">
          <ReferenceField source="communityId" reference="communities" link="show" />
        </DataTable.Col>
        <DataTable.Col source="sanUris" label="SAN URIs">
          <FunctionField<OrganizationView> render={(o) => (o.sanUris.length ? o.sanUris : o.profile.requestedSanUris?.map((u) => `${u} (requested)`) ?? []).join(', ')} />
        </DataTable.Col>
        <DataTable.Col source="submittedAt" label="Submitted">
          <DateField source="submittedAt" showTime emptyText="—" />
        </DataTable.Col>
        <DataTable.Col source="createdAt" label="Created">
          <DateField source="createdAt" showTime />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
