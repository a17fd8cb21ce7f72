import { Alert, Card, CardContent, Typography } from '@mui/material';
import { useDataProvider } from 'react-admin';
import { useLoad } from '../../common/useLoad';
import type { ConsoleDataProvider } from '../../dataProvider';
import { errorText } from '../../errors';
import { BarChart } from './BarChart';
import { ChartTable } from './ChartTable';

/** Weeks the chart looks ahead. */
export const EXPIRY_WEEKS = 12;

const short = (iso: string) => new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });

/** Issued, unrevoked certificates expiring in each of the next 12 weeks, each count written on its bar. */
export function ExpiryChart() {
  const dp = useDataProvider<ConsoleDataProvider>();
  const { data, error } = useLoad('expiring-weeks', () => dp.getExpiryReport(EXPIRY_WEEKS));
  const busiest = data?.series.reduce((b, w) => (w.count > b.count ? w : b), data.series[0]);
  return (
    <Card variant="outlined" component="section" aria-labelledby="expiry-title">
      <CardContent>
        <Typography variant="h6" component="h2" id="expiry-title">Certificates expiring by week</Typography>
        {error ? <Alert severity="error">Could not load the expiring certificates: {errorText(error)}</Alert> : null}
        {data && (
          <>
            <Typography variant="body2" sx={{ my: 1 }}>
              Next {data.weeks} weeks: <strong>{data.total}</strong> {data.total === 1 ? 'certificate expires' : 'certificates expire'}.
            </Typography>
            <BarChart
              summary={`Certificates expiring per week over the next ${data.weeks} weeks: ${data.total} in all${busiest && busiest.count > 0 ? `; most in week ${busiest.week + 1} (from ${short(busiest.from)}): ${busiest.count}` : ''}.`}
              series={[{ name: 'expiring', color: '#ef6c00' }]}
              groups={data.series.map((w) => ({ label: `W${w.week + 1}`, title: `Week ${w.week + 1}, ${short(w.from)} to ${short(w.to)}`, values: [w.count] }))}
              showValues
            />
            <ChartTable caption="Certificates expiring per week" columns={['Week', 'From', 'To', 'Expiring']}
              rows={data.series.map((w) => [`Week ${w.week + 1}`, new Date(w.from).toLocaleString(), new Date(w.to).toLocaleString(), w.count])} />
          </>
        )}
      </CardContent>
    </Card>
  );
}
