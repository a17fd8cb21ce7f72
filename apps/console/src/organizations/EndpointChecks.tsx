import { ENDPOINT_CHECK_FAILURES, type EndpointCheckView, type OrganizationView } from '@anchorage/contracts';
import { Alert, Box, Button, Card, CardContent, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify } from 'react-admin';
import { StateChip } from '../common/StatusChip';
import { useLoad } from '../common/useLoad';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';

const COLORS = { pending: 'info', verified: 'success', failed: 'error' } as const;
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** Why a check failed, in the fixed words of its code (the API never sends what the server said). */
const failureText = (c: EndpointCheckView): string => ENDPOINT_CHECK_FAILURES[c.lastError ?? 'unknown'] ?? ENDPOINT_CHECK_FAILURES.unknown;

/** The URIs a check may concern: the bound SAN URIs and those the profile asks for. */
export const checkableUris = (o: OrganizationView): string[] => [...new Set([...o.sanUris, ...(o.profile.requestedSanUris ?? [])])];

/**
 * Endpoint control: proof that the organization runs a SAN URI. Starting a check gives a token to
 * publish as the whole body of `<uri>/.well-known/anchorage-endpoint-check`; running it fetches that
 * and records verified, or failed with the reason. Auditors see the checks; members and operators act.
 */
export function EndpointChecks({ organization, canAct }: { organization: OrganizationView; canAct: boolean }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const uris = checkableUris(organization);
  const [picked, setPicked] = useState('');
  const uri = uris.includes(picked) ? picked : uris[0] ?? '';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const checks = useLoad(organization.id, () => dp.getEndpointChecks(organization.id));

  const act = async (what: () => Promise<EndpointCheckView>, done: (c: EndpointCheckView) => string, severity: (c: EndpointCheckView) => 'success' | 'warning' | 'info') => {
    setBusy(true);
    setError(null);
    try {
      const c = await what();
      notify(done(c), { type: severity(c) });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      await checks.reload();
    }
  };
  const start = (u: string) => act(() => dp.startEndpointCheck(organization.id, u), (c) => `Publish the new token for ${c.uri}, then run the check`, () => 'info');
  const run = (u: string) => act(
    () => dp.runEndpointCheck(organization.id, u),
    (c) => (c.status === 'verified' ? `${c.uri} verified` : `The check of ${c.uri} failed: ${failureText(c)}`),
    (c) => (c.status === 'verified' ? 'success' : 'warning'),
  );

  const rows = checks.data ?? [];
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack spacing={2}>
          <Typography variant="h6">Endpoint checks</Typography>
          <Typography variant="body2" color="text.secondary">
            Prove that you run a SAN URI: start a check, publish the token as the whole body of the address shown (plain text, over HTTPS), then run the check.
          </Typography>
          {canAct && uris.length > 0 && (
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
              {/* on a phone the field takes what the button leaves (a long URI is cut short with an ellipsis), not its text's width */}
              <TextField select size="small" label="URI to check" value={uri} onChange={(e) => setPicked(e.target.value)}
                sx={{ minWidth: { xs: 0, sm: 360 }, width: { xs: 0, sm: 'auto' }, flex: { xs: 1, sm: 'none' } }}>
                {uris.map((u) => <MenuItem key={u} value={u}>{u}</MenuItem>)}
              </TextField>
              <Button variant="outlined" onClick={() => void start(uri)} disabled={busy || !uri}>Start check</Button>
            </Stack>
          )}
          {uris.length === 0 && <Typography variant="body2">No SAN URIs yet: they come with the profile.</Typography>}
          {error && <Alert severity="error" role="alert">{error}</Alert>}
          {checks.error !== undefined && <Alert severity="error" role="alert">{errorText(checks.error)}</Alert>}
          {rows.length > 0 && (
            <Table size="small" aria-label="Endpoint checks">
              <TableHead>
                <TableRow>
                  <TableCell>URI</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Publish this token</TableCell>
                  <TableCell>Outcome</TableCell>
                  {canAct && <TableCell />}
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((c) => (
                  <TableRow key={c.uri}>
                    <TableCell sx={{ fontFamily: 'monospace' }}>{c.uri}</TableCell>
                    <TableCell><StateChip value={c.status} colors={COLORS} /></TableCell>
                    <TableCell>
                      <Box sx={{ fontFamily: 'monospace', fontSize: 13, wordBreak: 'break-all' }} aria-label={`Token for ${c.uri}`}>{c.token}</Box>
                      <Typography variant="caption" component="div">at <Box component="span" sx={{ fontFamily: 'monospace' }} aria-label={`Publish URL for ${c.uri}`}>{c.publishAt}</Box></Typography>
                    </TableCell>
                    <TableCell>
                      {c.status === 'verified' && `verified ${when(c.verifiedAt)}`}
                      {c.status === 'failed' && <><div>failed {when(c.checkedAt)}</div><Typography variant="body2" color="error">{failureText(c)}</Typography></>}
                      {c.status === 'pending' && 'not checked yet'}
                    </TableCell>
                    {canAct && (
                      <TableCell>
                        <Stack direction="row" spacing={1}>
                          <Button size="small" variant="contained" onClick={() => void run(c.uri)} disabled={busy}>Run check</Button>
                          <Button size="small" onClick={() => void start(c.uri)} disabled={busy}>New token</Button>
                        </Stack>
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
