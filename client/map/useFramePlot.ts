import { bbox } from '@turf/turf';
import { useEffect } from 'react';
import type { BBox } from '../../shared/domain.ts';
import { api } from '../api/index.ts';
import { takeFocusRequest, useSelectionStore } from '../stores/selection.ts';
import { fitBounds } from '../stores/view.ts';

/**
 * Frames `plotId` on the map when its selection asked for it (a link, a row of a list: the
 * allocations, the red-line items) — for
 * panels that show something else than the plot itself, e.g. an allocation. Loads the plot's
 * outline once, then `fitBounds`.
 */
export function useFramePlot(plotId: number | null): void {
  const pending = useSelectionStore((s) => s.focusPending && s.selection?.kind === 'plot' && s.selection.id === plotId);
  useEffect(() => {
    if (!pending || plotId === null) return;
    const ctrl = new AbortController();
    api.plot(plotId, ctrl.signal).then(
      (f) => {
        if (!ctrl.signal.aborted && takeFocusRequest({ kind: 'plot', id: plotId })) fitBounds(bbox(f) as BBox, 16.5);
      },
      () => {
        // Framing is a nicety: the panel says what went wrong with the allocation itself.
      },
    );
    return () => ctrl.abort();
  }, [pending, plotId]);
}
