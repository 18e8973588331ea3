/**
 * The chosen park's plots (every status) as GeoJSON, reloadable after a write. Keeps showing the
 * last answer for the same park while a reload runs, so the map doesn't blink.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, type Plots } from '../../api/index.ts';

export function useParkPlots(parkId: number | null): { plots: Plots | null; error: Error | null; loading: boolean; reload: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<{ parkId: number; attempt: number; data?: Plots; error?: Error } | null>(null);
  useEffect(() => {
    if (parkId === null) return;
    const ctrl = new AbortController();
    api.plots({ parkId, limit: 50_000 }, ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setResult({ parkId, attempt, data });
      },
      (e: unknown) => {
        if (!ctrl.signal.aborted) setResult((prev) => ({ parkId, attempt, data: prev?.parkId === parkId ? prev.data : undefined, error: e instanceof Error ? e : new Error(String(e)) }));
      },
    );
    return () => ctrl.abort();
  }, [parkId, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const same = result && result.parkId === parkId ? result : null;
  return {
    plots: same?.data ?? null,
    error: same && same.attempt === attempt ? (same.error ?? null) : null,
    loading: parkId !== null && (!same || same.attempt !== attempt),
    reload,
  };
}
