import type { ConformanceCheckResultView } from '@anchorage/contracts';
import { Button } from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';

/** "Check now": runs the server's conformance check and says the outcome; `onDone` (or a refresh) shows it. */
export function CheckNowButton({ endpointId, baseUrl, onDone }: { endpointId: string; baseUrl: string; onDone?: (r: ConformanceCheckResultView) => void | Promise<void> }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const r = await dp.checkConformanceEndpoint(endpointId);
      notify(r.check.status === 'passing' ? `${baseUrl} passes` : `${baseUrl} fails: ${r.endpoint.errorCodes.join(', ')}`, { type: r.check.status === 'passing' ? 'success' : 'warning' });
      if (onDone) await onDone(r);
      else refresh();
    } catch (err) {
      notify(errorText(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="small" variant="outlined" disabled={busy} aria-label={`Check ${baseUrl} now`} onClick={(e) => { e.stopPropagation(); void run(); }}>
      {busy ? 'Checking…' : 'Check now'}
    </Button>
  );
}
