import {
  Create, email, FormDataConsumer, RadioButtonGroupInput, ReferenceInput, required, SelectInput, SimpleForm, TextInput, useNotify, useRedirect,
} from 'react-admin';
import { useLocation } from 'react-router-dom';
import type { CreatedInvitation } from '../dataProvider';

/** The body of POST /api/v1/invitations: a new draft organization, or an existing one. */
export type InviteBody = { email: string; communityId: string; organizationName: string } | { email: string; organizationId: string };

interface FormValues {
  email?: string;
  target?: 'new' | 'existing';
  communityId?: string;
  organizationName?: string;
  organizationId?: string;
}

/** Keeps only the fields of the chosen target. */
export function toInviteBody(v: FormValues): InviteBody {
  const mail = (v.email ?? '').trim();
  return v.target === 'existing'
    ? { email: mail, organizationId: v.organizationId ?? '' }
    : { email: mail, communityId: v.communityId ?? '', organizationName: (v.organizationName ?? '').trim() };
}

const targets = [
  { id: 'new', name: 'A new organization' },
  { id: 'existing', name: 'An existing organization' },
];

function TargetInputs({ target }: { target?: string }) {
  if (target === 'existing') {
    return (
      <ReferenceInput source="organizationId" reference="organizations" perPage={100} sort={{ field: 'name', order: 'ASC' }}>
        <SelectInput label="Organization" optionText="name" validate={required()} helperText="The contact becomes an administrator of this organization" />
      </ReferenceInput>
    );
  }
  return (
    <>
      <ReferenceInput source="communityId" reference="communities" perPage={100}>
        <SelectInput label="Community" optionText="name" validate={required()} />
      </ReferenceInput>
      <TextInput source="organizationName" label="Organization name" validate={required()}
        helperText="A draft organization: the contact completes its profile, then you review it" />
    </>
  );
}

/**
 * Operators invite a contact by e-mail: the API creates the draft organization (or uses an existing
 * one), stores the invitation and mails the link, all or nothing (a refused e-mail stores nothing).
 */
export function InvitationCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  // "Invite a contact" on an organization's page passes it along
  const preset = (useLocation().state as { organizationId?: string } | null)?.organizationId;
  const onSuccess = (i: CreatedInvitation) => {
    notify(`Invitation sent to ${i.email} for ${i.organization.name}; the link works until ${new Date(i.expiresAt).toLocaleString()}`, { type: 'success' });
    redirect('list', 'invitations');
  };
  return (
    <Create<CreatedInvitation> title="Invite a contact" transform={(v: FormValues) => toInviteBody(v)} mutationOptions={{ onSuccess }}>
      <SimpleForm defaultValues={preset ? { target: 'existing', organizationId: preset } : { target: 'new' }}>
        <TextInput source="email" label="Contact's e-mail" type="email" validate={[required(), email()]}
          helperText="The invitation link goes to this address; it works once and for 7 days" />
        <RadioButtonGroupInput source="target" label="Invite to" choices={targets} />
        <FormDataConsumer<FormValues>>{({ formData }) => <TargetInputs target={formData.target} />}</FormDataConsumer>
      </SimpleForm>
    </Create>
  );
}
