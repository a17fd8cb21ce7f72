import type { OrganizationView } from '@anchorage/contracts';
import { DataTable, DateField, FunctionField, List, ReferenceField, ReferenceInput, SelectInput } from 'react-admin';

const filters = [
  <ReferenceInput key="communityId" source="communityId" reference="communities" perPage={100} alwaysOn>
    <SelectInput label="Community" optionText="name" />
  </ReferenceInput>,
];

/** Member organizations, filterable by community. */
export function OrganizationList() {
  return (
    <List filters={filters} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="name" />
        <DataTable.Col source="communityId" label="Community">
          <ReferenceField source="communityId" reference="communities" link="show" />
        </DataTable.Col>
        <DataTable.Col source="sanUris" label="SAN URIs">
          <FunctionField<OrganizationView> render={(o) => o.sanUris.join(', ')} />
        </DataTable.Col>
        <DataTable.Col source="createdAt" label="Created">
          <DateField source="createdAt" showTime />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
