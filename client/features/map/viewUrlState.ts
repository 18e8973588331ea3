import type { UrlStateBinding } from '../../ui/useUrlState.ts';
import { select, useSelectionStore } from '../../stores/selection.ts';
import { moveCamera, useViewStore } from '../../stores/view.ts';
import { formatViewUrl, parseViewUrl, type UrlView } from './viewUrl.ts';

/**
 * The map's camera and selection in the URL (`useUrlState(VIEW_URL_STATE)`), written at most
 * every 300 ms so a pan doesn't spam the history API. A shared link with a selection but no
 * camera frames the selected feature once it has loaded.
 */
export const VIEW_URL_STATE: UrlStateBinding<UrlView> = {
  parse: parseViewUrl,
  format: formatViewUrl,
  read: () => ({ camera: useViewStore.getState().camera, selection: useSelectionStore.getState().selection }),
  apply: (view) => {
    if (view.camera) moveCamera(view.camera);
    select(view.selection, { focus: view.camera === null });
  },
  subscribe: (onChange) => {
    const unsubView = useViewStore.subscribe((s, prev) => {
      if (s.camera !== prev.camera) onChange();
    });
    const unsubSelection = useSelectionStore.subscribe((s, prev) => {
      if (s.selection !== prev.selection) onChange();
    });
    return () => {
      unsubView();
      unsubSelection();
    };
  },
  throttleMs: 300,
};
