import type { UserView } from '@anchorage/contracts';
import { DateField, FunctionField, ReferenceArrayField, ReferenceField, Show, SimpleShowLayout, SingleFieldList, ChipField, TextField } from 'react-admin';
import { lockText, RoleChip, totpText } from './fields';
import { UserActions } from './UserActions';

function Communities() {
  return (
    <FunctionField<UserView>
      label="Communities"
      render={(u) => {
        if (u.role !== 'operator') return '—';
        if (u.communities === 'all') return 'all communities';
        return (
          <ReferenceArrayField source="communities" reference="communities">
            <SingleFieldList linkType="show"><ChipField source="name" size="small" /></SingleFieldList>
          </ReferenceArrayField>
        );
      }}
    />
  );
}

/** One user: role, organization or communities, two-factor authentication and lock state. */
export function UserShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <UserActions />
        <TextField source="email" label="E-mail" />
        <TextField source="displayName" label="Name" />
        <FunctionField label="Role" render={() => <RoleChip />} />
        <ReferenceField source="organizationId" reference="organizations" label="Organization" link="show" emptyText="—" />
        <Communities />
        <FunctionField<UserView> label="Two-factor authentication" render={totpText} />
        <FunctionField<UserView> label="Locked" render={(u) => lockText(u)} />
        <FunctionField<UserView> label="Disabled" render={(u) => (u.disabled ? 'yes' : 'no')} />
        <DateField source="createdAt" label="Created" showTime />
      </SimpleShowLayout>
    </Show>
  );
}
