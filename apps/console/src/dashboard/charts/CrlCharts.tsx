import { Alert, Card, CardContent, Grid, MenuItem, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useDataProvider } from 'react-admin';
import { useLoad } from '../../common/useLoad';
import type { ConsoleDataProvider } from '../../dataProvider';
import { errorText } from '../../errors';
import { timeLeft } from '../time';
import { ChartTable } from './ChartTable';
import { freshnessPoints, type CaCrls } from './crl-series';
import { LineChart } from './LineChart';

/** Days of CRL history the charts show. */
export const CRL_CHART_DAYS = 30;

const HOUR = 3600;

/** Size and freshness of one CA's CRLs over the window, as two small charts and one table. */
function CaCrlCharts({ ca, from, now }: { ca: CaCrls; from: number; now: number }) {
  if (ca.crls.length === 0) return <Typography variant="body2">No CRL published by this CA in the last {CRL_CHART_DAYS} days.</Typography>;
  const newest = ca.crls[ca.crls.length - 1];
  const sizes = ca.crls.map((c) => ({ t: Date.parse(c.thisUpdate), v: c.bytes }));
  const entries = ca.crls.map((c) => ({ t: Date.parse(c.thisUpdate), v: c.entryCount }));
  const fresh = freshnessPoints(ca, now);
  const lapsed = ca.crls.filter((c) => (c.secondsLeftAtReplacement ?? 1) < 0).length;
  const leftNow = Math.floor((Date.parse(newest.nextUpdate) - now) / 1000);
  return (
    <>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 4 }}>
          <Typography variant="subtitle2" component="h3">Entries</Typography>
          <LineChart summary={`Entries of ${ca.caSubject}'s CRLs: ${ca.crls.length} CRLs, from ${ca.crls[0].entryCount} to ${newest.entryCount} entries.`}
            points={entries} from={from} to={now} color="#6a1b9a" unit="entries" />
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <Typography variant="subtitle2" component="h3">Size</Typography>
          <LineChart summary={`Size of ${ca.caSubject}'s CRLs: from ${ca.crls[0].bytes} to ${newest.bytes} bytes.`}
            points={sizes} from={from} to={now} color="#2e7d32" unit="bytes" />
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <Typography variant="subtitle2" component="h3">Freshness: time until nextUpdate</Typography>
          <LineChart summary={`Freshness of ${ca.caSubject}'s CRL: ${timeLeft(leftNow)} left now; each CRL starts with ${Math.round(newest.lifetimeSeconds / HOUR)} h; ${lapsed === 0 ? 'none lapsed before it was replaced' : `${lapsed} lapsed before they were replaced`}.`}
            points={fresh} dots={fresh.filter((_, i) => i % 2 === 0)} from={from} to={now} color="#1565c0" unit="hours left" zeroLabel="lapsed (past nextUpdate)" />
        </Grid>
      </Grid>
      <ChartTable caption={`CRLs of ${ca.caSubject}`} columns={['CRL', 'This update', 'Next update', 'Entries', 'Bytes', 'Lifetime', 'Left when replaced']}
        rows={[...ca.crls].reverse().map((c) => [
          `#${c.crlNumber}`, new Date(c.thisUpdate).toLocaleString(), new Date(c.nextUpdate).toLocaleString(), c.entryCount, c.bytes,
          timeLeft(c.lifetimeSeconds), c.secondsLeftAtReplacement === null ? 'current' : timeLeft(c.secondsLeftAtReplacement),
        ])} />
    </>
  );
}

/** CRL size and freshness over the last 30 days, one CA at a time (chosen from those in scope). */
export function CrlCharts() {
  const dp = useDataProvider<ConsoleDataProvider>();
  const { data, error } = useLoad('crl-report', () => dp.getCrlReport(CRL_CHART_DAYS));
  const [picked, setPicked] = useState<string | null>(null);
  const cas = data?.cas ?? [];
  const ca = cas.find((c) => c.caId === picked) ?? cas.find((c) => c.caRole === 'issuing' && c.crls.length > 0) ?? cas[0];
  const now = Date.now();
  return (
    <Card variant="outlined" component="section" aria-labelledby="crl-charts-title">
      <CardContent>
        <Typography variant="h6" component="h2" id="crl-charts-title">CRL size and freshness, last {CRL_CHART_DAYS} days</Typography>
        {error ? <Alert severity="error">Could not load the CRL history: {errorText(error)}</Alert> : null}
        {data && cas.length === 0 && <Typography variant="body2">No CAs.</Typography>}
        {ca && (
          <>
            <TextField select size="small" label="CA" value={ca.caId} onChange={(e) => setPicked(e.target.value)} sx={{ my: 1, maxWidth: '100%', minWidth: 240 }}>
              {cas.map((c) => <MenuItem key={c.caId} value={c.caId}>{c.caSubject} ({c.caRole}{c.caStatus === 'active' ? '' : `, ${c.caStatus}`})</MenuItem>)}
            </TextField>
            <CaCrlCharts ca={ca} from={now - CRL_CHART_DAYS * 86_400_000} now={now} />
          </>
        )}
      </CardContent>
    </Card>
  );
}
