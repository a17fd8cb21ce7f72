import type { CommunityView } from '@anchorage/contracts';
import { DataTable, DateField, List, NumberField, TextField } from 'react-admin';
import { CardField, CardsWhenNarrow, RecordCards } from '../common/RecordCards';

/** All trust communities, newest first. On a phone, one card each. */
export function CommunityList() {
  return (
    <List exporter={false}>
      <CardsWhenNarrow cards={(
        <RecordCards<CommunityView> title={(c) => c.name} link="show" label="Communities">
          <CardField label="URI"><TextField source="uri" /></CardField>
          <CardField label="Max leaf validity (days)"><NumberField source="policy.maxLeafValidityDays" /></CardField>
          <CardField label="Created"><DateField source="createdAt" showTime /></CardField>
        </RecordCards>
      )}>
        <DataTable rowClick="show" bulkActionButtons={false}>
          <DataTable.Col source="name" />
          <DataTable.Col source="uri" label="URI" />
          <DataTable.NumberCol source="policy.maxLeafValidityDays" label="Max leaf validity (days)" />
          <DataTable.Col source="createdAt" label="Created">
            <DateField source="createdAt" showTime />
          </DataTable.Col>
        </DataTable>
      </CardsWhenNarrow>
    </List>
  );
}
