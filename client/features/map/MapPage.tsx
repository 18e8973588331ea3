/**
 * `/` — the map with its legend and detail panel. Lazily loaded (it pulls in maplibre), so the
 * app shell stays small and other routes don't pay for the map.
 */
import { Legend } from './Legend.tsx';
import { SidePanel } from './SidePanel.tsx';
import MapView from '../../map/MapView.tsx';
import { useUrlState } from '../../ui/useUrlState.ts';
import { VIEW_URL_STATE } from './viewUrlState.ts';
import './map.css';

export default function MapPage() {
  useUrlState(VIEW_URL_STATE);
  return (
    <div className="map-page">
      <MapView />
      <Legend />
      <SidePanel />
    </div>
  );
}
