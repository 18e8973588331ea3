/**
 * Puts the editor's layers on the map and keeps their data and feature-state in step with the
 * page: park, plots, overlay, issue markers; selected / conflicting / edited plots. Each effect
 * cleans up after itself; the base style's plot tiles are hidden (the editor draws the park's
 * plots from GeoJSON).
 */
import { useEffect, useRef } from 'react';
import { LAYERS } from '../../map/layers.ts';
import { GeoJSONSource, type MaplibreMap, type MapMouseEvent } from '../../map/maplibre.ts';
import { bindPointer } from '../../map/pointer.ts';
import { ED_LAYERS, ED_SOURCES, editorLayers, editorSources, plotsFilter } from './editorLayers.ts';
import type { MapPick } from './editorMachine.ts';

const TILE_LAYERS = [LAYERS.plotsFill, LAYERS.plotsLine, LAYERS.plotLabels];

/** Adds the sources and layers once the map is ready; removes them on unmount. */
export function useEditorLayerSetup(map: MaplibreMap | null): boolean {
  const ready = !!map;
  useEffect(() => {
    if (!map) return;
    for (const id of TILE_LAYERS) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', 'none');
    for (const [id, spec] of Object.entries(editorSources())) if (!map.getSource(id)) map.addSource(id, spec);
    for (const layer of editorLayers(false)) if (!map.getLayer(layer.id)) map.addLayer(layer);
    return () => {
      if (!map.style) return;
      for (const layer of editorLayers(false)) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
      for (const id of Object.values(ED_SOURCES)) if (map.getSource(id)) map.removeSource(id);
      for (const id of TILE_LAYERS) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', 'visible');
    };
  }, [map]);
  return ready;
}

/** Sets a GeoJSON source's data whenever `data` changes. */
export function useSourceData(map: MaplibreMap | null, sourceId: string, data: GeoJSON.FeatureCollection): void {
  useEffect(() => {
    if (!map) return;
    const source = map.getSource(sourceId);
    if (source instanceof GeoJSONSource) void source.setData(data);
  }, [map, sourceId, data]);
}

export function useWithdrawnFilter(map: MaplibreMap | null, showWithdrawn: boolean): void {
  useEffect(() => {
    if (!map) return;
    for (const id of [ED_LAYERS.plotsFill, ED_LAYERS.plotsLine, ED_LAYERS.plotLabels]) {
      if (map.getLayer(id)) map.setFilter(id, plotsFilter(showWithdrawn));
    }
  }, [map, showWithdrawn]);
}

/** Sets feature-state `name` to true on `ids` (and back to false on the ones that left). */
export function usePlotState(map: MaplibreMap | null, name: string, ids: readonly number[]): void {
  const key = ids.join(',');
  useEffect(() => {
    if (!map || !key) return;
    const list = key.split(',').map(Number);
    for (const id of list) map.setFeatureState({ source: ED_SOURCES.plots, id }, { [name]: true });
    return () => {
      if (!map.style || !map.getSource(ED_SOURCES.plots)) return;
      for (const id of list) map.setFeatureState({ source: ED_SOURCES.plots, id }, { [name]: false });
    };
  }, [map, name, key]);
}

export type { MapPick };

/**
 * Hover (pointer cursor, feature-state `hover`) and clicks on plots and parks. `enabled()` is
 * asked on every event: while terra-draw draws, clicks belong to it.
 */
export function useEditorPointer(map: MaplibreMap | null, onPick: (pick: MapPick) => void, enabled: () => boolean): void {
  const pickRef = useRef(onPick);
  const enabledRef = useRef(enabled);
  useEffect(() => {
    pickRef.current = onPick;
    enabledRef.current = enabled;
  });
  useEffect(() => {
    if (!map) return;
    let hovered: number | null = null;
    const setHover = (id: number | null) => {
      if (hovered === id) return;
      if (hovered !== null && map.getSource(ED_SOURCES.plots)) map.setFeatureState({ source: ED_SOURCES.plots, id: hovered }, { hover: false });
      hovered = id;
      if (hovered !== null) map.setFeatureState({ source: ED_SOURCES.plots, id: hovered }, { hover: true });
    };
    const plotAt = (e: MapMouseEvent): number | null => {
      if (!map.getLayer(ED_LAYERS.plotsFill)) return null;
      const f = map.queryRenderedFeatures(e.point, { layers: [ED_LAYERS.plotsFill] }).find((x) => x.id !== undefined);
      return f ? Number(f.id) : null;
    };
    const parkAt = (e: MapMouseEvent): number | null => {
      const layers = [LAYERS.parksFill, LAYERS.parksMarker].filter((id) => map.getLayer(id));
      const f = map.queryRenderedFeatures(e.point, { layers }).find((x) => x.id !== undefined);
      return f ? Number(f.id) : null;
    };
    const onMove = (e: MapMouseEvent) => {
      if (!enabledRef.current()) {
        setHover(null);
        return;
      }
      const id = plotAt(e);
      setHover(id);
      map.getCanvas().style.cursor = id !== null || parkAt(e) !== null ? 'pointer' : '';
    };
    const onOut = () => setHover(null);
    const onClick = (e: MapMouseEvent) => {
      if (!enabledRef.current()) return;
      const ev = e.originalEvent;
      pickRef.current({ plotId: plotAt(e), parkId: parkAt(e), additive: ev.shiftKey || ev.ctrlKey || ev.metaKey });
    };
    const unbind = bindPointer(map, { move: onMove, out: onOut, click: onClick });
    return () => {
      unbind();
      if (map.style) setHover(null);
    };
  }, [map]);
}
