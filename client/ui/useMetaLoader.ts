import { useEffect } from 'react';
import { api } from '../api/index.ts';
import { setMeta } from '../stores/dataset.ts';

/** Fetches `/api/meta` once for the app (sample-data badge, data date). Failure is non-fatal. */
export function useMetaLoader(): void {
  useEffect(() => {
    const ctrl = new AbortController();
    api.meta(ctrl.signal).then(setMeta, () => {
      // No meta (older server, network blip): the badge still shows from `sample` features.
    });
    return () => ctrl.abort();
  }, []);
}
