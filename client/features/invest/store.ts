/**
 * The investor search: its filters (mirrored in the URL), the map view the list follows, and
 * the result under the pointer (a hovered row lights its plot on the map and the other way
 * round). Actions are plain functions.
 */
import { create } from 'zustand';
import type { BBox } from '../../../shared/domain.ts';
import type { UrlStateBinding } from '../../ui/useUrlState.ts';
import { DEFAULT_FILTERS, formatSearchUrl, parseSearchUrl, type SearchFilters } from './searchState.ts';

interface InvestSearchState {
  filters: SearchFilters;
  /** The map's visible bounds, rounded (null until the map has reported them). */
  bbox: BBox | null;
  /** The result plot under the pointer, in the list or on the map. */
  hoveredId: number | null;
}

export const useInvestSearchStore = create<InvestSearchState>(() => ({ filters: DEFAULT_FILTERS, bbox: null, hoveredId: null }));

export function setFilters(patch: Partial<SearchFilters>): void {
  useInvestSearchStore.setState((s) => ({ filters: { ...s.filters, ...patch } }));
}

export function replaceFilters(filters: SearchFilters): void {
  useInvestSearchStore.setState({ filters });
}

export function resetFilters(): void {
  useInvestSearchStore.setState((s) => ({ filters: { ...DEFAULT_FILTERS, sort: s.filters.sort, followMap: s.filters.followMap } }));
}

export function setViewBbox(bbox: BBox): void {
  const prev = useInvestSearchStore.getState().bbox;
  if (prev && prev.every((v, i) => v === bbox[i])) return;
  useInvestSearchStore.setState({ bbox });
}

export function setHoveredResult(id: number | null): void {
  if (useInvestSearchStore.getState().hoveredId !== id) useInvestSearchStore.setState({ hoveredId: id });
}

/** The filters in the URL (`useUrlState(SEARCH_URL_STATE)`), beside the map's camera and selection. */
export const SEARCH_URL_STATE: UrlStateBinding<SearchFilters> = {
  parse: parseSearchUrl,
  format: formatSearchUrl,
  read: () => useInvestSearchStore.getState().filters,
  apply: replaceFilters,
  subscribe: (onChange) =>
    useInvestSearchStore.subscribe((s, prev) => {
      if (s.filters !== prev.filters) onChange();
    }),
};
