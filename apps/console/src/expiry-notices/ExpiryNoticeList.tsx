import type { ExpiryNoticeView } from '@anchorage/contracts';
import { Box, Typography } from '@mui/material';
import { DataTable, DateField, List, ReferenceField, ReferenceInput, ReferenceManyField, SelectInput } from 'react-admin';
import { CardField, CardsWhenNarrow, RecordCards } from '../common/RecordCards';
import { isMemberAdmin, useConsolePermissions } from '../permissions';
import { EmailDelivery, NoticeSubject, NoticeThreshold, WebhookDelivery } from './fields';

const SUBJECT_CHOICES = [{ id: 'certificate', name: 'certificates' }, { id: 'ca', name: 'CAs' }];

const subjectFilter = <SelectInput key="subjectType" source="subjectType" label="About" choices={SUBJECT_CHOICES} alwaysOn />;
const organizationFilter = (
  <ReferenceInput key="organizationId" source="organizationId" reference="organizations" perPage={100} alwaysOn>
    <SelectInput label="Organization" optionText="name" />
  </ReferenceInput>
);

/**
 * Expiry notices, newest first: which certificate (or CA) reached which threshold before its notAfter,
 * and how each was delivered (the e-mail, the organization's webhook with its attempts and last error).
 * The API lists a member admin's organization's certificate notices only, so it has no filters. On a phone,
 * one card each.
 */
export function ExpiryNoticeList() {
  const { permissions } = useConsolePermissions();
  const mine = isMemberAdmin(permissions);
  return (
    <List<ExpiryNoticeView> title="Expiry notices" filters={mine ? undefined : [subjectFilter, organizationFilter]} sort={{ field: 'createdAt', order: 'DESC' }} exporter={false}>
      <CardsWhenNarrow cards={(
        <RecordCards<ExpiryNoticeView> title={() => <NoticeSubject />} label="Expiry notices">
          {!mine && <CardField label="Organization"><ReferenceField source="organizationId" reference="organizations" link="show" emptyText="—" /></CardField>}
          <CardField label="Threshold"><NoticeThreshold /></CardField>
          <CardField label="Expires"><DateField source="notAfter" showTime /></CardField>
          <CardField label="E-mail"><EmailDelivery /></CardField>
          <CardField label="Webhook"><WebhookDelivery /></CardField>
          <CardField label="Created"><DateField source="createdAt" showTime /></CardField>
        </RecordCards>
      )}>
      <DataTable rowClick={false} bulkActionButtons={false}>
        <DataTable.Col label="Subject" disableSort><NoticeSubject /></DataTable.Col>
        {!mine && (
          <DataTable.Col source="organizationId" label="Organization" disableSort>
            <ReferenceField source="organizationId" reference="organizations" link="show" emptyText="—" />
          </DataTable.Col>
        )}
        <DataTable.Col source="thresholdDays" label="Threshold"><NoticeThreshold /></DataTable.Col>
        <DataTable.Col source="notAfter" label="Expires"><DateField source="notAfter" showTime /></DataTable.Col>
        <DataTable.Col label="E-mail" disableSort><EmailDelivery /></DataTable.Col>
        <DataTable.Col label="Webhook" disableSort><WebhookDelivery /></DataTable.Col>
        <DataTable.Col source="createdAt" label="Created"><DateField source="createdAt" showTime /></DataTable.Col>
      </DataTable>
      </CardsWhenNarrow>
    </List>
  );
}

/** An organization's expiry notices (its certificates'), newest first, with their delivery. */
export function OrganizationExpiryNotices() {
  return (
    <Box component="section" aria-label="Expiry notices">
      <ReferenceManyField reference="expiry-notices" target="organizationId" sort={{ field: 'createdAt', order: 'DESC' }} perPage={10}>
        <DataTable rowClick={false} bulkActionButtons={false} empty={<Typography variant="body2">No expiry notices.</Typography>}>
          <DataTable.Col label="Subject" disableSort><NoticeSubject /></DataTable.Col>
          <DataTable.Col label="Threshold" disableSort><NoticeThreshold /></DataTable.Col>
          <DataTable.Col label="Expires" disableSort><DateField source="notAfter" showTime /></DataTable.Col>
          <DataTable.Col label="E-mail" disableSort><EmailDelivery /></DataTable.Col>
          <DataTable.Col label="Webhook" disableSort><WebhookDelivery /></DataTable.Col>
        </DataTable>
      </ReferenceManyField>
    </Box>
  );
}
