import type { OrganizationConformanceView } from '@anchorage/contracts';
import { Alert, Box, Card, CardContent, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { RecordContextProvider, useDataProvider } from 'react-admin';
import { useNarrow } from '../common/narrow';
import { CardField } from '../common/RecordCards';
import { useLoad } from '../common/useLoad';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';
import { CheckNowButton } from './CheckNowButton';
import { ConformanceStatusChip, EndpointCodes, Findings, when } from './fields';

/** A server's recent checks, newest first, as chips (each with when and why it ran). */
function History({ baseUrl, history }: { baseUrl: string; history: OrganizationConformanceView['endpoints'][number]['history'] }) {
  return (
    <Box aria-label={`History of ${baseUrl}`} sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
      {history.map((h) => (
        <Box key={h.id} title={`${when(h.checkedAt)} (${h.trigger})`}><ConformanceStatusChip status={h.status} /></Box>
      ))}
    </Box>
  );
}

/**
 * An organization's conformance page: each of its monitored servers (the SAN URIs of its live server
 * certificates) with its state, what its newest check found and its recent history; its member admins
 * and operators check one now. On a phone, one entry per server instead of the table.
 */
export function OrganizationConformance({ organizationId, canAct }: { organizationId: string; canAct: boolean }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const narrow = useNarrow();
  const page = useLoad<OrganizationConformanceView>(`conformance:${organizationId}`, () => dp.getOrganizationConformance(organizationId));
  const v = page.data;
  return (
    <Card variant="outlined" component="section" aria-label="Endpoint conformance">
      <CardContent>
        <Stack spacing={2}>
          <Typography variant="h6">Endpoint conformance</Typography>
          <Typography variant="body2" color="text.secondary">
            The platform fetches each server's UDAP metadata every monitoring cycle, checks the elements UDAP STU2 requires and verifies its signed_metadata
            with this community's trust anchor and CRLs: it must be signed with one of your live server certificates.
          </Typography>
          {page.error !== undefined && <Alert severity="error" role="alert">{errorText(page.error)}</Alert>}
          {v && (
            <Typography variant="body2" aria-label="Conformance summary">
              {v.summary.passing} passing, {v.summary.failing} failing, {v.summary.unknown} not checked yet
            </Typography>
          )}
          {v && v.endpoints.length === 0 && <Typography variant="body2">No monitored servers: they come with a live udap-server certificate.</Typography>}
          {v && v.endpoints.length > 0 && narrow && (
            // a phone: one entry per server, its values labelled, instead of the table's columns
            <Stack component="ul" aria-label="Monitored servers" spacing={1} sx={{ listStyle: 'none', m: 0, p: 0 }}>
              {v.endpoints.map(({ endpoint, history }) => (
                <RecordContextProvider key={endpoint.id} value={endpoint}>
                  <Box component="li" data-endpoint={endpoint.baseUrl} sx={{ borderTop: 1, borderColor: 'divider', pt: 1, overflowWrap: 'anywhere' }}>
                    <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>{endpoint.baseUrl}</Typography>
                    {endpoint.retiredAt && <Typography variant="caption" component="div">not monitored since {when(endpoint.retiredAt)}</Typography>}
                    <Stack direction="row" useFlexGap spacing={2} sx={{ flexWrap: 'wrap', rowGap: 1, mt: 0.5 }}>
                      <CardField label="Status"><ConformanceStatusChip /></CardField>
                      <CardField label="Last checked">{when(endpoint.lastCheckedAt)}</CardField>
                      <CardField label="History"><History baseUrl={endpoint.baseUrl} history={history} /></CardField>
                      <CardField label="Findings">
                        <EndpointCodes />
                        {history[0] && history[0].status === 'failing' && <Box sx={{ mt: 1 }}><Findings check={history[0]} /></Box>}
                      </CardField>
                      {canAct && <CheckNowButton endpointId={endpoint.id} baseUrl={endpoint.baseUrl} onDone={() => page.reload()} />}
                    </Stack>
                  </Box>
                </RecordContextProvider>
              ))}
            </Stack>
          )}
          {v && v.endpoints.length > 0 && !narrow && (
            <Table size="small" aria-label="Monitored servers">
              <TableHead>
                <TableRow>
                  <TableCell>FHIR base URL</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Findings</TableCell>
                  <TableCell>Last checked</TableCell>
                  <TableCell>History</TableCell>
                  {canAct && <TableCell />}
                </TableRow>
              </TableHead>
              <TableBody>
                {v.endpoints.map(({ endpoint, history }) => (
                  <RecordContextProvider key={endpoint.id} value={endpoint}>
                    <TableRow data-endpoint={endpoint.baseUrl}>
                      <TableCell sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                        {endpoint.baseUrl}
                        {endpoint.retiredAt && <Typography variant="caption" component="div">not monitored since {when(endpoint.retiredAt)}</Typography>}
                      </TableCell>
                      <TableCell><ConformanceStatusChip /></TableCell>
                      <TableCell>
                        <EndpointCodes />
                        {history[0] && history[0].status === 'failing' && <Box sx={{ mt: 1 }}><Findings check={history[0]} /></Box>}
                      </TableCell>
                      <TableCell>{when(endpoint.lastCheckedAt)}</TableCell>
                      <TableCell><History baseUrl={endpoint.baseUrl} history={history} /></TableCell>
                      {canAct && <TableCell><CheckNowButton endpointId={endpoint.id} baseUrl={endpoint.baseUrl} onDone={() => page.reload()} /></TableCell>}
                    </TableRow>
                  </RecordContextProvider>
                ))}
              </TableBody>
            </Table>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
