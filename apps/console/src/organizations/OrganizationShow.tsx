import type { OrganizationView } from '@anchorage/contracts';
import { Typography } from '@mui/material';
import {
  DataTable, DateField, FunctionField, ReferenceField, ReferenceManyField, Show, SimpleShowLayout, TextField,
} from 'react-admin';
import { StatusChip } from '../certificates/StatusChip';

/** One organization: its community, its SAN URIs and its certificates (`id` when not from the route). */
export function OrganizationShow({ id }: { id?: string }) {
  return (
    <Show id={id}>
      <SimpleShowLayout>
        <TextField source="name" />
        <ReferenceField source="communityId" reference="communities" label="Community" link="show" />
        <FunctionField<OrganizationView>
          label="SAN URIs"
          render={(o) => (
            <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
              {o.sanUris.map((u) => <li key={u}><Typography variant="body2">{u}</Typography></li>)}
            </ul>
          )}
        />
        <DateField source="createdAt" label="Created" showTime />
        <ReferenceManyField label="Certificates" reference="certificates" target="organizationId">
          <DataTable rowClick="show" bulkActionButtons={false} empty={<Typography variant="body2">No certificates yet.</Typography>}>
            <DataTable.Col source="serial" />
            <DataTable.Col source="status"><StatusChip /></DataTable.Col>
            <DataTable.Col source="notAfter" label="Valid until"><DateField source="notAfter" /></DataTable.Col>
          </DataTable>
        </ReferenceManyField>
      </SimpleShowLayout>
    </Show>
  );
}
