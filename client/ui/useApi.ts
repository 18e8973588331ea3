import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export interface ApiState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `load(signal)` whenever `key` changes (null = nothing to load), aborting the previous
 * request, and never shows one key's result under another.
 */
export function useApi<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): ApiState<T> {
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<{ key: string; attempt: number; data?: T; error?: Error } | null>(null);

  useEffect(() => {
    if (key === null) return;
    const ctrl = new AbortController();
    loadRef.current(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setResult({ key, attempt, data });
      },
      (e: unknown) => {
        if (!ctrl.signal.aborted) setResult({ key, attempt, error: e instanceof Error ? e : new Error(String(e)) });
      },
    );
    return () => ctrl.abort();
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const current = result && result.key === key && result.attempt === attempt ? result : null;
  return {
    data: current?.data ?? null,
    error: current?.error ?? null,
    loading: key !== null && current === null,
    reload,
  };
}
