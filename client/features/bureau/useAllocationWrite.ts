import { useRef, useState } from 'react';
import { keyKeeper } from './idempotency.ts';
import { useAllocationErrorText } from './parts.tsx';

/**
 * One write on an allocation (approve, cancel, contract, milestone) with its `Idempotency-Key`:
 * the same request keeps its key (a double click or a retry after a lost answer replays the
 * first result), a changed one or a retry after a refusal (rolled back) gets a new one. `busy`
 * while it runs; a refusal is kept as `failure`, in the user's language.
 */
export function useAllocationWrite(): {
  busy: boolean;
  failure: string | null;
  setFailure: (failure: string | null) => void;
  run: (request: unknown, write: (key: string) => Promise<void>) => Promise<void>;
} {
  const errorText = useAllocationErrorText();
  const keys = useRef(keyKeeper());
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const run = async (request: unknown, write: (key: string) => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    try {
      await write(keys.current.keyFor(request));
    } catch (err) {
      setFailure(errorText(err));
      keys.current.reset();
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, setFailure, run };
}
