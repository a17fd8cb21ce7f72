import type { CaView, CommunityView, CommunityWarningCode } from '@anchorage/contracts';
import {
  DataTable, DateField, FunctionField, Labeled, ReferenceManyField, Show, SimpleShowLayout, TextField, useRecordContext,
} from 'react-admin';
import { Alert, AlertTitle, Button, Link, Stack, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { CopyButton } from '../common/CopyButton';
import { can, useConsolePermissions } from '../permissions';
import { CaCard } from './CaCard';
import { CaHierarchy } from './CaHierarchy';
import { ExchangePurposes } from './ExchangePurposes';
import { trustBundleUrlOf } from './fingerprint';
import { PolicyEditor } from './PolicyEditor';
import { testKitPath } from './TestKitPage';

type CommunityRecord = CommunityView & { cas?: CaView[] };

/**
 * A community's warnings (what relying parties will reject), its policy (operators edit it), the picture
 * of its CA hierarchy with leaf counts (operators and auditors), its trust bundle, its root and issuing CA
 * with fingerprints and public /pki files, its catalog of exchange purposes, and its organizations.
 */
export function CommunityShow() {
  return (
    <Show>
      {/* inline-size containment: the page is as wide as the screen, not as its widest table (which scrolls sideways instead) */}
      <SimpleShowLayout sx={{ contain: 'inline-size', '& .ra-field': { maxWidth: '100%', minWidth: 0 } }}>
        <Warnings />
        <TextField source="name" />
        <TextField source="uri" label="URI" />
        <FunctionField<CommunityRecord> label="Policy" render={(c) => <Policy community={c} />} />
        <Hierarchy />
        <FunctionField<CommunityRecord> label="Trust bundle (PEM: anchors, then intermediates)" render={(c) => <TrustBundle community={c} />} />
        <Cas />
        <FunctionField<CommunityRecord> label="Test certificates for relying parties" render={(c) => (
          <Button component={RouterLink} to={testKitPath(c.id)} size="small" variant="outlined">Test certificates</Button>
        )} />
        <Labeled label="Exchange purposes (client URI fragments)" fullWidth>
          <ExchangePurposes />
        </Labeled>
        <ReferenceManyField label="Organizations" reference="organizations" target="communityId">
          <DataTable rowClick="show" bulkActionButtons={false} empty={<Typography variant="body2">No organizations yet.</Typography>}>
            <DataTable.Col source="name" />
            <DataTable.Col source="sanUris" label="SAN URIs">
              <FunctionField render={(o: { sanUris: string[] }) => <span style={{ wordBreak: 'break-all' }}>{o.sanUris.join(', ')}</span>} />
            </DataTable.Col>
          </DataTable>
        </ReferenceManyField>
        <DateField source="createdAt" label="Created" showTime />
      </SimpleShowLayout>
    </Show>
  );
}

function Policy({ community }: { community: CommunityRecord }) {
  const { permissions } = useConsolePermissions();
  return (
    <Stack spacing={1} sx={{ alignItems: 'flex-start' }}>
      <PolicySummary policy={community.policy} />
      {can(permissions, 'communities', 'edit-policy') && <PolicyEditor community={community} />}
    </Stack>
  );
}

/** The hierarchy picture, for the roles that read it (a member admin sees the CA cards only). */
function Hierarchy() {
  const c = useRecordContext<CommunityRecord>();
  const { permissions } = useConsolePermissions();
  if (!c || !can(permissions, 'communities', 'hierarchy')) return null;
  return (
    <Labeled label="CA hierarchy" fullWidth>
      <CaHierarchy communityId={c.id} />
    </Labeled>
  );
}

function TrustBundle({ community }: { community: CommunityRecord }) {
  const ca = community.cas?.find((a) => a.certificatePem);
  if (!ca) return <Typography variant="body2">No CA certificate yet: no trust bundle.</Typography>;
  const url = trustBundleUrlOf(ca);
  return (
    <Stack direction="row" sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
      <Link href={url} target="_blank" rel="noreferrer" variant="body2" sx={{ wordBreak: 'break-all' }}>{url}</Link>
      <CopyButton value={url} label="Copy the trust bundle link" />
    </Stack>
  );
}

function PolicySummary({ policy }: { policy: CommunityView['policy'] }) {
  return (
    <Typography variant="body2" component="div">
      Leaf keys: {policy.allowedLeafKeyTypes.join(', ')} · max leaf validity {policy.maxLeafValidityDays} days · CRL lifetime{' '}
      {Math.round(policy.crlLifetimeSeconds / 3600)} h · server-generated keys {policy.allowGeneratedKeys ? 'allowed' : 'not allowed'} · CA keys{' '}
      {policy.requireRsaChain ? 'RSA only (requireRsaChain)' : 'RSA or EC'}
    </Typography>
  );
}

const WARNING_TITLES: Record<CommunityWarningCode, string> = {
  'ec-ca-rsa-only-relying-parties': 'RSA-only relying parties will reject this community\'s certificates',
};

/** The API's warnings about the community, each in words (an Alert's colour alone would say nothing to some readers). */
function Warnings() {
  const c = useRecordContext<CommunityRecord>();
  if (!c?.warnings?.length) return null;
  return (
    <Stack spacing={1} aria-label="Community warnings" role="region">
      {c.warnings.map((w) => (
        <Alert key={w.code} severity="warning" data-code={w.code}>
          <AlertTitle>{WARNING_TITLES[w.code] ?? 'Warning'}</AlertTitle>
          {w.message}
        </Alert>
      ))}
    </Stack>
  );
}

function Cas() {
  const c = useRecordContext<CommunityRecord>();
  if (!c) return null;
  const byId = new Map((c.cas ?? []).map((ca) => [ca.id, ca]));
  return (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
      {([['Root CA', c.rootCaId], ['Issuing CA', c.issuingCaId]] as const).map(([label, id]) => (
        <Labeled key={label} label={label}>
          <CaCard id={id} ca={id ? byId.get(id) : undefined} />
        </Labeled>
      ))}
    </Stack>
  );
}
