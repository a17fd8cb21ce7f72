import type { CaView, CrlView } from '@anchorage/contracts';
import { Alert, Card, CardContent, Link, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useDataProvider } from 'react-admin';
import { StateChip } from '../common/StatusChip';
import type { ConsoleDataProvider } from '../dataProvider';
import { CrlHistory } from './CrlHistory';
import { EndCaActions } from './EndCaActions';

const CA_COLORS = { 'awaiting-certificate': 'info', active: 'success', retired: 'warning', compromised: 'error' } as const;
const CA_LABELS = { 'awaiting-certificate': 'awaiting certificate' };

/**
 * One CA of a community: id, status, subject, links to its public certificate and CRL, and its CRL
 * history; a retired or compromised CA says so (it still publishes CRLs). Operators end issuing CAs here.
 */
export function CaCard({ id, ca }: { id: string | null; ca?: CaView }) {
  if (!id) return <Typography variant="body2">not created</Typography>;
  return (
    <Card variant="outlined" sx={{ minWidth: 320 }}>
      <CardContent>
        <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>{id}</Typography>
        {ca ? (
          <>
            <Typography variant="body2">{ca.subject}</Typography>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <StateChip value={ca.status} colors={CA_COLORS} labels={CA_LABELS} />
              <Typography variant="body2">
                {ca.keyType}
                {ca.notAfter ? ` · valid until ${new Date(ca.notAfter).toLocaleDateString()}` : ''}
              </Typography>
            </Stack>
            {(ca.status === 'retired' || ca.status === 'compromised') && (
              <Alert severity={ca.status === 'compromised' ? 'error' : 'warning'} sx={{ my: 1 }}>
                {ca.status === 'compromised' ? 'Compromised' : 'Retired'}: issues nothing
                {ca.revokedAt ? `; its certificate was revoked ${new Date(ca.revokedAt).toLocaleString()}` : ''}. It keeps publishing CRLs.
              </Alert>
            )}
            <Typography variant="body2">
              <Link href={ca.certificateUrl} target="_blank" rel="noreferrer">CA certificate</Link>
              {' · '}
              <Link href={ca.crlUrl} target="_blank" rel="noreferrer">CRL</Link>
            </Typography>
            <LatestCrl caId={ca.id} />
            <EndCaActions ca={ca} />
            <CrlHistory caId={ca.id} />
          </>
        ) : (
          <Typography variant="body2">loading CA details…</Typography>
        )}
      </CardContent>
    </Card>
  );
}

function LatestCrl({ caId }: { caId: string }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const [crl, setCrl] = useState<CrlView | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    dp.getCrls(caId, 1).then((list) => live && setCrl(list[0] ?? null), () => live && setCrl(null));
    return () => {
      live = false;
    };
  }, [dp, caId]);
  if (crl === undefined) return null;
  if (crl === null) return <Typography variant="body2">no CRL published yet</Typography>;
  return (
    <Typography variant="body2">
      CRL #{crl.crlNumber}: {crl.entryCount} entries, next update {new Date(crl.nextUpdate).toLocaleString()}
    </Typography>
  );
}
