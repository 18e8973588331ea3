/**
 * terra-draw beside the editor's state machine: the shape or line being drawn goes into the
 * store (./editorMachine.ts), and the tool transitions that need the drawing surface (start to
 * draw, edit, split; redraw the split line; undo/redo; leave the tool) set terra-draw's mode and
 * features here, then dispatch. Ctrl+Z / Ctrl+Shift+Z work outside text fields.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AreaGeometry } from '../../api/index.ts';
import type { MaplibreMap } from '../../map/maplibre.ts';
import { drawLevelUndo, isShaping, type EditorAction } from './editorMachine.ts';
import { editablePolygon, fromDrawGeometry, fromDrawLine, toDrawFeature, type PlotForm } from './plotPayload.ts';
import { canRedo, canUndo, undoRedoKey } from './undoStack.ts';
import type { EditorStore } from './useEditorStore.ts';
import { DRAW_MODES, useTerraDraw, type SnapConfig } from './useTerraDraw.ts';

export interface EditorDraw {
  /** Null until the map and terra-draw are ready. */
  ready: boolean;
  canUndo: boolean;
  canRedo: boolean;
  undoRedo: (which: 'undo' | 'redo') => boolean;
  startDraw: (form: PlotForm) => void;
  startEdit: (p: { plotId: number; rowVersion: string; form: PlotForm; geometry: AreaGeometry | null; allocated: boolean }) => void;
  startSplit: (plotId: number, rowVersion: string) => void;
  redrawSplit: () => void;
  /** Clears the drawing surface, then applies a transition that ends the tool (cancel, park change, write). */
  leave: (action: EditorAction) => void;
}

