import type { CertificateView } from '@anchorage/contracts';
import {
  DataTable, DateField, FunctionField, List, ReferenceField, ReferenceInput, SearchInput, SelectInput, SimpleList, TextInput,
} from 'react-admin';
import { useNarrow } from '../common/narrow';
import { isMemberAdmin, useConsolePermissions } from '../permissions';
import { BulkRevokeButton } from './BulkRevokeButton';
import { ListDialogHost } from '../common/ListDialogHost';
import { StatusChip } from './StatusChip';

const statuses = ['pending', 'issued', 'on-hold', 'revoked'].map((id) => ({ id, name: id }));

const filters = [
  <SearchInput key="q" source="q" placeholder="SAN, subject, organization or serial" alwaysOn
    slotProps={{ htmlInput: { 'aria-label': 'Search by SAN URI, subject, organization or serial prefix' } }} />,
  <SelectInput key="status" source="status" choices={statuses} alwaysOn />,
  <TextInput key="serial" source="serial" label="Serial (hex)" helperText={false} alwaysOn />,
  <TextInput key="san" source="san" label="SAN URI" />,
];
const organizationFilter = (
  <ReferenceInput key="organizationId" source="organizationId" reference="organizations" perPage={100}>
    <SelectInput label="Organization" optionText="name" />
  </ReferenceInput>
);

const validity = (c: CertificateView) => `valid until ${new Date(c.notAfter).toLocaleString()}`;

/**
 * Leaf certificates, newest first: one search box (part of a SAN URI, the subject or the organization's
 * name, or the start of the serial), status, serial prefix, SAN and organization filters; the selected
 * ones can be revoked together. The API lists only what the user may see (a member admin: its own
 * organization's, so no organization filter). On a phone, one card per certificate.
 */
export function CertificateList() {
  const { permissions } = useConsolePermissions();
  const mine = isMemberAdmin(permissions);
  const narrow = useNarrow();
  return (
    <List title={mine ? 'My certificates' : 'Certificates'} filters={mine ? filters : [...filters, organizationFilter]} exporter={false}
      sort={{ field: 'createdAt', order: 'DESC' }}>
      <ListDialogHost>
      {narrow ? (
        <SimpleList<CertificateView>
          primaryText={(c) => c.sanUris.join(', ') || c.subject}
          secondaryText={(c) => `${c.status} · ${c.profile} · ${validity(c)}`}
          tertiaryText={(c) => c.serial.slice(0, 8)}
          linkType="show"
        />
      ) : (
        <DataTable rowClick="show" bulkActionButtons={<BulkRevokeButton />}>
          <DataTable.Col source="serial" disableSort />
          <DataTable.Col source="status"><StatusChip /></DataTable.Col>
          <DataTable.Col source="organizationId" label="Organization" disableSort>
            <ReferenceField source="organizationId" reference="organizations" link="show" />
          </DataTable.Col>
          <DataTable.Col source="sanUris" label="SAN URIs" disableSort>
            <FunctionField<CertificateView> render={(c) => c.sanUris.join(', ')} />
          </DataTable.Col>
          <DataTable.Col source="notBefore" label="Valid from"><DateField source="notBefore" showTime /></DataTable.Col>
          <DataTable.Col source="notAfter" label="Valid until"><DateField source="notAfter" showTime /></DataTable.Col>
        </DataTable>
      )}
      </ListDialogHost>
    </List>
  );
}
