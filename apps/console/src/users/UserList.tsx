import type { UserView } from '@anchorage/contracts';
import { DataTable, FunctionField, List, ReferenceField, ReferenceInput, SelectInput } from 'react-admin';
import { CardField, CardsWhenNarrow, RecordCards } from '../common/RecordCards';
import { lockText, ROLE_LABELS, RoleChip, totpText } from './fields';

const roles = Object.entries(ROLE_LABELS).map(([id, name]) => ({ id, name }));

const filters = [
  <SelectInput key="role" source="role" choices={roles} alwaysOn />,
  <ReferenceInput key="organizationId" source="organizationId" reference="organizations" perPage={100} alwaysOn>
    <SelectInput label="Organization" optionText="name" />
  </ReferenceInput>,
];

/**
 * People who sign in to the console, filterable by role and organization (operators get a Create button).
 * On a phone, one card each (its organization unlinked there: the whole card opens the user).
 */
export function UserList() {
  return (
    <List filters={filters} exporter={false} perPage={25}>
      <CardsWhenNarrow cards={(
        <RecordCards<UserView> title={(u) => u.displayName || u.email} link="show" label="Users">
          <CardField label="E-mail"><FunctionField<UserView> render={(u) => u.email} /></CardField>
          <CardField label="Role"><RoleChip /></CardField>
          <CardField label="Organization"><ReferenceField source="organizationId" reference="organizations" link={false} emptyText="—" /></CardField>
          <CardField label="Two-factor"><FunctionField<UserView> render={totpText} /></CardField>
          <CardField label="Locked"><FunctionField<UserView> render={(u) => lockText(u)} /></CardField>
        </RecordCards>
      )}>
        <DataTable rowClick="show" bulkActionButtons={false}>
          <DataTable.Col source="email" label="E-mail" />
          <DataTable.Col source="displayName" label="Name" />
          <DataTable.Col source="role"><RoleChip /></DataTable.Col>
          <DataTable.Col source="organizationId" label="Organization">
            <ReferenceField source="organizationId" reference="organizations" link="show" emptyText="—" />
          </DataTable.Col>
          <DataTable.Col source="totpEnabled" label="Two-factor">
            <FunctionField<UserView> render={totpText} />
          </DataTable.Col>
          <DataTable.Col source="lockedUntil" label="Locked">
            <FunctionField<UserView> render={(u) => lockText(u)} />
          </DataTable.Col>
        </DataTable>
      </CardsWhenNarrow>
    </List>
  );
}
