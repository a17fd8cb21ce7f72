import { useCallback, useEffect, useRef, useState } from 'react';

/** Result of useLoad. */
export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (after an action changed what the page shows). */
  reload: () => Promise<void>;
}

/**
 * Loads something react-admin's record hooks do not cover (a dedicated endpoint such as an
 * organization's endpoint checks, or browser-side work) when `key` changes; the latest load wins.
 */
export function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(async () => {
    const n = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await loader.current();
      if (n === latest.current) setState({ data, loading: false });
    } catch (error) {
      if (n === latest.current) setState({ error, loading: false });
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [key, reload]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
