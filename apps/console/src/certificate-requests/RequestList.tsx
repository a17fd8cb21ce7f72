import type { CertificateRequestView } from '@anchorage/contracts';
import AddIcon from '@mui/icons-material/Add';
import { Box, Typography } from '@mui/material';
import {
  CreateButton, DataTable, DateField, FunctionField, List, ReferenceField, ReferenceInput, SearchInput, SelectInput, SimpleList, TopToolbar,
} from 'react-admin';
import { useNarrow } from '../common/narrow';
import { BulkApproveButton } from './BulkApproveButton';
import { ListDialogHost } from '../common/ListDialogHost';
import { isMemberAdmin, isOperator, useConsolePermissions } from '../permissions';
import { RequestActions } from './RequestActions';
import { REQUEST_STATUS_CHOICES, RequestStatusChip } from './RequestStatusChip';

const search = <SearchInput key="q" source="q" placeholder="SAN or organization" alwaysOn slotProps={{ htmlInput: { 'aria-label': 'Search by SAN URI or organization' } }} />;
const statusFilter = <SelectInput key="status" source="status" label="Status" choices={REQUEST_STATUS_CHOICES} alwaysOn />;
const organizationFilter = (
  <ReferenceInput key="organizationId" source="organizationId" reference="organizations" perPage={100} alwaysOn>
    <SelectInput label="Organization" optionText="name" />
  </ReferenceInput>
);

function ListActions() {
  return (
    <TopToolbar>
      <CreateButton label="Request a certificate" icon={<AddIcon />} />
    </TopToolbar>
  );
}

/** What an empty list says (react-admin's default would offer a bare "Create"). */
function Empty() {
  return (
    <Box sx={{ m: 4, textAlign: 'center' }}>
      <Typography variant="h6" gutterBottom>No certificate requests yet</Typography>
      <CreateButton label="Request a certificate" icon={<AddIcon />} variant="contained" />
    </Box>
  );
}

/**
 * Certificate requests, newest first: a member admin's own ("My requests", with "Request a certificate");
 * an operator's queue ("Pending requests", waiting ones first shown) with Approve and Reject on each row
 * and Approve for the selected ones. One search box (part of a SAN URI or the organization's name). On a
 * phone, one card per request.
 */
export function RequestList() {
  const { permissions } = useConsolePermissions();
  const mine = isMemberAdmin(permissions);
  const operator = isOperator(permissions);
  const narrow = useNarrow();
  return (
    <List
      title={mine ? 'My requests' : operator ? 'Pending requests' : 'Certificate requests'}
      filters={mine ? [search, statusFilter] : [search, statusFilter, organizationFilter]}
      sort={{ field: 'createdAt', order: 'DESC' }}
      filterDefaultValues={operator ? { status: 'submitted' } : undefined}
      actions={<ListActions />}
      empty={<Empty />}
      exporter={false}
    >
      <ListDialogHost>
      {narrow ? (
        <SimpleList<CertificateRequestView>
          primaryText={(r) => r.sanUris.join(', ')}
          secondaryText={(r) => `${r.status} · ${r.profile} · ${r.keyType}`}
          tertiaryText={(r) => new Date(r.createdAt).toLocaleDateString()}
          linkType="show"
        />
      ) : (
      <DataTable rowClick="show" bulkActionButtons={operator ? <BulkApproveButton /> : false}>
        <DataTable.Col source="createdAt" label="Requested"><DateField source="createdAt" showTime /></DataTable.Col>
        {!mine && (
          <DataTable.Col disableSort source="organizationId" label="Organization">
            <ReferenceField source="organizationId" reference="organizations" link={false} />
          </DataTable.Col>
        )}
        <DataTable.Col disableSort source="profile" />
        <DataTable.Col disableSort source="sanUris" label="SAN URIs">
          <FunctionField<CertificateRequestView> render={(r) => r.sanUris.join(', ')} />
        </DataTable.Col>
        <DataTable.Col disableSort source="keyType" label="Key" />
        <DataTable.Col disableSort source="status" label="Status"><RequestStatusChip /></DataTable.Col>
        <DataTable.Col label="Actions" disableSort><RequestActions /></DataTable.Col>
      </DataTable>
      )}
      </ListDialogHost>
    </List>
  );
}
