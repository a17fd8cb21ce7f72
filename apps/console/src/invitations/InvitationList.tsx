import type { InvitationView } from '@anchorage/contracts';
import { DataTable, DateField, List, ReferenceField, ReferenceInput, SelectInput, TextField } from 'react-admin';
import { CardField, CardsWhenNarrow, RecordCards } from '../common/RecordCards';
import { InvitationStateChip } from './InvitationStateChip';
import { RevokeInvitationButton } from './RevokeInvitationButton';

const filters = [
  <ReferenceInput key="organizationId" source="organizationId" reference="organizations" perPage={100} alwaysOn>
    <SelectInput label="Organization" optionText="name" />
  </ReferenceInput>,
];

/** Invitations of organization contacts with their state; operators withdraw pending ones and invite (Create). On a phone, one card each. */
export function InvitationList() {
  return (
    <List filters={filters} exporter={false}>
      <CardsWhenNarrow cards={(
        <RecordCards<InvitationView> title={(i) => i.email} label="Invitations">
          <CardField label="Organization"><ReferenceField source="organizationId" reference="organizations" link="show" /></CardField>
          <CardField label="State"><InvitationStateChip /></CardField>
          <CardField label="Sent"><DateField source="createdAt" showTime /></CardField>
          <CardField label="Expires"><DateField source="expiresAt" showTime /></CardField>
          <RevokeInvitationButton />
        </RecordCards>
      )}>
      <DataTable bulkActionButtons={false} rowClick={false}>
        <DataTable.Col disableSort source="email" label="E-mail"><TextField source="email" /></DataTable.Col>
        <DataTable.Col disableSort source="organizationId" label="Organization">
          <ReferenceField source="organizationId" reference="organizations" link="show" />
        </DataTable.Col>
        <DataTable.Col disableSort source="state" label="State"><InvitationStateChip /></DataTable.Col>
        <DataTable.Col disableSort source="createdAt" label="Sent"><DateField source="createdAt" showTime /></DataTable.Col>
        <DataTable.Col disableSort source="expiresAt" label="Expires"><DateField source="expiresAt" showTime /></DataTable.Col>
        <DataTable.Col label="" disableSort><RevokeInvitationButton /></DataTable.Col>
      </DataTable>
      </CardsWhenNarrow>
    </List>
  );
}
