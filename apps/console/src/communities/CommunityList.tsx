import { DataTable, DateField, List } from 'react-admin';

/** All trust communities, newest first. */
export function CommunityList() {
  return (
    <List exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="name" />
        <DataTable.Col source="uri" label="URI" />
        <DataTable.NumberCol source="policy.maxLeafValidityDays" label="Max leaf validity (days)" />
        <DataTable.Col source="createdAt" label="Created">
          <DateField source="createdAt" showTime />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
