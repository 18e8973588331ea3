import { useEffect, type RefObject } from 'react';

/**
 * While `open`, closes a popover or menu on Escape (then `onEscape`, e.g. to give focus back to
 * its button) or on a pointer press outside the element `ref` points to.
 */
export function useDismiss(open: boolean, ref: RefObject<HTMLElement | null>, close: () => void, onEscape?: () => void): void {
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        close();
        onEscape?.();
      }
    };
    const onDown = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) close();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
    };
    // Listeners are bound while open; the callbacks only set state or move focus.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
}
