import { useEffect, useState } from 'react';
import { sitingApi, type SitingRankResponse, type SitingRequirements } from '../../api/index.ts';
import { queryKey } from './sitingState.ts';

/** Waits this long after the last change (a slider dragged) before asking the server. */
export const REFETCH_DEBOUNCE_MS = 300;

export interface SitingResults {
  /** The last answer, kept while the next one loads (the page re-ranks its items live). */
  response: SitingRankResponse | null;
  /** The query the answer is for. */
  answeredKey: string;
  loading: boolean;
  error: Error | null;
}

/**
 * The ranking for `query`: asked after a short debounce, a newer query aborting the older; the
 * previous answer stays until the new one lands, so moving a weight never blanks the list.
 */
export function useSitingResults(query: SitingRequirements | null): SitingResults {
  const key = queryKey(query);
  const [state, setState] = useState<SitingResults>({ response: null, answeredKey: '', loading: false, error: null });

  useEffect(() => {
    if (!key) return;
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    const body = query!;
    const timer = setTimeout(() => {
      sitingApi.rank(body, ctrl.signal).then(
        (response) => setState({ response, answeredKey: key, loading: false, error: null }),
        (e: unknown) => {
          if (!ctrl.signal.aborted) setState((s) => ({ ...s, loading: false, error: e instanceof Error ? e : new Error(String(e)) }));
        },
      );
    }, REFETCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
    // The key is the query by value.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return key ? state : { response: null, answeredKey: '', loading: false, error: null };
}
