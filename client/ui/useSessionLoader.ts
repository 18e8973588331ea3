import { useEffect } from 'react';
import { loadSession } from '../stores/session.ts';

/** Loads the signed-in user (`GET /api/auth/me`) once when the app starts. */
export function useSessionLoader(): void {
  useEffect(() => {
    const ctrl = new AbortController();
    void loadSession(ctrl.signal);
    return () => ctrl.abort();
  }, []);
}
