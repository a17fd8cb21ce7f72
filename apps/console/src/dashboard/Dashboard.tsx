import type { DashboardView } from '@anchorage/contracts';
import { Alert, Box, Card, CardContent, Link, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { Title, useDataProvider } from 'react-admin';
import { useLoad } from '../common/useLoad';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';
import { AWAITING_REVIEW_PATH } from '../layout/ConsoleLayout';
import { can, isMemberAdmin, useConsolePermissions } from '../permissions';
import { ActivityChart } from './charts/ActivityChart';
import { CrlCharts } from './charts/CrlCharts';
import { ExpiryChart } from './charts/ExpiryChart';
import { crlFreshness, timeLeft } from './time';

export { crlFreshness, timeLeft };

/** The waiting certificate requests (the list's status filter). */
export const PENDING_REQUESTS_PATH = `/certificate-requests?filter=${encodeURIComponent(JSON.stringify({ status: 'submitted' }))}`;


function Figure({ label, value, to }: { label: string; value: number; to?: string }) {
  return (
    <Card variant="outlined" sx={{ minWidth: 240 }} aria-label={label} role="region">
      <CardContent>
        <Typography variant="h3" component="p">{value}</Typography>
        {to ? <Link component={RouterLink} to={to}>{label}</Link> : <Typography>{label}</Typography>}
      </CardContent>
    </Card>
  );
}

function CrlFreshness({ crls }: { crls: DashboardView['crls'] }) {
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h6" component="h2">CRL freshness</Typography>
        {crls.length === 0 ? <Typography variant="body2">No CAs.</Typography> : (
          <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="CRL freshness">
            <TableHead>
              <TableRow><TableCell>CA</TableCell><TableCell>CRL number</TableCell><TableCell>Next update</TableCell><TableCell>Time left</TableCell></TableRow>
            </TableHead>
            <TableBody>
              {crls.map((c) => {
                if (c.external) {
                  return (
                    <TableRow key={c.caId} data-freshness="external">
                      <TableCell>{c.caSubject} ({c.caRole}, offline)</TableCell>
                      <TableCell colSpan={3}>Issued and published by the offline root&apos;s own operator</TableCell>
                    </TableRow>
                  );
                }
                const state = crlFreshness(c.secondsUntilNextUpdate);
                return (
                  <TableRow key={c.caId} data-freshness={state}>
                    <TableCell>{c.caSubject} ({c.caRole}{c.caStatus === 'active' ? '' : `, ${c.caStatus}`})</TableCell>
                    <TableCell>{c.crlNumber ?? '—'}</TableCell>
                    <TableCell>{c.nextUpdate ? new Date(c.nextUpdate).toLocaleString() : '—'}</TableCell>
                    <TableCell sx={state === 'ok' ? undefined : { color: `${state}.main`, fontWeight: 600 }}>{timeLeft(c.secondsUntilNextUpdate)}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

function ExpiringSoon({ expiring, linked }: { expiring: DashboardView['expiringSoon']; linked: boolean }) {
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h6" component="h2">
          Certificates expiring within {expiring.withinDays} days: {expiring.total}
        </Typography>
        {expiring.certificates.length > 0 && (
          <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Expiring certificates">
            <TableHead>
              <TableRow><TableCell>Serial</TableCell><TableCell>SAN URIs</TableCell><TableCell>Expires</TableCell></TableRow>
            </TableHead>
            <TableBody>
              {expiring.certificates.map((c) => (
                <TableRow key={c.id}>
                  <TableCell sx={{ fontFamily: 'monospace' }}>
                    {linked ? <Link component={RouterLink} to={`/certificates/${encodeURIComponent(c.id)}/show`}>{c.serial}</Link> : c.serial}
                  </TableCell>
                  <TableCell>{c.sanUris.join(', ')}</TableCell>
                  <TableCell>{new Date(c.notAfter).toLocaleDateString()}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

/**
 * The landing page: what waits for attention, CRL freshness per CA and certificates about to expire (scoped by the API);
 * for operators and auditors, charts: issuance and revocations per day, CRL size and freshness per CA, expiring certificates by week.
 */
export function Dashboard() {
  const dp = useDataProvider<ConsoleDataProvider>();
  const { permissions } = useConsolePermissions();
  const { data, error } = useLoad('dashboard', () => dp.getDashboard());
  const requestsLink = can(permissions, 'certificate-requests', 'list') ? PENDING_REQUESTS_PATH : undefined;
  const reviewLink = can(permissions, 'organizations', 'list') ? (isMemberAdmin(permissions) ? '/organizations' : AWAITING_REVIEW_PATH) : undefined;
  return (
    // inline-size containment: as wide as the screen, not as its widest table (which scrolls sideways), so the charts fit a phone
    <Stack spacing={2} sx={{ mt: 2, contain: 'inline-size' }}>
      <Title title="Dashboard" />
      {error ? <Alert severity="error">Could not load the dashboard: {errorText(error)}</Alert> : null}
      {!data ? (error ? null : <Typography>Loading…</Typography>) : (
        <>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
            <Figure label="Pending certificate requests" value={data.pendingRequests} to={requestsLink} />
            <Figure label="Organizations awaiting review" value={data.organizationsAwaitingReview} to={reviewLink} />
          </Stack>
          <CrlFreshness crls={data.crls} />
          <ExpiringSoon expiring={data.expiringSoon} linked={can(permissions, 'certificates', 'show')} />
          {can(permissions, 'reports', 'list') && (
            <>
              <ActivityChart />
              <ExpiryChart />
              <CrlCharts />
            </>
          )}
        </>
      )}
    </Stack>
  );
}
