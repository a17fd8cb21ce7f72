import type { CommunityView, ExchangePurpose } from '@anchorage/contracts';
import { Alert, Button, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';
import { isOperator, useConsolePermissions } from '../permissions';

/**
 * A community's catalog of exchange purposes: the fragments its client SAN URIs may carry (TEFCA's
 * "#T-TREAT"...). An operator starts it from the TEFCA preset and retires or restores codes; a retired
 * code stays listed, because issued certificates still carry it.
 */
export function ExchangePurposes() {
  const c = useRecordContext<CommunityView>();
  const { permissions } = useConsolePermissions();
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!c) return null;
  const operator = isOperator(permissions);
  const catalog = c.exchangePurposes ?? [];

  const save = async (input: { preset: 'tefca' } | { purposes: ExchangePurpose[] }, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await dp.setExchangePurposes(c.id, input);
      notify(done, { type: 'success' });
      refresh();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (code: string) => {
    const purposes = catalog.map((p) => (p.code === code ? { ...p, active: !p.active } : p));
    const now = purposes.find((p) => p.code === code)!;
    void save({ purposes }, `${code} ${now.active ? 'restored' : 'retired'}`);
  };

  return (
    <Stack spacing={1} component="section" aria-label="Exchange purposes">
      {catalog.length === 0 ? (
        <Typography variant="body2">
          No catalog: client SAN URIs may carry any fragment. With a catalog, a member asks for one client URI per exchange purpose in one request.
        </Typography>
      ) : (
        <Table size="small" aria-label="Exchange purpose catalog" sx={{ maxWidth: 760 }}>
          <TableHead>
            <TableRow>
              <TableCell>Code</TableCell>
              <TableCell>Meaning</TableCell>
              <TableCell>Status</TableCell>
              {operator && <TableCell />}
            </TableRow>
          </TableHead>
          <TableBody>
            {catalog.map((p) => (
              <TableRow key={p.code} data-code={p.code}>
                <TableCell sx={{ fontFamily: 'monospace' }}>#{p.code}</TableCell>
                <TableCell>{p.display}</TableCell>
                <TableCell><Chip size="small" label={p.active ? 'active' : 'retired'} color={p.active ? 'success' : 'default'} variant={p.active ? 'filled' : 'outlined'} /></TableCell>
                {operator && (
                  <TableCell>
                    <Button size="small" disabled={busy} onClick={() => toggle(p.code)} aria-label={`${p.active ? 'Retire' : 'Restore'} ${p.code}`}>
                      {p.active ? 'Retire' : 'Restore'}
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {operator && catalog.length === 0 && (
        <div>
          <Button variant="outlined" disabled={busy} onClick={() => void save({ preset: 'tefca' }, 'Exchange purposes set from the TEFCA catalog')}>
            Use the TEFCA exchange purposes
          </Button>
        </div>
      )}
      {error && <Alert severity="error" role="alert">{error}</Alert>}
    </Stack>
  );
}
