import type { CertificateView } from '@anchorage/contracts';
import {
  DateField, FunctionField, ReferenceField, Show, SimpleShowLayout, TextField, TopToolbar, useRecordContext,
} from 'react-admin';
import { CertificateIdentity } from './ChainPicture';
import { ExtensionsTable } from './ExtensionsTable';
import { KeyDownloads } from './KeyDownloads';
import { PemPanel } from './PemPanel';
import { ReleaseHoldButton } from './ReleaseHoldButton';
import { RenewButton } from './RenewButton';
import { RevokeButton } from './RevokeButton';
import { isExpired, StatusChip } from './StatusChip';

function Actions() {
  return (
    <TopToolbar sx={{ flexWrap: 'wrap' }}>
      <RenewButton />
      <ReleaseHoldButton />
      <RevokeButton />
    </TopToolbar>
  );
}

function Body() {
  const record = useRecordContext<CertificateView>();
  if (!record) return null;
  return (
    <SimpleShowLayout>
      <TextField source="serial" sx={{ fontFamily: 'monospace' }} />
      <FunctionField label="Status" render={() => <StatusChip />} />
      <FunctionField<CertificateView>
        label="Revocation"
        render={(c) => (c.revokedAt ? `${new Date(c.revokedAt).toLocaleString()} (${c.revocationReason ?? 'no reason given'})` : 'not revoked')}
      />
      <TextField source="subject" />
      <FunctionField<CertificateView> label="SAN URIs" render={(c) => c.sanUris.join(', ')} />
      <TextField source="profile" />
      <ReferenceField source="organizationId" reference="organizations" label="Organization" link="show" />
      <DateField source="notBefore" label="Valid from" showTime />
      <DateField source="notAfter" label="Valid until" showTime />
      {isExpired(record) && (
        <FunctionField<CertificateView> label="Expired"
          render={(c) => `since ${new Date(c.expiredAt!).toLocaleString()}: past its notAfter, relying parties refuse it; request a renewal`} />
      )}
      <KeyDownloads />
      <CertificateIdentity />
      <FunctionField label="Extensions" render={() => <ExtensionsTable />} />
      <PemPanel />
    </SimpleShowLayout>
  );
}

/** One certificate: identity, validity (and whether it has expired), revocation state, chain and the operator's domain actions. */
export function CertificateShow() {
  return (
    <Show actions={<Actions />}>
      <Body />
    </Show>
  );
}
