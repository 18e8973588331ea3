/**
 * Whether the map shows the generated zones (tier `zone`: the scale dataset's sample parcel
 * areas, issue #17; not IAB parks). Off by default: the parks layer then has only the IAB parks
 * (`GET /api/parks` leaves zones out unless `?zones=true`). One switch for every map screen.
 */
import { create } from 'zustand';

export const useZonesStore = create<{ on: boolean }>(() => ({ on: false }));

export function setZonesShown(on: boolean): void {
  useZonesStore.setState({ on });
}
