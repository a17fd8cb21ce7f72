import type { CaView, CrlView } from '@anchorage/contracts';
import { Alert, Button, CircularProgress, Stack } from '@mui/material';
import { useState } from 'react';
import { useDataProvider } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';

/**
 * "Generate CRL now" (operators): the API signs and publishes a new CRL of the CA at once; the page says
 * which number it got and how many entries it lists, and `onGenerated` lets the CRL history reload.
 */
export function GenerateCrlButton({ ca, onGenerated }: { ca: CaView; onGenerated: (crl: CrlView) => void }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<CrlView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generate = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const crl = await dp.generateCrl(ca.id);
      setDone(crl);
      onGenerated(crl);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={1} sx={{ my: 1 }}>
      <div>
        <Button variant="outlined" size="small" disabled={busy} onClick={() => void generate()} aria-label={`Generate CRL now for ${ca.subject}`}
          startIcon={busy ? <CircularProgress size={14} /> : undefined}>
          {busy ? 'Generating CRL…' : 'Generate CRL now'}
        </Button>
      </div>
      {done && (
        <Alert severity="success" role="status">
          CRL #{done.crlNumber} published: {done.entryCount} {done.entryCount === 1 ? 'entry' : 'entries'}, next update {new Date(done.nextUpdate).toLocaleString()}.
        </Alert>
      )}
      {error && <Alert severity="error" role="alert">Could not generate the CRL: {error}</Alert>}
    </Stack>
  );
}