export function useEditorDraw(map: MaplibreMap | null, store: EditorStore, snap: SnapConfig): EditorDraw {
  const { state, dispatch, getState } = store;
  const workIdRef = useRef<string | number | null>(null);
  const applyingRef = useRef(false);
  const rafRef = useRef(0);
  const drawRef = useRef<ReturnType<typeof useTerraDraw>>(null);
  const [, setDrawTick] = useState(0);

  const onChange = useCallback(
    (id: string | number, geometry: GeoJSON.Geometry) => {
      if (applyingRef.current) return;
      const kind = getState().tool.kind;
      if (kind === 'split' && geometry.type === 'LineString') {
        // Only terra-draw knows the line being drawn: re-render so undo/redo buttons follow it.
        cancelAnimationFrame(rafRef.current);
        rafRef.current = requestAnimationFrame(() => setDrawTick((n) => n + 1));
        return;
      }
      if (geometry.type !== 'Polygon') return;
      if (!(kind === 'draw' || ((kind === 'create' || kind === 'edit') && id === workIdRef.current))) return;
      const g = fromDrawGeometry(geometry);
      cancelAnimationFrame(rafRef.current);
      rafRef.current = requestAnimationFrame(() => dispatch({ type: 'drawChanged', geometry: g }));
    },
    [dispatch, getState],
  );

  const onFinish = useCallback(
    (id: string | number, mode: string, action: string, geometry: GeoJSON.Geometry) => {
      const kind = getState().tool.kind;
      const draw = drawRef.current;
      if (!draw) return;
      // Select the finished shape once terra-draw has left its handler (unless work moved on meanwhile).
      const selectWhenDone = (id: string | number) =>
        setTimeout(() => {
          if (workIdRef.current !== id || !draw.hasFeature(id)) return;
          draw.setMode(DRAW_MODES.select);
          draw.selectFeature(id);
        }, 0);
      if (mode === DRAW_MODES.polygon && action === 'draw' && kind === 'draw') {
        const g = fromDrawGeometry(geometry);
        if (!g) return;
        cancelAnimationFrame(rafRef.current);
        workIdRef.current = id;
        dispatch({ type: 'shapeClosed', geometry: g });
        // Leave terra-draw's handler before switching mode: the closed shape becomes editable.
        selectWhenDone(id);
        return;
      }
      if (mode === DRAW_MODES.line && action === 'draw' && kind === 'split') {
        workIdRef.current = id;
        dispatch({ type: 'splitLine', line: fromDrawLine(geometry) });
        selectWhenDone(id);
        return;
      }
      if (mode === DRAW_MODES.select && id === workIdRef.current) {
        if (geometry.type === 'LineString') {
          dispatch({ type: 'splitLine', line: fromDrawLine(geometry) });
          return;
        }
        cancelAnimationFrame(rafRef.current);
        dispatch({ type: 'shapeEdited', geometry: fromDrawGeometry(geometry) });
      }
    },
    [dispatch, getState],
  );

  const draw = useTerraDraw(map, snap, { onChange, onFinish });
  useEffect(() => {
    drawRef.current = draw;
  }, [draw]);

  /** Nothing drawn: terra-draw idle and empty, no pending frame. */
  const clearDraw = useCallback(() => {
    const d = drawRef.current;
    if (d) {
      d.setMode(DRAW_MODES.idle);
      d.clear();
    }
    cancelAnimationFrame(rafRef.current);
    workIdRef.current = null;
  }, []);

  const leave = useCallback(
    (action: EditorAction) => {
      clearDraw();
      dispatch(action);
    },
    [clearDraw, dispatch],
  );

  /** Puts a geometry from the undo stack back into terra-draw (the shape stays selected). */
  const applyToDraw = (g: GeoJSON.Polygon) => {
    const d = drawRef.current, id = workIdRef.current;
    if (!d || id === null || !d.hasFeature(id)) return;
    applyingRef.current = true;
    try {
      d.deselectFeature(id);
      d.updateFeatureGeometry(id, toDrawFeature(id, g).geometry);
      d.selectFeature(id);
    } finally {
      applyingRef.current = false;
    }
    cancelAnimationFrame(rafRef.current);
  };

  const undoRedo = (which: 'undo' | 'redo'): boolean => {
    const d = drawRef.current;
    if (!d) return false;
    const s = getState();
    if (drawLevelUndo(s)) {
      const can = which === 'undo' ? d.canUndo() : d.canRedo();
      if (can) {
        if (which === 'undo') d.undo();
        else d.redo();
      }
      return can;
    }
    if (isShaping(s) && s.stack) {
      const before = s.stack;
      dispatch({ type: which });
      const after = getState().stack;
      if (!after || after === before) return false;
      applyToDraw(after.present);
      return true;
    }
    return false;
  };
  const undoRedoRef = useRef(undoRedo);
  useEffect(() => {
    undoRedoRef.current = undoRedo;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const which = undoRedoKey(e);
      if (!which) return;
      const target = e.target as HTMLElement | null;
      // Inside a text field, Ctrl+Z undoes typing.
      if (target?.closest?.('input, textarea, select, [contenteditable="true"]')) return;
      if (undoRedoRef.current(which)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const startDraw = (form: PlotForm) => {
    if (!draw) return;
    clearDraw();
    dispatch({ type: 'startDraw', form });
    draw.setMode(DRAW_MODES.polygon);
  };

  const startEdit: EditorDraw['startEdit'] = ({ plotId, rowVersion, form, geometry, allocated }) => {
    if (!draw) return;
    clearDraw();
    let initial: GeoJSON.Polygon | null = null;
    let locked: 'allocated' | 'complex' | null = allocated ? 'allocated' : null;
    if (!locked) {
      const polygon = editablePolygon(geometry);
      if (!polygon) locked = 'complex';
      else {
        const id = draw.getFeatureId();
        const feature = toDrawFeature(id, polygon);
        const [res] = draw.addFeatures([feature as Parameters<typeof draw.addFeatures>[0][number]]);
        if (res?.valid) {
          initial = fromDrawGeometry(feature.geometry);
          workIdRef.current = id;
          draw.setMode(DRAW_MODES.select);
          draw.selectFeature(id);
        } else locked = 'complex';
      }
    }
    dispatch({ type: 'startEdit', plotId, rowVersion, form, initial, locked });
  };

  const startSplit = (plotId: number, rowVersion: string) => {
    if (!draw) return;
    clearDraw();
    dispatch({ type: 'startSplit', plotId, rowVersion });
    draw.setMode(DRAW_MODES.line);
  };

  const redrawSplit = () => {
    const d = drawRef.current;
    if (!d) return;
    clearDraw();
    dispatch({ type: 'splitLine', line: null });
    d.setMode(DRAW_MODES.line);
  };

  const drawLevel = drawLevelUndo(state);
  return {
    ready: !!draw,
    canUndo: drawLevel ? !!draw?.canUndo() : canUndo(state.stack),
    canRedo: drawLevel ? !!draw?.canRedo() : canRedo(state.stack),
    undoRedo,
    startDraw,
    startEdit,
    startSplit,
    redrawSplit,
    leave,
  };
}
