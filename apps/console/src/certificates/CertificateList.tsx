import type { CertificateView } from '@anchorage/contracts';
import {
  DataTable, DateField, FunctionField, List, ReferenceField, ReferenceInput, SelectInput, TextInput,
} from 'react-admin';
import { isMemberAdmin, useConsolePermissions } from '../permissions';
import { StatusChip } from './StatusChip';

const statuses = ['pending', 'issued', 'on-hold', 'revoked'].map((id) => ({ id, name: id }));

const filters = [
  <SelectInput key="status" source="status" choices={statuses} alwaysOn />,
  <TextInput key="serial" source="serial" label="Serial (hex)" alwaysOn />,
  <TextInput key="san" source="san" label="SAN URI" />,
];
const organizationFilter = (
  <ReferenceInput key="organizationId" source="organizationId" reference="organizations" perPage={100}>
    <SelectInput label="Organization" optionText="name" />
  </ReferenceInput>
);

/**
 * Leaf certificates, filterable by status, serial, SAN and organization; the API lists only what the
 * user may see (a member admin: its own organization's, so no organization filter).
 */
export function CertificateList() {
  const { permissions } = useConsolePermissions();
  const mine = isMemberAdmin(permissions);
  return (
    <List title={mine ? 'My certificates' : undefined} filters={mine ? filters : [...filters, organizationFilter]} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="serial" />
        <DataTable.Col source="status"><StatusChip /></DataTable.Col>
        <DataTable.Col source="organizationId" label="Organization">
          <ReferenceField source="organizationId" reference="organizations" link="show" />
        </DataTable.Col>
        <DataTable.Col source="sanUris" label="SAN URIs">
          <FunctionField<CertificateView> render={(c) => c.sanUris.join(', ')} />
        </DataTable.Col>
        <DataTable.Col source="notAfter" label="Valid until"><DateField source="notAfter" showTime /></DataTable.Col>
      </DataTable>
    </List>
  );
}
