/**
 * terra-draw on the editor's map (terra-draw 1.35 with terra-draw-maplibre-gl-adapter 1.4):
 * polygon mode to draw a new plot, line mode to draw a split line, select mode to move, insert
 * and delete the vertices of the plot being edited. Every placed or dragged vertex goes through
 * our snapping (./snapping.ts, `snapping.toCustom`): to a neighbour's vertex or edge or the park
 * boundary; hold Alt to place freely.
 *
 * Undo while a shape is still being drawn is terra-draw's own (mode-level: removes the last
 * point); once it is closed, the page keeps its own stack of geometries (./undoStack.ts).
 * Keyboard shortcuts are the page's, not terra-draw's.
 */
import { useEffect, useRef, useState } from 'react';
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawModeUndoRedo,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  type SnapToCustom,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { MaplibreMap } from '../../map/maplibre.ts';
import { snapPoint, SNAP_TOLERANCE_PX, type prepareSnapSources } from './snapping.ts';

export const DRAW_MODES = { polygon: 'polygon', line: 'linestring', select: 'select', idle: 'static' } as const;

export interface DrawCallbacks {
  /** A feature's geometry changed (while drawing or dragging). */
  onChange: (id: string | number, geometry: GeoJSON.Geometry) => void;
  /** A shape was closed (`draw`) or an edit finished (`dragCoordinate`, `insertMidpoint`, `deleteCoordinate`…). */
  onFinish: (id: string | number, mode: string, action: string, geometry: GeoJSON.Geometry) => void;
}

export interface SnapConfig {
  enabled: boolean;
  sources: ReturnType<typeof prepareSnapSources>;
}

const ORANGE = '#f25c05';
const WHITE = '#ffffff';
const NAVY = '#1f3a5f';

export function useTerraDraw(map: MaplibreMap | null, snap: SnapConfig, callbacks: DrawCallbacks): TerraDraw | null {
  const snapRef = useRef(snap);
  const cbRef = useRef(callbacks);
  useEffect(() => {
    snapRef.current = snap;
    cbRef.current = callbacks;
  });
  const [draw, setDraw] = useState<TerraDraw | null>(null);

  useEffect(() => {
    if (!map) return;
    const toCustom: SnapToCustom = (event, context) => {
      const { enabled, sources } = snapRef.current;
      if (!enabled || event.heldKeys.some((k) => k === 'Alt')) return undefined;
      const degreesPerPx = 360 / (512 * 2 ** map.getZoom());
      const hit = snapPoint({ x: event.containerX, y: event.containerY }, [event.lng, event.lat], sources, (lng, lat) => context.project(lng, lat), SNAP_TOLERANCE_PX, degreesPerPx);
      return hit ? hit.position : undefined;
    };
    const instance = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, prefixId: 'td' }),
      undoRedo: { modeLevel: new TerraDrawModeUndoRedo() },
      modes: [
        new TerraDrawPolygonMode({
          snapping: { toCustom },
          pointerDistance: 12,
          styles: {
            fillColor: ORANGE,
            fillOpacity: 0.25,
            outlineColor: ORANGE,
            outlineWidth: 2.5,
            closingPointColor: WHITE,
            closingPointOutlineColor: ORANGE,
            closingPointWidth: 6,
            closingPointOutlineWidth: 2,
            snappingPointColor: NAVY,
            snappingPointOutlineColor: WHITE,
            snappingPointWidth: 6,
          },
        }),
        new TerraDrawLineStringMode({
          snapping: { toCustom },
          pointerDistance: 12,
          styles: {
            lineStringColor: '#d92d20',
            lineStringWidth: 3,
            closingPointColor: WHITE,
            closingPointOutlineColor: '#d92d20',
            closingPointWidth: 6,
            closingPointOutlineWidth: 2,
            snappingPointColor: NAVY,
            snappingPointOutlineColor: WHITE,
            snappingPointWidth: 6,
          },
        }),
        new TerraDrawSelectMode({
          // The shape being edited stays selected: clicking beside it must not drop it.
          allowManualDeselection: false,
          keyEvents: null,
          pointerDistance: 12,
          flags: {
            polygon: {
              feature: {
                draggable: false,
                // Our live check shows where a boundary crosses itself; terra-draw must let it happen.
                selfIntersectable: true,
                coordinates: { draggable: true, midpoints: true, deletable: true, snappable: { toCustom } },
              },
            },
            linestring: {
              feature: { draggable: false, coordinates: { draggable: true, midpoints: true, deletable: true, snappable: { toCustom } } },
            },
          },
          styles: {
            selectedPolygonColor: ORANGE,
            selectedPolygonFillOpacity: 0.25,
            selectedPolygonOutlineColor: ORANGE,
            selectedPolygonOutlineWidth: 2.5,
            selectedLineStringColor: '#d92d20',
            selectedLineStringWidth: 3,
            selectionPointColor: WHITE,
            selectionPointOutlineColor: ORANGE,
            selectionPointWidth: 5,
            selectionPointOutlineWidth: 2,
            midPointColor: ORANGE,
            midPointOutlineColor: WHITE,
            midPointWidth: 3,
            midPointOutlineWidth: 1,
          },
        }),
      ],
    });
    instance.start();
    const onChange = (ids: (string | number)[], type: string) => {
      if (type === 'delete') return;
      for (const id of ids) {
        const f = instance.getSnapshotFeature(id);
        // Guidance points (closing, snapping, selection points) are not shapes.
        if (!f || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'LineString')) continue;
        cbRef.current.onChange(id, f.geometry);
      }
    };
    const onFinish = (id: string | number, context: { mode: string; action: string }) => {
      const f = instance.getSnapshotFeature(id);
      if (f) cbRef.current.onFinish(id, context.mode, context.action, f.geometry);
    };
    instance.on('change', onChange);
    instance.on('finish', onFinish);
    setDraw(instance);
    return () => {
      instance.off('change', onChange);
      instance.off('finish', onFinish);
      setDraw(null);
      // The map may already be gone (unmount): terra-draw then has nothing to remove.
      try {
        if (map.style) instance.stop();
      } catch {
        /* the map was removed first */
      }
    };
  }, [map]);
  return draw;
}
