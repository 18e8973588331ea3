/**
 * The siting page's state: the requirements being typed (`draft`) and the query last asked
 * (`query`, mirrored in the URL — a link or a reload reproduces it; the weight sliders change it
 * live). Hover between the list and the map is the investor search's (`setHoveredResult`), so the
 * shared result layer lights the same way on both pages.
 */
import { create } from 'zustand';
import type { SitingRequirements } from '../../../shared/contract/siting.ts';
import type { UrlStateBinding } from '../../ui/useUrlState.ts';
import { DEFAULT_REQUIREMENTS, formatSitingUrl, parseSitingUrl, queryKey } from './sitingState.ts';

interface SitingState {
  draft: SitingRequirements;
  query: SitingRequirements | null;
}

export const useSitingStore = create<SitingState>(() => ({ draft: DEFAULT_REQUIREMENTS, query: null }));

export function setDraft(draft: SitingRequirements): void {
  useSitingStore.setState({ draft });
}

/** Asks `query` (the form's submit, a slider, "more"); the same query again changes nothing. */
export function setQuery(query: SitingRequirements | null): void {
  if (queryKey(useSitingStore.getState().query) === queryKey(query)) return;
  useSitingStore.setState({ query });
}

/** The requirements without the ranking's own knobs (weights, limit): what the form edits. */
function stripRanking(q: SitingRequirements): SitingRequirements {
  const { weights: _w, limit: _l, ...rest } = q;
  return rest;
}

/** The query in the URL (`useUrlState(SITING_URL_STATE)`), beside the map's camera and selection. */
export const SITING_URL_STATE: UrlStateBinding<SitingRequirements | null> = {
  parse: parseSitingUrl,
  format: formatSitingUrl,
  read: () => useSitingStore.getState().query,
  apply: (query) => {
    useSitingStore.setState((s) => ({ query, draft: query ? stripRanking(query) : s.draft }));
  },
  subscribe: (onChange) =>
    useSitingStore.subscribe((s, prev) => {
      if (s.query !== prev.query) onChange();
    }),
};
