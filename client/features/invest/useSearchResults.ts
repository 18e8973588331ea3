import { useCallback, useEffect, useRef, useState } from 'react';
import { investApi, type SearchItem, type SearchPage } from '../../api/index.ts';
import { useInvestSearchStore } from './store.ts';
import { toSearchParams } from './searchState.ts';

/** Rows fetched per request; the list asks for the next page as it scrolls. */
export const PAGE_SIZE = 100;
/** Waits this long after the last change (typing, panning) before searching. */
const DEBOUNCE_MS = 250;

export interface SearchResults {
  items: SearchItem[];
  total: number | null;
  asOf: string | null;
  referenceSample: boolean;
  loading: boolean;
  error: Error | null;
  /** Loads the next page, if any (no-op while one is loading). */
  loadMore: () => void;
  /** The key of the search the items belong to (changes when filters or view change). */
  key: string;
}

/**
 * The search for the current filters (and map view, when the list follows the map): the first
 * page after a short debounce, more pages on demand; a new search aborts the old one, and a page
 * never lands under another search's key.
 */
export function useSearchResults(): SearchResults {
  const filters = useInvestSearchStore((s) => s.filters);
  const bbox = useInvestSearchStore((s) => s.bbox);
  const params = toSearchParams(filters, bbox);
  const waitForMap = filters.followMap && bbox === null;
  const key = waitForMap ? '' : JSON.stringify(params);
  const [state, setState] = useState<{ key: string; pages: SearchPage[]; loading: boolean; error: Error | null }>({ key: '', pages: [], loading: true, error: null });
  const more = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!key) return;
    const ctrl = new AbortController();
    more.current?.abort();
    more.current = null;
    setState((s) => ({ ...s, loading: true, error: null }));
    const timer = setTimeout(() => {
      investApi.search({ ...(JSON.parse(key) as object), limit: PAGE_SIZE, offset: 0 }, ctrl.signal).then(
        (page) => setState({ key, pages: [page], loading: false, error: null }),
        (e: unknown) => {
          if (!ctrl.signal.aborted) setState({ key, pages: [], loading: false, error: e instanceof Error ? e : new Error(String(e)) });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [key]);

  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  });

  const loadMore = useCallback(() => {
    const s = latest.current;
    const loaded = s.pages.reduce((n, p) => n + p.items.length, 0);
    const total = s.pages[0]?.total ?? 0;
    if (s.loading || s.key !== key || loaded >= total || more.current) return;
    const ctrl = new AbortController();
    more.current = ctrl;
    investApi.search({ ...(JSON.parse(key) as object), limit: PAGE_SIZE, offset: loaded }, ctrl.signal).then(
      (page) => {
        more.current = null;
        setState((cur) => (cur.key === key && cur.pages.reduce((n, p) => n + p.items.length, 0) === loaded ? { ...cur, pages: [...cur.pages, page] } : cur));
      },
      () => {
        more.current = null;
      },
    );
  }, [key]);

  const current = state.key === key ? state : null;
  const first = current?.pages[0];
  return {
    items: current ? current.pages.flatMap((p) => p.items) : [],
    total: first?.total ?? null,
    asOf: first?.asOf ?? null,
    referenceSample: first?.referenceSample ?? false,
    loading: !current || state.loading,
    error: current?.error ?? null,
    loadMore,
    key,
  };
}
