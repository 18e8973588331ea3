/**
 * `/` — the map with its legend and detail panel. Lazily loaded (it pulls in maplibre), so the
 * app shell stays small and other routes don't pay for the map.
 */
import { Legend } from './Legend.tsx';
import { SidePanel } from './SidePanel.tsx';
import MapView from '../../map/MapView.tsx';
import { useUrlSync } from './useUrlSync.ts';

export default function MapPage() {
  useUrlSync();
  return (
    <div className="map-page">
      <MapView />
      <Legend />
      <SidePanel />
    </div>
  );
}
