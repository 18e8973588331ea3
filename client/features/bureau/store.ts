/**
 * The bureau screen's own state (a small store, actions as plain functions): the
 * quota year in view, the allocation open in the side panel, and counters that make every list
 * and figure load again after a write — `tiles` also repaints the plots on the map (their
 * status colour comes from the vector tiles). The selected plot is the shared selection store,
 * so the map's highlight and click handling work unchanged.
 */
import { create } from 'zustand';
import { select, useSelectionStore } from '../../stores/selection.ts';
import type { UrlStateBinding } from '../../ui/useUrlState.ts';
import { bureauYear, formatBureauUrl, parseBureauUrl, type BureauUrlState } from './bureauUrl.ts';

interface BureauState {
  year: number;
  allocationId: number | null;
  /** The plot of the open allocation (when known): selecting another plot closes it. */
  allocationPlotId: number | null;
  /** Bumped after every write: lists, quota figures and details reload. */
  dataVersion: number;
  /** Bumped after a write that changed a plot's status: the plot tiles reload. */
  tilesVersion: number;
  /** What the last write did, shown on the allocation it concerns. */
  notice: { allocationId: number; text: string } | null;
}

export const useBureauStore = create<BureauState>(() => ({ year: bureauYear(), allocationId: null, allocationPlotId: null, dataVersion: 0, tilesVersion: 0, notice: null }));

export function setYear(year: number): void {
  useBureauStore.setState({ year });
}

/** Opens an allocation beside the map (null closes it); `plotId` is the plot it belongs to. */
export function openAllocation(allocationId: number | null, plotId: number | null = null): void {
  useBureauStore.setState({ allocationId, allocationPlotId: allocationId === null ? null : plotId });
}

/** Something was written: reload the figures, and the map's plots when a plot changed status. */
export function dataChanged(opts: { plotStatusChanged?: boolean } = {}): void {
  useBureauStore.setState((s) => ({ dataVersion: s.dataVersion + 1, tilesVersion: opts.plotStatusChanged ? s.tilesVersion + 1 : s.tilesVersion }));
}

/** Says what a write did, on the allocation it concerns (until another allocation is opened). */
export function setNotice(allocationId: number, text: string): void {
  useBureauStore.setState({ notice: { allocationId, text } });
}

/**
 * `/bureau?plot=…&allocation=…&year=…` (`useUrlState(BUREAU_URL_STATE)`): a plot from a link is
 * framed on the map once loaded; this year is the default, so only another year goes into the
 * link. Selecting another plot on the map closes an allocation that belongs to a different plot.
 */
export const BUREAU_URL_STATE: UrlStateBinding<BureauUrlState> = {
  parse: parseBureauUrl,
  format: formatBureauUrl,
  read: () => {
    const sel = useSelectionStore.getState().selection;
    const b = useBureauStore.getState();
    return { plotId: sel?.kind === 'plot' ? sel.id : null, allocationId: b.allocationId, year: b.year === bureauYear() ? null : b.year };
  },
  apply: (s) => {
    setYear(s.year ?? bureauYear());
    // The allocation first: selecting its plot then keeps it open.
    openAllocation(s.allocationId, s.plotId);
    select(s.plotId === null ? null : { kind: 'plot', id: s.plotId }, { focus: s.plotId !== null });
  },
  subscribe: (onChange) => {
    const unsubSelection = useSelectionStore.subscribe((s, prev) => {
      if (s.selection === prev.selection) return;
      const b = useBureauStore.getState();
      const plotId = s.selection?.kind === 'plot' ? s.selection.id : null;
      if (b.allocationId !== null && b.allocationPlotId !== plotId) openAllocation(null, null);
      onChange();
    });
    const unsubBureau = useBureauStore.subscribe((s, prev) => {
      if (s.allocationId !== prev.allocationId || s.year !== prev.year) onChange();
    });
    return () => {
      unsubSelection();
      unsubBureau();
    };
  },
};
