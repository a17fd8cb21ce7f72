import type { CaView, CrlView } from '@anchorage/contracts';
import { Card, CardContent, Link, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useDataProvider } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { CrlHistory } from './CrlHistory';

/** One CA of a community: id, status, subject, links to its public certificate and CRL, and its CRL history. */
export function CaCard({ id, ca }: { id: string | null; ca?: CaView }) {
  if (!id) return <Typography variant="body2">not created</Typography>;
  return (
    <Card variant="outlined" sx={{ minWidth: 320 }}>
      <CardContent>
        <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>{id}</Typography>
        {ca ? (
          <>
            <Typography variant="body2">{ca.subject}</Typography>
            <Typography variant="body2">
              {ca.status} · {ca.keyType}
              {ca.notAfter ? ` · valid until ${new Date(ca.notAfter).toLocaleDateString()}` : ''}
            </Typography>
            <Typography variant="body2">
              <Link href={ca.certificateUrl} target="_blank" rel="noreferrer">CA certificate</Link>
              {' · '}
              <Link href={ca.crlUrl} target="_blank" rel="noreferrer">CRL</Link>
            </Typography>
            <LatestCrl caId={ca.id} />
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
