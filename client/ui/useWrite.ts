import { useState } from 'react';

/**
 * One write from a panel or dialog (the editor's split, merge, delete, withdraw; a park's
 * subsidy dialogs): `busy` from the request until the caller closes (it stays set on success),
 * and on failure the error itself — shown with `errorText`; its code can change what is
 * offered — with `busy` cleared for another try.
 */
export function useWrite(): { busy: boolean; error: unknown; run: (write: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (write: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await write();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return { busy, error, run };
}
