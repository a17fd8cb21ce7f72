import type { ActivityReportView } from '@anchorage/contracts';
import { Alert, Card, CardContent, Stack, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useState } from 'react';
import { useDataProvider } from 'react-admin';
import { useLoad } from '../../common/useLoad';
import type { ConsoleDataProvider } from '../../dataProvider';
import { errorText } from '../../errors';
import { BarChart } from './BarChart';
import { ChartTable } from './ChartTable';

/** A UTC day (YYYY-MM-DD) as "22 May". */
export const dayLabel = (day: string): string => new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** The picture's accessible summary: the window, the totals and the busiest day. */
export function activitySummary(a: ActivityReportView): string {
  const busiest = a.series.reduce((best, d) => (d.issued > best.issued ? d : best), a.series[0]);
  const peak = busiest && busiest.issued > 0 ? `; most issued on ${busiest.day}: ${busiest.issued}` : '';
  return `Certificates per day from ${a.from} to ${a.to}: ${a.totals.issued} issued, ${a.totals.revoked} revoked${peak}.`;
}

/** Issuance and revocations per day over the last 30 or 90 days (operators and auditors). */
export function ActivityChart() {
  const dp = useDataProvider<ConsoleDataProvider>();
  const [days, setDays] = useState(30);
  const { data, error } = useLoad(`activity:${days}`, () => dp.getActivityReport(days));
  return (
    <Card variant="outlined" component="section" aria-labelledby="activity-title">
      <CardContent>
        <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
          <Typography variant="h6" component="h2" id="activity-title">Issued and revoked per day</Typography>
          <ToggleButtonGroup size="small" exclusive value={days} onChange={(_, v: number | null) => v && setDays(v)} aria-label="Period">
            <ToggleButton value={30}>30 days</ToggleButton>
            <ToggleButton value={90}>90 days</ToggleButton>
          </ToggleButtonGroup>
        </Stack>
        {error ? <Alert severity="error">Could not load issuance and revocations: {errorText(error)}</Alert> : null}
        {data && data.days === days && (
          <>
            <Typography variant="body2" sx={{ my: 1 }}>
              Last {data.days} days (UTC): <strong>{data.totals.issued}</strong> issued, <strong>{data.totals.revoked}</strong> revoked.
            </Typography>
            <BarChart
              summary={activitySummary(data)}
              series={[{ name: 'issued', color: '#1565c0' }, { name: 'revoked', color: '#c62828', hatched: true }]}
              groups={data.series.map((d) => ({ label: dayLabel(d.day), title: d.day, values: [d.issued, d.revoked] }))}
            />
            <ChartTable caption={`Issued and revoked per day, ${data.from} to ${data.to}`} columns={['Day (UTC)', 'Issued', 'Revoked']}
              rows={data.series.map((d) => [d.day, d.issued, d.revoked])} />
          </>
        )}
      </CardContent>
    </Card>
  );
}
