import type { CaView, CrlView } from '@anchorage/contracts';
import { Alert, Card, CardContent, Link, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useDataProvider } from 'react-admin';
import { CopyButton } from '../common/CopyButton';
import { StateChip } from '../common/StatusChip';
import type { ConsoleDataProvider } from '../dataProvider';
import { can, useConsolePermissions } from '../permissions';
import { CrlHistory } from './CrlHistory';
import { EndCaActions } from './EndCaActions';
import { colonFingerprint } from './fingerprint';
import { GenerateCrlButton } from './GenerateCrlButton';

const CA_COLORS = { 'awaiting-certificate': 'info', active: 'success', retired: 'warning', compromised: 'error' } as const;
const CA_LABELS = { 'awaiting-certificate': 'awaiting certificate' };

/**
 * One CA of a community: id, status, subject, links to its public certificate and CRL, and its CRL
 * history; a retired or compromised CA says so (it still publishes CRLs). Its SHA-256 fingerprint and public
 * links each have a copy button. Operators generate a CRL now and end issuing CAs here.
 */
export function CaCard({ id, ca }: { id: string | null; ca?: CaView }) {
  const { permissions } = useConsolePermissions();
  // bumped when a CRL is generated here, so the latest CRL and the history load again
  const [crlVersion, setCrlVersion] = useState(0);
  if (!id) return <Typography variant="body2">not created</Typography>;
  return (
    <Card variant="outlined" sx={{ minWidth: 0, maxWidth: '100%' }}>
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
            {ca.sha256 && (
              <>
                <Typography variant="caption" component="p" sx={{ mt: 1 }}>SHA-256 fingerprint</Typography>
                <Typography variant="body2" sx={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' }}>{colonFingerprint(ca.sha256)}</Typography>
                <CopyButton value={colonFingerprint(ca.sha256)} label={`Copy the SHA-256 fingerprint of ${ca.subject}`} />
              </>
            )}
            <Stack spacing={0} sx={{ mt: 0.5 }}>
              <span>
                <Link href={ca.certificateUrl} target="_blank" rel="noreferrer" variant="body2">CA certificate</Link>
                <CopyButton value={ca.certificateUrl} label={`Copy the certificate link of ${ca.subject}`} />
              </span>
              <span>
                <Link href={ca.crlUrl} target="_blank" rel="noreferrer" variant="body2">CRL</Link>
                <CopyButton value={ca.crlUrl} label={`Copy the CRL link of ${ca.subject}`} />
              </span>
            </Stack>
            <LatestCrl caId={ca.id} version={crlVersion} />
            {can(permissions, 'cas', 'generate-crl') && ca.certificatePem && <GenerateCrlButton ca={ca} onGenerated={() => setCrlVersion((v) => v + 1)} />}
            <EndCaActions ca={ca} />
            <CrlHistory caId={ca.id} version={crlVersion} />
          </>
        ) : (
          <Typography variant="body2">loading CA details…</Typography>
        )}
      </CardContent>
    </Card>
  );
}

function LatestCrl({ caId, version }: { caId: string; version: number }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const [crl, setCrl] = useState<CrlView | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    dp.getCrls(caId, 1).then((list) => live && setCrl(list[0] ?? null), () => live && setCrl(null));
    return () => {
      live = false;
    };
  }, [dp, caId, version]);
  if (crl === undefined) return null;
  if (crl === null) return <Typography variant="body2">no CRL published yet</Typography>;
  return (
    <Typography variant="body2">
      CRL #{crl.crlNumber}: {crl.entryCount} entries, next update {new Date(crl.nextUpdate).toLocaleString()}
    </Typography>
  );
}
