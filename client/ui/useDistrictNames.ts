import { useEffect, useState } from 'react';
import { api, type DistrictProps } from '../api/index.ts';

export type DistrictNames = ReadonlyMap<string, DistrictProps>;

// One request per page load, shared by every caller (user menu, user admin, calculator).
let cached: Promise<DistrictNames> | null = null;

function loadDistrictNames(): Promise<DistrictNames> {
  cached ??= api.districts().then(
    (fc) => new Map(fc.features.map((f) => [f.properties.code, f.properties])),
    (e: unknown) => {
      cached = null; // try again next time
      throw e;
    },
  );
  return cached;
}

/** Guangzhou's districts by code (names in both languages); null until loaded, or when `enabled` is false. */
export function useDistrictNames(enabled = true): DistrictNames | null {
  const [names, setNames] = useState<DistrictNames | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    loadDistrictNames().then(
      (n) => {
        if (live) setNames(n);
      },
      () => {
        // Names are a nicety: without them the code is shown.
      },
    );
    return () => {
      live = false;
    };
  }, [enabled]);
  return enabled ? names : null;
}
