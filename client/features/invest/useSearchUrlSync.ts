import { useEffect } from 'react';
import { replaceFilters, useInvestSearchStore } from './store.ts';
import { formatSearchUrl, parseSearchUrl } from './searchState.ts';

/**
 * Keeps `/invest`'s filters and the URL in step: reads them on mount and on back/forward, writes
 * every change with `history.replaceState`, keeping the camera and selection parameters (written
 * by ../url/useUrlSync.ts) as they are. Written from the store only, so there is no loop.
 */
export function useSearchUrlSync(): void {
  useEffect(() => {
    const restore = () => replaceFilters(parseSearchUrl(location.search));
    restore();
    const unsubscribe = useInvestSearchStore.subscribe((s, prev) => {
      if (s.filters === prev.filters) return;
      const next = formatSearchUrl(s.filters, location.search);
      if (next !== location.search) history.replaceState(history.state, '', `${location.pathname}${next}${location.hash}`);
    });
    window.addEventListener('popstate', restore);
    return () => {
      unsubscribe();
      window.removeEventListener('popstate', restore);
    };
  }, []);
}
