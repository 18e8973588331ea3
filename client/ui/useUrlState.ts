import { useEffect, useRef } from 'react';

/**
 * A feature's shareable view kept in the query string. The feature owns pure `parse` / `format`
 * functions (format keeps the query parameters it doesn't own, so features can share one query
 * string) and says how to read, apply and watch its state.
 */
export interface UrlStateBinding<T> {
  parse: (search: string) => T;
  /** The query string (`?…` or empty) for `state`, given the current one. */
  format: (state: T, currentSearch: string) => string;
  /** The state as it is now (from the feature's stores). */
  read: () => T;
  /** Puts the URL's state into the stores: on mount and on back/forward. Without it the feature reads the URL itself. */
  apply?: (state: T) => void;
  /** Calls `onChange` whenever state that goes into the URL changes; returns the unsubscribe. */
  subscribe: (onChange: () => void) => () => void;
  /** Writes at most once per this many ms (a map pan moves the camera every frame); 0 writes at once. */
  throttleMs?: number;
}

/**
 * Keeps a feature's state and the URL in step: reads the URL on mount and on back/forward, then
 * writes every change back with `history.replaceState`. The URL is written from the state, never
 * the reverse while the page is live, so there is no loop. Leaving the page drops a pending write
 * (the URL then belongs to the next route).
 */
export function useUrlState<T>(binding: UrlStateBinding<T>): void {
  const ref = useRef(binding);
  useEffect(() => {
    ref.current = binding;
  });
  useEffect(() => {
    const restore = () => {
      const b = ref.current;
      b.apply?.(b.parse(location.search));
    };
    restore();

    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastWrite = 0;
    // The page this state belongs to: a write that fires after a link has already moved on (before
    // this page unmounts) must not put the old page's state onto the next page's URL.
    const ownPath = location.pathname;
    const write = () => {
      timer = null;
      if (location.pathname !== ownPath) return;
      lastWrite = Date.now();
      const b = ref.current;
      const next = b.format(b.read(), location.search);
      if (next !== location.search) history.replaceState(history.state, '', `${location.pathname}${next}${location.hash}`);
    };
    const schedule = () => {
      const interval = ref.current.throttleMs ?? 0;
      if (interval <= 0) return write();
      if (timer !== null) return;
      timer = setTimeout(write, Math.max(0, interval - (Date.now() - lastWrite)));
    };

    const unsubscribe = ref.current.subscribe(schedule);
    window.addEventListener('popstate', restore);
    return () => {
      unsubscribe();
      window.removeEventListener('popstate', restore);
      if (timer !== null) clearTimeout(timer);
    };
  }, []);
}
