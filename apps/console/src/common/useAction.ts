import { useState } from 'react';
import { useNotify, useRefresh } from 'react-admin';
import { errorText } from '../errors';

/**
 * Runs a domain action (a dedicated endpoint call): busy while it runs, the success sentence or the
 * problem's detail as a notification, and a refresh of what the page shows either way.
 */
export function useAction(): { busy: boolean; run: <T>(action: () => Promise<T>, success: (out: T) => string) => Promise<T | undefined> } {
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const run = async <T>(action: () => Promise<T>, success: (out: T) => string): Promise<T | undefined> => {
    setBusy(true);
    try {
      const out = await action();
      notify(success(out), { type: 'success' });
      return out;
    } catch (err) {
      notify(errorText(err), { type: 'error' });
      return undefined;
    } finally {
      setBusy(false);
      refresh();
    }
  };
  return { busy, run };
}
