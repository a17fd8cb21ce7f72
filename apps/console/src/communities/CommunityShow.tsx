import type { CaView, CommunityView } from '@anchorage/contracts';
import {
  DataTable, DateField, FunctionField, Labeled, ReferenceManyField, Show, SimpleShowLayout, TextField, useRecordContext,
} from 'react-admin';
import { Stack, Typography } from '@mui/material';
import { CaCard } from './CaCard';

type CommunityRecord = CommunityView & { cas?: CaView[] };

/** A community's policy, its root and issuing CA with their public /pki files, and its organizations. */
export function CommunityShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="uri" label="URI" />
        <FunctionField<CommunityRecord> label="Policy" render={(c) => <PolicySummary policy={c.policy} />} />
        <Cas />
        <ReferenceManyField label="Organizations" reference="organizations" target="communityId">
          <DataTable rowClick="show" bulkActionButtons={false} empty={<Typography variant="body2">No organizations yet.</Typography>}>
            <DataTable.Col source="name" />
            <DataTable.Col source="sanUris" label="SAN URIs">
              <FunctionField render={(o: { sanUris: string[] }) => o.sanUris.join(', ')} />
            </DataTable.Col>
          </DataTable>
        </ReferenceManyField>
        <DateField source="createdAt" label="Created" showTime />
      </SimpleShowLayout>
    </Show>
  );
}

function PolicySummary({ policy }: { policy: CommunityView['policy'] }) {
  return (
    <Typography variant="body2" component="div">
      Leaf keys: {policy.allowedLeafKeyTypes.join(', ')} · max leaf validity {policy.maxLeafValidityDays} days · CRL lifetime{' '}
      {Math.round(policy.crlLifetimeSeconds / 3600)} h · server-generated keys {policy.allowGeneratedKeys ? 'allowed' : 'not allowed'}
    </Typography>
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
