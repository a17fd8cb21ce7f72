import type { CertificationView } from '@anchorage/contracts';
import { Box, Tooltip, Typography } from '@mui/material';
import { DataTable, DateField, FilterButton, List, ReferenceField, ReferenceInput, SelectInput, TextInput, TopToolbar, useRecordContext } from 'react-admin';
import { CardField, CardsWhenNarrow, RecordCards } from '../common/RecordCards';
import { StateChip } from '../common/StatusChip';
import { isMemberAdmin, useConsolePermissions } from '../permissions';
import { CertificationActions } from './CertificationForms';
import { RevokeCertificationButton } from './RevokeCertificationButton';

const STATUS_CHOICES = [{ id: 'active', name: 'active' }, { id: 'revoked', name: 'revoked' }];

/** The status as relying parties will see it: revoked, expired, or active. */
function CertificationStatus() {
  const c = useRecordContext<CertificationView>();
  if (!c) return null;
  const value = c.status === 'revoked' ? 'revoked' : Date.parse(c.exp) <= Date.now() ? 'expired' : 'active';
  const chip = <span><StateChip value={value} colors={{ active: 'success', revoked: 'error', expired: 'warning' }} /></span>;
  return c.revocationReason ? <Tooltip title={c.revocationReason}>{chip}</Tooltip> : chip;
}

/** The certified app: its client URI (the JWT's sub). */
function CertifiedApp() {
  const c = useRecordContext<CertificationView>();
  return c ? <Typography variant="body2" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{c.sub}</Typography> : null;
}

/** The revocation's reason, when revoked. */
function RevocationReason() {
  const c = useRecordContext<CertificationView>();
  return c?.revocationReason ? <Typography variant="body2" aria-label="Revocation reason">{c.revocationReason}</Typography> : null;
}

const filters = (mine: boolean) => [
  ...(mine ? [] : [
    <ReferenceInput key="organizationId" source="organizationId" reference="organizations" perPage={100} alwaysOn>
      <SelectInput label="Certified organization" optionText="name" />
    </ReferenceInput>,
  ]),
  <TextInput key="sub" source="sub" label="App client URI" alwaysOn />,
  <SelectInput key="status" source="status" label="Status" choices={STATUS_CHOICES} alwaysOn />,
];

/** The toolbar: the filters, and for operators the forms (add a template, issue, record). */
function ListActions() {
  return (
    <TopToolbar sx={{ flexWrap: 'wrap' }}>
      <FilterButton />
      <CertificationActions />
    </TopToolbar>
  );
}

/**
 * Certifications of member apps, newest first, per organization (the certified app's) or per app (its
 * client URI): who certified it, until when, and whether it still stands; revoke where the role may. A
 * member admin sees those its organization is a party to (as the certified app or as the certifier). On a
 * phone, one card each (revoke on the card).
 */
export function CertificationList() {
  const { permissions } = useConsolePermissions();
  const mine = isMemberAdmin(permissions);
  return (
    <List<CertificationView> title="Certifications" filters={filters(mine)} sort={{ field: 'createdAt', order: 'DESC' }} exporter={false}
      actions={<ListActions />} empty={false}>
      <CardsWhenNarrow cards={(
        <RecordCards<CertificationView> title={(c) => c.sub} label="Certifications">
          <CardField label="Status"><CertificationStatus /></CardField>
          <CardField label="Organization"><ReferenceField source="organizationId" reference="organizations" link={mine ? false : 'show'} emptyText="—" /></CardField>
          <CardField label="Certifier"><ReferenceField source="certifierOrganizationId" reference="organizations" link={mine ? false : 'show'} emptyText="—" /></CardField>
          <CardField label="Issued"><DateField source="iat" showTime /></CardField>
          <CardField label="Expires"><DateField source="exp" showTime /></CardField>
          <RevocationReason />
          <RevokeCertificationButton />
        </RecordCards>
      )}>
      <DataTable rowClick={false} bulkActionButtons={false}>
        <DataTable.Col source="sub" label="App"><CertifiedApp /></DataTable.Col>
        <DataTable.Col source="organizationId" label="Organization" disableSort>
          <ReferenceField source="organizationId" reference="organizations" link={mine ? false : 'show'} emptyText="—" />
        </DataTable.Col>
        <DataTable.Col source="certifierOrganizationId" label="Certifier" disableSort>
          <ReferenceField source="certifierOrganizationId" reference="organizations" link={mine ? false : 'show'} emptyText="—" />
        </DataTable.Col>
        <DataTable.Col source="iat" label="Issued"><DateField source="iat" showTime /></DataTable.Col>
        <DataTable.Col source="exp" label="Expires"><DateField source="exp" showTime /></DataTable.Col>
        <DataTable.Col source="status" label="Status"><CertificationStatus /></DataTable.Col>
        <DataTable.Col label="Reason" disableSort><RevocationReason /></DataTable.Col>
        <DataTable.Col label="" disableSort><Box><RevokeCertificationButton /></Box></DataTable.Col>
      </DataTable>
      </CardsWhenNarrow>
    </List>
  );
}
