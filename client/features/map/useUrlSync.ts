import { useEffect } from 'react';
import { useSelectionStore, select } from '../../stores/selection.ts';
import { moveCamera, useViewStore } from '../../stores/view.ts';
import { formatViewUrl, parseViewUrl } from './viewUrl.ts';

const WRITE_INTERVAL_MS = 300;

/**
 * Keeps the map page's URL and the view/selection stores in step: reads the URL once on mount
 * (and on back/forward), then writes store changes back with `history.replaceState`, throttled
 * so a pan doesn't spam the history API. The URL is written from the stores, never the reverse
 * while the page is live, so there is no loop.
 */
export function useUrlSync(): void {
  useEffect(() => {
    const restore = () => {
      const view = parseViewUrl(location.search);
      if (view.camera) moveCamera(view.camera);
      // A shared link without a camera: frame the selected feature once it has loaded.
      select(view.selection, { focus: view.camera === null });
    };
    restore();

    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastWrite = 0;
    const write = () => {
      timer = null;
      lastWrite = Date.now();
      const next = formatViewUrl(
        { camera: useViewStore.getState().camera, selection: useSelectionStore.getState().selection },
        location.search,
      );
      if (next !== location.search) {
        history.replaceState(history.state, '', `${location.pathname}${next}${location.hash}`);
      }
    };
    const schedule = () => {
      if (timer !== null) return;
      const wait = Math.max(0, WRITE_INTERVAL_MS - (Date.now() - lastWrite));
      timer = setTimeout(write, wait);
    };

    const unsubView = useViewStore.subscribe((s, prev) => {
      if (s.camera !== prev.camera) schedule();
    });
    const unsubSelection = useSelectionStore.subscribe((s, prev) => {
      if (s.selection !== prev.selection) schedule();
    });
    window.addEventListener('popstate', restore);
    return () => {
      unsubView();
      unsubSelection();
      window.removeEventListener('popstate', restore);
      // Leaving the page: drop a pending write (the URL now belongs to the next route).
      if (timer !== null) clearTimeout(timer);
    };
  }, []);
}
