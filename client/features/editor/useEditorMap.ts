/**
 * The editor's map follows its state: the park, its plots and their labels, the overlay (a
 * historic version, split pieces, the merged outline), issue markers; selected, conflicting and
 * faded plots; withdrawn plots on request. Frames the park once it is chosen (or the plot a link
 * names, once the park's plots are here).
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { geometryBBox, type PlotGeometry } from '../../../shared/geometry/index.ts';
import type { AreaGeometry, Parks, Plots } from '../../api/index.ts';
import type { MaplibreMap } from '../../map/maplibre.ts';
import { labelPoint } from '../../map/prepare.ts';
import { ED_SOURCES } from './editorLayers.ts';
import type { EditorUrl } from './editorUrl.ts';
import { conflictPlotIds, issueMarkers, type DisplayIssue } from './issues.ts';
import type { MergePreview, SplitPreview } from './SplitMergePanels.tsx';
import { useEditorLayerSetup, usePlotState, useSourceData, useWithdrawnFilter } from './useEditorLayers.ts';

const EMPTY_FC: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export interface EditorMapView {
  park: Parks['features'][number] | null;
  plots: Plots | null;
  /** The URL the page was opened with. */
  initial: EditorUrl;
  shownGeometry: AreaGeometry | null;
  splitPreview: SplitPreview | null;
  mergePreview: MergePreview | null;
  issues: readonly DisplayIssue[];
  showWithdrawn: boolean;
  highlighted: number[];
  faded: number | null;
}

export function useEditorMap(map: MaplibreMap | null, v: EditorMapView): { fitTo: (g: GeoJSON.Geometry | null, maxZoom?: number) => void } {
  const { park, plots, initial, shownGeometry, splitPreview, mergePreview, issues } = v;
  useEditorLayerSetup(map);
  const parkData = useMemo<GeoJSON.FeatureCollection>(() => (park ? { type: 'FeatureCollection', features: [park] } : EMPTY_FC), [park]);
  const plotData = useMemo<GeoJSON.FeatureCollection>(() => (plots ?? EMPTY_FC) as GeoJSON.FeatureCollection, [plots]);
  const labelData = useMemo<GeoJSON.FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: (plots?.features ?? []).map((f) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: labelPoint(f) }, properties: { code: f.properties.code, status: f.properties.status } })),
    }),
    [plots],
  );
  const overlayData = useMemo<GeoJSON.FeatureCollection>(() => {
    const fs: GeoJSON.Feature[] = [];
    if (shownGeometry) fs.push({ type: 'Feature', geometry: shownGeometry, properties: { role: 'history' } });
    if (splitPreview?.ok) splitPreview.pieces.forEach((p, i) => fs.push({ type: 'Feature', geometry: p, properties: { role: 'piece', piece: i } }));
    if (mergePreview?.ok) fs.push({ type: 'Feature', geometry: mergePreview.geometry, properties: { role: 'piece', piece: 0 } });
    return { type: 'FeatureCollection', features: fs };
  }, [shownGeometry, splitPreview, mergePreview]);
  const markerData = useMemo(() => issueMarkers(issues), [issues]);
  useSourceData(map, ED_SOURCES.park, parkData);
  useSourceData(map, ED_SOURCES.plots, plotData);
  useSourceData(map, ED_SOURCES.plotLabels, labelData);
  useSourceData(map, ED_SOURCES.overlay, overlayData);
  useSourceData(map, ED_SOURCES.issues, markerData);
  useWithdrawnFilter(map, v.showWithdrawn);
  usePlotState(map, 'selected', v.highlighted);
  usePlotState(map, 'conflict', useMemo(() => conflictPlotIds(issues), [issues]));
  usePlotState(map, 'editing', useMemo(() => (v.faded !== null ? [v.faded] : []), [v.faded]));

  const fitTo = useCallback(
    (g: GeoJSON.Geometry | null, maxZoom = 17) => {
      if (!map || !g) return;
      const [w, s, e, n] = geometryBBox(g as PlotGeometry);
      map.fitBounds([w, s, e, n], { padding: 48, maxZoom, duration: 600 });
    },
    [map],
  );
  const fittedRef = useRef<string | null>(null);
  useEffect(() => {
    if (!map || !park) return;
    const key = `${park.properties.id}`;
    if (fittedRef.current === key) return;
    // A link to one plot frames the plot (once the park's plots are here); otherwise the park.
    if (initial.plot !== null && park.properties.id === initial.park) {
      if (!plots) return;
      const f = plots.features.find((x) => x.properties.id === initial.plot);
      fittedRef.current = key;
      fitTo(f ? f.geometry : park.geometry, f ? 17 : 16);
      return;
    }
    fittedRef.current = key;
    fitTo(park.geometry, 16);
  }, [map, park, plots, initial, fitTo]);
  return { fitTo };
}
