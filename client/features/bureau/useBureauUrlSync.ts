import { useEffect } from 'react';
import { select, useSelectionStore } from '../../stores/selection.ts';
import { bureauYear, formatBureauUrl, parseBureauUrl } from './bureauUrl.ts';
import { openAllocation, setYear, useBureauStore } from './store.ts';

/**
 * Keeps `/bureau?plot=…&allocation=…&year=…` and the stores in step: reads the URL on mount and
 * on back/forward (a plot from a link is framed on the map once loaded), then writes changes
 * back with `history.replaceState`. Selecting another plot on the map closes an allocation that
 * belongs to a different plot.
 */
export function useBureauUrlSync(): void {
  useEffect(() => {
    const restore = () => {
      const s = parseBureauUrl(location.search);
      setYear(s.year ?? bureauYear());
      // The allocation first: selecting its plot then keeps it open.
      openAllocation(s.allocationId, s.plotId);
      select(s.plotId === null ? null : { kind: 'plot', id: s.plotId }, { focus: s.plotId !== null });
    };
    restore();

    const write = () => {
      const sel = useSelectionStore.getState().selection;
      const b = useBureauStore.getState();
      const next = formatBureauUrl(
        // This year is the default: only another year goes into the link.
        { plotId: sel?.kind === 'plot' ? sel.id : null, allocationId: b.allocationId, year: b.year === bureauYear() ? null : b.year },
        location.search,
      );
      if (next !== location.search) history.replaceState(history.state, '', `${location.pathname}${next}${location.hash}`);
    };
    const unsubSelection = useSelectionStore.subscribe((s, prev) => {
      if (s.selection === prev.selection) return;
      const b = useBureauStore.getState();
      const plotId = s.selection?.kind === 'plot' ? s.selection.id : null;
      if (b.allocationId !== null && b.allocationPlotId !== plotId) openAllocation(null, null);
      write();
    });
    const unsubBureau = useBureauStore.subscribe((s, prev) => {
      if (s.allocationId !== prev.allocationId || s.year !== prev.year) write();
    });
    window.addEventListener('popstate', restore);
    return () => {
      unsubSelection();
      unsubBureau();
      window.removeEventListener('popstate', restore);
    };
  }, []);
}
