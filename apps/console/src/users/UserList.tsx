import type { UserView } from '@anchorage/contracts';
import { DataTable, FunctionField, List, ReferenceField, ReferenceInput, SelectInput } from 'react-admin';
import { lockText, ROLE_LABELS, RoleChip, totpText } from './fields';

const roles = Object.entries(ROLE_LABELS).map(([id, name]) => ({ id, name }));

const filters = [
  <SelectInput key="role" source="role" choices={roles} alwaysOn />,
  <ReferenceInput key="organizationId" source="organizationId" reference="organizations" perPage={100} alwaysOn>
    <SelectInput label="Organization" optionText="name" />
  </ReferenceInput>,
];

/** People who sign in to the console, filterable by role and organization (operators get a Create button). */
export function UserList() {
  return (
    <List filters={filters} exporter={false} perPage={25}>
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
    </List>
  );
}
