import type { CreatedUserView, UserRole } from '@anchorage/contracts';
import { useState } from 'react';
import {
  Create, email, FormDataConsumer, minLength, PasswordInput, RadioButtonGroupInput, ReferenceArrayInput, ReferenceInput, required,
  SelectArrayInput, SelectInput, SimpleForm, TextInput, useNotify, useRedirect,
} from 'react-admin';
import { creatableRoles, useConsolePermissions } from '../permissions';
import { ROLE_LABELS } from './fields';
import { TotpEnrollmentNotice } from './TotpEnrollmentNotice';

/** The body of POST /api/v1/users. */
export interface CreateUserBody {
  email: string;
  displayName: string;
  role: UserRole;
  password: string;
  organizationId?: string;
  communities?: 'all' | string[];
}

interface FormValues {
  email?: string;
  displayName?: string;
  role?: UserRole;
  password?: string;
  organizationId?: string;
  communitiesMode?: 'all' | 'some';
  communityIds?: string[];
}

/** Keeps only the fields the role takes: an organization for member admins, communities for operators. */
export function toCreateUserBody(v: FormValues): CreateUserBody {
  const body: CreateUserBody = { email: (v.email ?? '').trim(), displayName: (v.displayName ?? '').trim(), role: v.role as UserRole, password: v.password ?? '' };
  if (v.role === 'member-admin') body.organizationId = v.organizationId;
  if (v.role === 'operator') body.communities = v.communitiesMode === 'some' ? (v.communityIds ?? []) : 'all';
  return body;
}

const communityModes = [{ id: 'all', name: 'All communities' }, { id: 'some', name: 'Selected communities' }];

function RoleSpecificInputs({ role, communitiesMode }: { role?: UserRole; communitiesMode?: string }) {
  if (role === 'member-admin') {
    return (
      <ReferenceInput source="organizationId" reference="organizations" perPage={100}>
        <SelectInput label="Organization" optionText="name" validate={required()} helperText="The organization this person administers" />
      </ReferenceInput>
    );
  }
  if (role !== 'operator') return null;
  return (
    <>
      <RadioButtonGroupInput source="communitiesMode" label="Communities this operator runs" choices={communityModes} />
      {communitiesMode === 'some' && (
        <ReferenceArrayInput source="communityIds" reference="communities" perPage={100}>
          <SelectArrayInput label="Communities" optionText="name" validate={required()} />
        </ReferenceArrayInput>
      )}
    </>
  );
}

/**
 * Operators create users. A new operator or auditor gets a TOTP secret from the API, shown once afterwards;
 * an operator who runs only some communities may create member admins of those communities' organizations.
 */
export function UserCreate() {
  const { permissions } = useConsolePermissions();
  const notify = useNotify();
  const redirect = useRedirect();
  const [created, setCreated] = useState<CreatedUserView | null>(null);
  const roles = creatableRoles(permissions);

  if (created) return <TotpEnrollmentNotice user={created} onAnother={() => setCreated(null)} />;

  const onSuccess = (user: CreatedUserView) => {
    if (user.totpEnrollment) {
      setCreated(user);
      return;
    }
    notify(`${ROLE_LABELS[user.role]} ${user.email} created`, { type: 'success' });
    redirect('show', 'users', user.id);
  };

  return (
    <Create<CreatedUserView> transform={(v: FormValues) => toCreateUserBody(v)} mutationOptions={{ onSuccess }}>
      <SimpleForm defaultValues={{ role: roles[0], communitiesMode: 'all' }}>
        <TextInput source="email" label="E-mail" type="email" validate={[required(), email()]} />
        <TextInput source="displayName" label="Display name" validate={required()} />
        <SelectInput
          source="role"
          choices={roles.map((id) => ({ id, name: ROLE_LABELS[id] }))}
          validate={required()}
          helperText={roles.length < 3 ? 'Only an operator of every community creates operators and auditors' : 'Operators and auditors always sign in with an authenticator code'}
        />
        <FormDataConsumer<FormValues>>{({ formData }) => <RoleSpecificInputs role={formData.role} communitiesMode={formData.communitiesMode} />}</FormDataConsumer>
        <PasswordInput
          source="password"
          label="Initial password"
          autoComplete="new-password"
          validate={[required(), minLength(12, 'At least 12 characters')]}
          helperText="At least 12 characters; give it to the person over a channel you trust"
        />
      </SimpleForm>
    </Create>
  );
}
