/** What the side panel shows: one park, one plot, or nothing. Mirrored in the URL. */
import { create } from 'zustand';

export type Selection = { kind: 'park'; id: number } | { kind: 'plot'; id: number } | null;

interface SelectionState {
  selection: Selection;
  /**
   * Frame the selection on the map once its geometry has loaded: set when a selection arrives
   * without a camera (a shared link like `/?plot=123`), consumed by the panel.
   */
  focusPending: boolean;
}

export const useSelectionStore = create<SelectionState>(() => ({ selection: null, focusPending: false }));

export function sameSelection(a: Selection, b: Selection): boolean {
  return a?.kind === b?.kind && a?.id === b?.id;
}

export function select(selection: Selection, options: { focus?: boolean } = {}): void {
  const focusPending = Boolean(options.focus && selection);
  if (sameSelection(useSelectionStore.getState().selection, selection)) {
    if (focusPending) useSelectionStore.setState({ focusPending });
    return;
  }
  useSelectionStore.setState({ selection, focusPending });
}

export function clearSelection(): void {
  select(null);
}

/** True once for a pending focus request on `selection` (then cleared). */
export function takeFocusRequest(selection: Selection): boolean {
  const s = useSelectionStore.getState();
  if (!s.focusPending || !sameSelection(s.selection, selection)) return false;
  useSelectionStore.setState({ focusPending: false });
  return true;
}
