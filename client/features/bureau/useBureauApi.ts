import { useEffect, useState } from 'react';
import { useApi, type ApiState } from '../../ui/useApi.ts';
import { useBureauStore } from './store.ts';

/**
 * `useApi` for the bureau's figures: loads `key` again after every write (the store's
 * `dataVersion`), and keeps showing the last answer for the same key while the new one loads —
 * so a form beside the figures is never unmounted (and emptied) by a refresh.
 * `refreshing` is true while a newer answer is on its way.
 */
export function useBureauApi<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): ApiState<T> & { refreshing: boolean } {
  const version = useBureauStore((s) => s.dataVersion);
  const state = useApi(key === null ? null : `${key}#${version}`, load);
  const [kept, setKept] = useState<{ key: string; data: T } | null>(null);
  useEffect(() => {
    if (state.data !== null && key !== null) setKept({ key, data: state.data });
  }, [state.data, key]);
  const stale = kept !== null && kept.key === key ? kept.data : null;
  return {
    ...state,
    data: state.data ?? (state.error ? null : stale),
    loading: state.loading && stale === null,
    refreshing: state.loading && stale !== null,
  };
}
