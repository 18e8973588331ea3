import { bbox } from '@turf/turf';
import { useEffect } from 'react';
import type { BBox } from '../../../shared/domain.ts';
import { api } from '../../api/index.ts';
import { takeFocusRequest, useSelectionStore } from '../../stores/selection.ts';
import { fitBounds } from '../../stores/view.ts';

/** Frames `plotId` on the map when its selection asked for it (a row of the red-line list, a shared link). */
export function useFrameSelectedPlot(plotId: number): void {
  const pending = useSelectionStore((s) => s.focusPending && s.selection?.kind === 'plot' && s.selection.id === plotId);
  useEffect(() => {
    if (!pending) return;
    const ctrl = new AbortController();
    api.plot(plotId, ctrl.signal).then(
      (f) => {
        if (!ctrl.signal.aborted && takeFocusRequest({ kind: 'plot', id: plotId })) fitBounds(bbox(f) as BBox, 16.5);
      },
      () => {
        // Framing is a nicety; the panel shows the item regardless.
      },
    );
    return () => ctrl.abort();
  }, [pending, plotId]);
}
