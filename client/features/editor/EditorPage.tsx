/**
 * `/bureau/editor` — the plot editor (the plot-data issue §1–2), for the land bureau. Choose a
 * park (list or map) and its plots load as GeoJSON. Then:
 * - draw a new plot (terra-draw polygon mode), fill in its attributes, save (POST /api/plots);
 * - edit a plot: move, insert and delete vertices with snapping to the neighbours and the park
 *   boundary, undo/redo (Ctrl+Z / Ctrl+Shift+Z and buttons), attributes; save with the row
 *   version read (PATCH; a 409 says someone else changed it and offers a reload);
 * - split a plot by a drawn line, merge adjacent plots, delete a never-allocated plot or
 *   withdraw one with a reason;
 * - read a plot's history: every version (shown on the map when chosen) and its lineage.
 * The shape is checked live in the browser with shared/geometry.ts — the server's own rules —
 * and again by the server on save; problems are listed with a numbered marker where they are,
 * and an overlapped plot is outlined in red. `?park=&plot=` in the URL reproduces the view.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { mergePlotGeometries, splitPlotGeometry } from '../../../shared/geometry/edit.ts';
import { geometryBBox, validatePlotGeometry, type Neighbour, type PlotGeometry } from '../../../shared/geometry/index.ts';
import type { LandUse } from '../../../shared/domain.ts';
import { api, ApiError, plotEditApi, type AreaGeometry, type GeometryIssueBody, type PlotProps } from '../../api/index.ts';
import { AccessGate } from '../../ui/AccessGate.tsx';
import { Fact, Facts } from '../../ui/PanelParts.tsx';
import { formatM2, formatMu, formatNumber } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { MapCanvas } from '../../map/MapCanvas.tsx';
import { STATUS_COLORS } from '../../map/palette.ts';
import { labelPoint } from '../../map/prepare.ts';
import { useMapHost, useMapInstance } from '../../map/useMapInstance.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { ED_SOURCES } from './editorLayers.ts';
import { HistoryView } from './HistoryView.tsx';
import { IssueList } from './IssueList.tsx';
import { conflictPlotIds, displayIssues, issueMarkers, issuesFromError, type DisplayIssue } from './issues.ts';
import { DeletePlotDialog, WithdrawPlotDialog } from './PlotDialogs.tsx';
import { PlotFormFields } from './PlotFormFields.tsx';
import {
  createPlotBody,
  editablePolygon,
  emptyPlotForm,
  fromDrawGeometry,
  fromDrawLine,
  patchPlotBody,
  plotFormFrom,
  plotFormProblems,
  sameGeometry,
  suggestPlotCode,
  toDrawFeature,
  vertexCount,
  type PlotForm,
} from './plotPayload.ts';
import { prepareSnapSources, type SnapSource } from './snapping.ts';
import { MergePanel, SplitPanel } from './SplitMergePanels.tsx';
import { canRedo, canUndo, createStack, push, redo, undo, undoRedoKey, type UndoStack } from './undoStack.ts';
import { useEditorLayerSetup, useEditorPointer, usePlotState, useSourceData, useWithdrawnFilter, type MapPick } from './useEditorLayers.ts';
import { useParkPlots } from './useParkPlots.ts';
import { DRAW_MODES, useTerraDraw } from './useTerraDraw.ts';
import './editor.css';

type PlotFeature = GeoJSON.Feature<AreaGeometry, PlotProps & { landLevel?: number }>;

type Tool =
  | { kind: 'browse' }
  | { kind: 'draw' }
  | { kind: 'create' }
  | { kind: 'edit'; plotId: number; rowVersion: string; initial: GeoJSON.Polygon | null; locked: 'allocated' | 'complex' | null }
  | { kind: 'split'; plotId: number; rowVersion: string }
  | { kind: 'merge' };

/** Server issues apply to the shape and area they were given for; a later edit makes them stale. */
interface ServerCheck {
  geometry: GeoJSON.Polygon | null;
  areaM2: string;
  ok: boolean;
  errors: GeometryIssueBody[];
  warnings: GeometryIssueBody[];
}

const EMPTY_FC: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function readUrl(): { park: number | null; plot: number | null } {
  const q = new URLSearchParams(window.location.search);
  const n = (k: string) => (/^\d+$/.test(q.get(k) ?? '') ? Number(q.get(k)) : null);
  return { park: n('park'), plot: n('plot') };
}

function mostCommon<T>(values: T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined, n = 0;
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c];
  return best;
}

export default function EditorPage() {
  return (
    <AccessGate permission="plots.manage">
      <Editor />
    </AccessGate>
  );
}

function Editor() {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const bodyRef = useRef<HTMLDivElement>(null);
  const mapHost = useMapHost();
  const { map } = mapHost;

  const initial = useMemo(readUrl, []);
  const [parkId, setParkId] = useState<number | null>(initial.park);
  const [selected, setSelected] = useState<number[]>(initial.plot ? [initial.plot] : []);
  const [tool, setToolState] = useState<Tool>({ kind: 'browse' });
  const toolRef = useRef<Tool>(tool);
  const setTool = (next: Tool) => {
    toolRef.current = next;
    setToolState(next);
  };
  const [stack, setStack] = useState<UndoStack<GeoJSON.Polygon> | null>(null);
  const [liveGeom, setLiveGeom] = useState<GeoJSON.Polygon | null>(null);
  const [splitLine, setSplitLine] = useState<GeoJSON.LineString | null>(null);
  const [form, setForm] = useState<PlotForm>(emptyPlotForm);
  const [originalForm, setOriginalForm] = useState<PlotForm | null>(null);
  const [showProblems, setShowProblems] = useState(false);
  const [serverCheck, setServerCheck] = useState<ServerCheck | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [flash, setFlash] = useState<{ text: string; warnings: DisplayIssue[] } | null>(null);
  const [tab, setTab] = useState<'details' | 'history'>('details');
  const [shownVersion, setShownVersion] = useState<number | null>(null);
  const [dialog, setDialog] = useState<'delete' | 'withdraw' | null>(null);
  const [snapOn, setSnapOn] = useState(true);
  const [showWithdrawn, setShowWithdrawn] = useState(false);
  const [historyKey, setHistoryKey] = useState(0);
  const [listFilter, setListFilter] = useState('');

  useEffect(() => {
    document.title = `${t('editor.title')} · ${t('app.title')}`;
  }, [t]);

  // ---- data ------------------------------------------------------------------------------
  const parksState = useApi('parks', (s) => api.parks(s));
  const parks = useMemo(() => parksState.data?.features ?? [], [parksState.data]);
  const park = parks.find((p) => p.properties.id === parkId) ?? null;
  const { plots, error: plotsError, loading: plotsLoading, reload: reloadPlots } = useParkPlots(parkId);
  const features = useMemo(() => (plots?.features ?? []) as PlotFeature[], [plots]);
  const plotById = useMemo(() => new Map(features.map((f) => [f.properties.id, f])), [features]);
  useEffect(() => {
    if (features.some((f) => f.properties.sample) || park?.properties.sample) markSampleSeen();
  }, [features, park]);

  const focusId = tool.kind === 'edit' || tool.kind === 'split' ? tool.plotId : selected.length === 1 ? selected[0]! : null;
  const history = useApi(focusId !== null ? `history:${focusId}:${historyKey}` : null, (s) => plotEditApi.history(focusId!, s));
  const focus = focusId !== null ? plotById.get(focusId) ?? null : null;
  const currentVersion = history.data ? (history.data.versions.find((v) => v.validTo === null) ?? history.data.versions[history.data.versions.length - 1] ?? null) : null;
  const focusGeometry: AreaGeometry | null = focus?.geometry ?? currentVersion?.geometry ?? null;

  const editingId = tool.kind === 'edit' ? tool.plotId : null;
  const active = useMemo(() => features.filter((f) => f.properties.status !== 'withdrawn'), [features]);
  const neighbours: Neighbour[] = useMemo(
    () => active.filter((f) => f.properties.id !== editingId).map((f) => ({ id: f.properties.id, code: f.properties.code, geometry: f.geometry as PlotGeometry })),
    [active, editingId],
  );
  const snapSources = useMemo(() => {
    const list: SnapSource[] = neighbours.map((n) => ({ geometry: n.geometry, kind: 'plot', code: n.code }));
    if (park) list.push({ geometry: park.geometry as PlotGeometry, kind: 'park' });
    return prepareSnapSources(list);
  }, [neighbours, park]);

  // ---- terra-draw ------------------------------------------------------------------------
  const workIdRef = useRef<string | number | null>(null);
  const applyingRef = useRef(false);
  const rafRef = useRef(0);
  const drawRef = useRef<ReturnType<typeof useTerraDraw>>(null);

  const [, setDrawTick] = useState(0);
  const onDrawChange = useCallback((id: string | number, geometry: GeoJSON.Geometry) => {
    if (applyingRef.current) return;
    const kind = toolRef.current.kind;
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
    rafRef.current = requestAnimationFrame(() => setLiveGeom(g));
  }, []);

  const onDrawFinish = useCallback((id: string | number, mode: string, action: string, geometry: GeoJSON.Geometry) => {
    const current = toolRef.current;
    const draw = drawRef.current;
    if (!draw) return;
    // Select the finished shape once terra-draw has left its handler (unless work moved on meanwhile).
    const selectWhenDone = (id: string | number) =>
      setTimeout(() => {
        if (workIdRef.current !== id || !draw.hasFeature(id)) return;
        draw.setMode(DRAW_MODES.select);
        draw.selectFeature(id);
      }, 0);
    if (mode === DRAW_MODES.polygon && action === 'draw' && current.kind === 'draw') {
      const g = fromDrawGeometry(geometry);
      if (!g) return;
      cancelAnimationFrame(rafRef.current);
      workIdRef.current = id;
      setStack(createStack(g));
      setLiveGeom(null);
      setTool({ kind: 'create' });
      // Leave terra-draw's handler before switching mode: the closed shape becomes editable.
      selectWhenDone(id);
      return;
    }
    if (mode === DRAW_MODES.line && action === 'draw' && current.kind === 'split') {
      workIdRef.current = id;
      setSplitLine(fromDrawLine(geometry));
      selectWhenDone(id);
      return;
    }
    if (mode === DRAW_MODES.select && id === workIdRef.current) {
      if (geometry.type === 'LineString') {
        setSplitLine(fromDrawLine(geometry));
        return;
      }
      const g = fromDrawGeometry(geometry);
      cancelAnimationFrame(rafRef.current);
      setLiveGeom(null);
      if (g) setStack((s) => (s ? push(s, g, sameGeometry) : createStack(g)));
    }
  }, []);

  const draw = useTerraDraw(map, { enabled: snapOn, sources: snapSources }, { onChange: onDrawChange, onFinish: onDrawFinish });
  useEffect(() => {
    drawRef.current = draw;
  }, [draw]);

  /** Back to browsing: nothing drawn, nothing pending. */
  const resetWork = useCallback(() => {
    const d = drawRef.current;
    if (d) {
      d.setMode(DRAW_MODES.idle);
      d.clear();
    }
    cancelAnimationFrame(rafRef.current);
    workIdRef.current = null;
    setStack(null);
    setLiveGeom(null);
    setSplitLine(null);
    setServerCheck(null);
    setActionError(null);
    setConflict(false);
    setShowProblems(false);
    setShownVersion(null);
  }, []);

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
    setLiveGeom(null);
  };

  const undoRedo = (which: 'undo' | 'redo'): boolean => {
    const d = drawRef.current;
    if (!d) return false;
    const kind = toolRef.current.kind;
    if (kind === 'draw' || (kind === 'split' && !splitLine)) {
      const can = which === 'undo' ? d.canUndo() : d.canRedo();
      if (can) {
        if (which === 'undo') d.undo();
        else d.redo();
      }
      return can;
    }
    if ((kind === 'create' || kind === 'edit') && stack) {
      const next = which === 'undo' ? undo(stack) : redo(stack);
      if (next === stack) return false;
      setStack(next);
      applyToDraw(next.present);
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

  // ---- the shape being worked on and its live check ---------------------------------------
  const geom: GeoJSON.Polygon | null = tool.kind === 'draw' ? liveGeom : (liveGeom ?? stack?.present ?? null);
  const surveyed = form.areaM2.trim() && Number(form.areaM2) > 0 ? Number(form.areaM2) : null;
  const validation = useMemo(() => {
    if (!geom || !park || (tool.kind !== 'draw' && tool.kind !== 'create' && tool.kind !== 'edit')) return null;
    if (vertexCount(geom) < 3) return null;
    return validatePlotGeometry(geom, {
      park: { code: park.properties.code, nameZh: park.properties.nameZh, geometry: park.geometry as PlotGeometry },
      neighbours,
      surveyedAreaM2: tool.kind === 'draw' ? null : surveyed,
    });
  }, [geom, park, neighbours, surveyed, tool.kind]);
  const serverFresh = serverCheck && sameGeometry(serverCheck.geometry, geom) && serverCheck.areaM2 === form.areaM2 ? serverCheck : null;
  const issues = useMemo(
    () => [
      ...(validation ? displayIssues(validation.errors, validation.warnings, 'live', locale) : []),
      ...(serverFresh ? displayIssues(serverFresh.errors, serverFresh.warnings, 'server', locale) : []),
    ],
    [validation, serverFresh, locale],
  );
  const liveErrors = validation?.errors.length ?? 0;
  const problems = plotFormProblems(form, { areaOptional: tool.kind === 'create' });
  const problemCount = Object.keys(problems).length;

  // ---- split / merge previews ------------------------------------------------------------
  const splitPreview = useMemo(() => {
    if (tool.kind !== 'split' || !splitLine || !focusGeometry) return null;
    return splitPlotGeometry(focusGeometry as PlotGeometry, splitLine);
  }, [tool.kind, splitLine, focusGeometry]);
  const mergePlots = useMemo(
    () =>
      tool.kind === 'merge'
        ? selected.map((id) => plotById.get(id)).filter((f): f is PlotFeature => !!f).map((f) => ({ ...f.properties, landLevel: f.properties.landLevel ?? null, geometry: f.geometry }))
        : [],
    [tool.kind, selected, plotById],
  );
  const mergePreview = useMemo(() => (mergePlots.length >= 2 ? mergePlotGeometries(mergePlots.map((p) => p.geometry as PlotGeometry)) : null), [mergePlots]);

  // ---- map layers --------------------------------------------------------------------------
  useEditorLayerSetup(map);
  const parkData = useMemo<GeoJSON.FeatureCollection>(() => (park ? { type: 'FeatureCollection', features: [park] } : EMPTY_FC), [park]);
  const plotData = useMemo<GeoJSON.FeatureCollection>(() => (plots ?? EMPTY_FC) as GeoJSON.FeatureCollection, [plots]);
  const labelData = useMemo<GeoJSON.FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: features.map((f) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: labelPoint(f) }, properties: { code: f.properties.code, status: f.properties.status } })),
    }),
    [features],
  );
  const overlayData = useMemo<GeoJSON.FeatureCollection>(() => {
    const fs: GeoJSON.Feature[] = [];
    if (shownVersion !== null && history.data) {
      const v = history.data.versions.find((x) => x.version === shownVersion);
      if (v) fs.push({ type: 'Feature', geometry: v.geometry, properties: { role: 'history' } });
    }
    if (splitPreview?.ok) splitPreview.pieces.forEach((p, i) => fs.push({ type: 'Feature', geometry: p, properties: { role: 'piece', piece: i } }));
    if (mergePreview?.ok) fs.push({ type: 'Feature', geometry: mergePreview.geometry, properties: { role: 'piece', piece: 0 } });
    return { type: 'FeatureCollection', features: fs };
  }, [shownVersion, history.data, splitPreview, mergePreview]);
  const markerData = useMemo(() => issueMarkers(issues), [issues]);
  useSourceData(map, ED_SOURCES.park, parkData);
  useSourceData(map, ED_SOURCES.plots, plotData);
  useSourceData(map, ED_SOURCES.plotLabels, labelData);
  useSourceData(map, ED_SOURCES.overlay, overlayData);
  useSourceData(map, ED_SOURCES.issues, markerData);
  useWithdrawnFilter(map, showWithdrawn);
  const highlighted = useMemo(() => (tool.kind === 'split' ? [tool.plotId] : tool.kind === 'edit' ? [] : selected), [tool, selected]);
  usePlotState(map, 'selected', highlighted);
  usePlotState(map, 'conflict', useMemo(() => conflictPlotIds(issues), [issues]));
  // The plot being reshaped (or split) fades, so terra-draw's outline or the pieces read clearly.
  const fadedId = editingId !== null && stack ? editingId : tool.kind === 'split' && splitLine ? tool.plotId : null;
  usePlotState(map, 'editing', useMemo(() => (fadedId !== null ? [fadedId] : []), [fadedId]));

  // ---- camera --------------------------------------------------------------------------------
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

  // ---- URL ---------------------------------------------------------------------------------
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    if (parkId !== null) q.set('park', String(parkId));
    else q.delete('park');
    if (selected.length === 1) q.set('plot', String(selected[0]));
    else q.delete('plot');
    const s = q.toString();
    const url = `${window.location.pathname}${s ? `?${s}` : ''}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, '', url);
  }, [parkId, selected]);

  // ---- actions -----------------------------------------------------------------------------
  const choosePark = (id: number | null) => {
    resetWork();
    setTool({ kind: 'browse' });
    setSelected([]);
    setFlash(null);
    setParkId(id);
  };

  const selectPlot = (id: number, additive = false, fly = false) => {
    setShownVersion(null);
    setSelected((s) => (additive ? (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]) : [id]));
    if (!additive) setTab('details');
    if (fly) {
      const f = plotById.get(id);
      if (f) fitTo(f.geometry, 17.5);
    }
  };

  const onPick = (p: MapPick) => {
    if (p.plotId !== null) {
      selectPlot(p.plotId, p.additive);
      return;
    }
    if (p.parkId !== null && p.parkId !== parkId && toolRef.current.kind === 'browse') {
      choosePark(p.parkId);
      return;
    }
    if (!p.additive && toolRef.current.kind === 'browse') setSelected([]);
  };
  useEditorPointer(map, onPick, () => toolRef.current.kind === 'browse' || toolRef.current.kind === 'merge');

  const startDraw = () => {
    if (!draw || !park) return;
    resetWork();
    setFlash(null);
    setSelected([]);
    setForm({
      ...emptyPlotForm(),
      code: suggestPlotCode(park.properties.code, features.map((f) => f.properties.code)),
      landUse: mostCommon(features.map((f) => f.properties.landUse)) ?? '',
      landLevel: String(mostCommon(features.map((f) => f.properties.landLevel).filter((x): x is number => typeof x === 'number')) ?? ''),
    });
    setOriginalForm(null);
    draw.setMode(DRAW_MODES.polygon);
    setTool({ kind: 'draw' });
  };

  const startEdit = () => {
    if (!draw || !history.data || !currentVersion || focusId === null) return;
    const h = history.data;
    resetWork();
    setFlash(null);
    const f = plotFormFrom(currentVersion.attributes, currentVersion.areaM2);
    setForm(f);
    setOriginalForm(f);
    let initialGeom: GeoJSON.Polygon | null = null;
    let locked: 'allocated' | 'complex' | null = h.status === 'allocated' ? 'allocated' : null;
    if (!locked) {
      const polygon = editablePolygon(focusGeometry);
      if (!polygon) locked = 'complex';
      else {
        const id = draw.getFeatureId();
        const feature = toDrawFeature(id, polygon);
        const [res] = draw.addFeatures([feature as Parameters<typeof draw.addFeatures>[0][number]]);
        if (res?.valid) {
          initialGeom = fromDrawGeometry(feature.geometry);
          workIdRef.current = id;
          draw.setMode(DRAW_MODES.select);
          draw.selectFeature(id);
          setStack(createStack(initialGeom!));
        } else locked = 'complex';
      }
    }
    setTool({ kind: 'edit', plotId: focusId, rowVersion: h.rowVersion, initial: initialGeom, locked });
  };

  const startSplit = () => {
    if (!draw || !history.data || focusId === null) return;
    resetWork();
    setFlash(null);
    draw.setMode(DRAW_MODES.line);
    setTool({ kind: 'split', plotId: focusId, rowVersion: history.data.rowVersion });
  };

  const redrawSplit = () => {
    const d = drawRef.current;
    if (!d) return;
    d.setMode(DRAW_MODES.idle);
    d.clear();
    workIdRef.current = null;
    setSplitLine(null);
    d.setMode(DRAW_MODES.line);
  };

  const cancelTool = () => {
    resetWork();
    setTool({ kind: 'browse' });
  };

  /** After a write: back to browsing with the result selected and everything reloaded. */
  const finishWrite = (text: string, select: number[], warnings: GeometryIssueBody[] = []) => {
    resetWork();
    setTool({ kind: 'browse' });
    setSelected(select);
    setTab('details');
    setDialog(null);
    reloadPlots();
    setHistoryKey((k) => k + 1);
    setFlash({ text, warnings: displayIssues([], warnings, 'server', locale) });
    bodyRef.current?.scrollTo({ top: 0 });
  };

  const save = async () => {
    setShowProblems(true);
    if (!park || problemCount || liveErrors) return;
    setBusy(true);
    setActionError(null);
    setConflict(false);
    try {
      if (tool.kind === 'create' && geom) {
        const body = createPlotBody(form, park.properties.id, geom, validation?.areaM2 ?? 0);
        const r = await plotEditApi.create(body);
        finishWrite(t('editor.saved.created', { code: r.plot.properties.code }), [r.plot.properties.id], r.warnings);
      } else if (tool.kind === 'edit' && originalForm) {
        const changed = tool.initial && stack && !sameGeometry(stack.present, tool.initial) ? stack.present : undefined;
        const body = patchPlotBody(originalForm, form, tool.rowVersion, changed);
        if (!body) {
          finishWrite(t('editor.saved.nothing'), [tool.plotId]);
          return;
        }
        const r = await plotEditApi.patch(tool.plotId, body);
        finishWrite(t('editor.saved.edited', { code: r.plot.properties.code, version: r.plot.properties.version }), [r.plot.properties.id], r.warnings);
      }
    } catch (e) {
      const found = issuesFromError(e);
      if (found) setServerCheck({ geometry: geom, areaM2: form.areaM2, ok: false, ...found });
      if (e instanceof ApiError && e.status === 409 && e.reason === 'STALE_ROW_VERSION') setConflict(true);
      setActionError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const checkWithServer = async () => {
    if (!geom || !park) return;
    setBusy(true);
    setActionError(null);
    try {
      const r = await plotEditApi.validate({
        geometry: geom,
        parkId: park.properties.id,
        ...(surveyed ? { areaM2: surveyed } : {}),
        excludePlotIds: editingId !== null ? [editingId] : [],
      });
      setServerCheck({ geometry: geom, areaM2: form.areaM2, ok: r.ok, errors: r.errors, warnings: r.warnings });
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const reloadAfterConflict = () => {
    cancelTool();
    reloadPlots();
    setHistoryKey((k) => k + 1);
  };

  const locate = (where: [number, number]) => {
    if (!map) return;
    map.flyTo({ center: where, zoom: Math.max(map.getZoom(), 17.5), duration: 600 });
  };

  const showVersion = (v: number | null) => {
    setShownVersion(v);
    const g = v !== null ? history.data?.versions.find((x) => x.version === v)?.geometry : null;
    if (g) fitTo(g, 17.5);
  };

  const openPlot = (id: number) => {
    if (toolRef.current.kind !== 'browse') cancelTool();
    setSelected([id]);
    setShownVersion(null);
    setTab('history');
    const f = plotById.get(id);
    if (f?.properties.status === 'withdrawn') setShowWithdrawn(true);
    if (f) fitTo(f.geometry, 17.5);
  };

  // Unsaved work: the browser asks before the page is left or reloaded.
  const unsaved = tool.kind === 'draw' || tool.kind === 'split' || tool.kind === 'create' || (tool.kind === 'edit' && (!!stack?.past.length || (originalForm !== null && JSON.stringify(originalForm) !== JSON.stringify(form))));
  useEffect(() => {
    if (!unsaved) return;
    const onLeave = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [unsaved]);

  // Last of the map hooks: its cleanup (map.remove) runs after theirs (../../map/useMapInstance.ts).
  useMapInstance(mapHost);

  // ---- render ------------------------------------------------------------------------------
  const editing = tool.kind === 'create' || tool.kind === 'edit';
  const status = history.data?.status ?? focus?.properties.status ?? null;
  const drawLevel = tool.kind === 'draw' || (tool.kind === 'split' && !splitLine);
  const canUndoNow = drawLevel ? !!draw?.canUndo() : canUndo(stack);
  const canRedoNow = drawLevel ? !!draw?.canRedo() : canRedo(stack);
  const sortedParks = [...parks].sort((a, b) => a.properties.code.localeCompare(b.properties.code));
  const listed = features
    .filter((f) => showWithdrawn || f.properties.status !== 'withdrawn')
    .filter((f) => !listFilter.trim() || f.properties.code.toLowerCase().includes(listFilter.trim().toLowerCase()))
    .sort((a, b) => a.properties.code.localeCompare(b.properties.code));
  const counts = features.reduce<Record<string, number>>((c, f) => ({ ...c, [f.properties.status]: (c[f.properties.status] ?? 0) + 1 }), {});

  return (
    <div className="ed-page" data-testid="editor-page" data-tool={tool.kind}>
      <section className="ed-side" aria-labelledby="ed-title">
        <header className="ed-head">
          <h1 id="ed-title">{t('editor.title')}</h1>
          <div className="field">
            <label htmlFor="ed-park">{t('editor.park')}</label>
            <select
              id="ed-park"
              value={parkId ?? ''}
              onChange={(e) => choosePark(e.target.value ? Number(e.target.value) : null)}
              disabled={busy || (tool.kind !== 'browse' && tool.kind !== 'merge')}
              data-testid="park-select"
            >
              <option value="">{parksState.loading ? t('app.loading') : t('editor.choosePark')}</option>
              {sortedParks.map((p) => (
                <option key={p.properties.id} value={p.properties.id}>
                  {p.properties.code} {localName(locale, p.properties)}
                </option>
              ))}
            </select>
          </div>
          {parksState.error && <p className="form-error" role="alert">{errorText(parksState.error)}</p>}
        </header>

        <div className="ed-body" ref={bodyRef}>
          {flash && (
            <div className="alert alert--ok" role="status" data-testid="editor-flash">
              <p>{flash.text}</p>
              {flash.warnings.length > 0 && <IssueList issues={flash.warnings} onLocate={locate} />}
            </div>
          )}

          {!park && (
            <div className="note note--info">
              <p>{t('editor.pickParkHint')}</p>
            </div>
          )}

          {park && park.properties.sample && <p className="note note--sample">{t('editor.sampleNote')}</p>}
          {plotsError && <p className="form-error" role="alert">{errorText(plotsError)}</p>}

          {park && tool.kind === 'browse' && (
            <section className="ed-section ed-summary" aria-label={t('editor.parkPlots')}>
              <p className="small">
                {t('editor.parkSummary', { n: formatNumber(features.length, locale, 0) })}{' '}
                {(['available', 'held', 'allocated', 'withdrawn'] as const).map((s) =>
                  counts[s] ? (
                    <span key={s} className="chip chip--outline ed-chip">
                      <span className="dot" style={{ background: STATUS_COLORS[s] }} aria-hidden="true" />
                      {t(`status.${s}`)} {counts[s]}
                    </span>
                  ) : null,
                )}
              </p>
              <div className="ed-actions">
                <button type="button" className="button" onClick={startDraw} disabled={!draw || plotsLoading} data-testid="draw-plot">
                  {t('editor.action.draw')}
                </button>
              </div>
              {selected.length === 0 && <p className="muted small">{t('editor.selectHint')}</p>}
            </section>
          )}

          {tool.kind === 'draw' && (
            <section className="ed-section" aria-live="polite">
              <h2 className="ed-h">{t('editor.draw.title')}</h2>
              <ol className="ed-steps small">
                <li>{t('editor.draw.step1')}</li>
                <li>{t('editor.draw.step2')}</li>
                <li>{t('editor.draw.step3')}</li>
              </ol>
              {validation && <p className="small" data-testid="draw-area">{t('editor.geomArea', { mu: formatMu(validation.areaM2 ?? 0, locale), m2: formatM2(validation.areaM2 ?? 0, locale) })}</p>}
              {issues.length > 0 && <IssueList issues={issues} onLocate={locate} onPlot={(id) => selectPlot(id, false, true)} testId="issue-list" />}
              <div className="ed-actions">
                <button type="button" className="button button--ghost" onClick={cancelTool}>{t('common.cancel')}</button>
              </div>
            </section>
          )}

          {editing && (
            <form
              className="ed-section"
              aria-labelledby="ed-edit-title"
              onSubmit={(e) => {
                e.preventDefault();
                void save();
              }}
              noValidate
              data-testid="plot-form"
            >
              <h2 id="ed-edit-title" className="ed-h">
                {tool.kind === 'create' ? t('editor.create.title') : t('editor.edit.title', { code: originalForm?.code ?? '' })}
              </h2>
              {tool.kind === 'edit' && tool.locked && <p className="note note--info">{t(tool.locked === 'allocated' ? 'editor.edit.lockedAllocated' : 'editor.edit.lockedComplex')}</p>}
              {geom && (
                <p className="small ed-geom-facts">
                  <span data-testid="geom-area">{t('editor.geomArea', { mu: formatMu(validation?.areaM2 ?? 0, locale), m2: formatM2(validation?.areaM2 ?? 0, locale) })}</span>
                  {' · '}
                  {t('editor.vertices', { n: vertexCount(geom) })}
                  {stack && <> · {t('editor.editHint')}</>}
                </p>
              )}
              <div className="ed-check" role="status" aria-live="polite" data-testid="check-status">
                {geom && (liveErrors ? (
                  <span className="tag tag--warn ed-tag-error">{t('editor.check.errors', { n: liveErrors })}</span>
                ) : (
                  <span className="tag tag--ok">{t('editor.check.ok')}</span>
                ))}
                {serverFresh && (serverFresh.ok ? <span className="tag tag--ok">{t('editor.check.serverOk')}</span> : <span className="tag tag--warn">{t('editor.check.serverErrors')}</span>)}
              </div>
              {issues.length > 0 && <IssueList issues={issues} onLocate={locate} onPlot={(id) => selectPlot(id, false, true)} testId="issue-list" />}
              <PlotFormFields
                form={form}
                onChange={setForm}
                problems={problems}
                showProblems={showProblems}
                geometricAreaM2={validation?.areaM2 ?? (tool.kind === 'edit' ? currentVersion?.geometryAreaM2 ?? null : null)}
                areaOptional={tool.kind === 'create'}
                disabled={busy}
              />
              {actionError && (
                <div className="form-error" role="alert" data-testid="save-error">
                  <p>{actionError}</p>
                  {conflict && (
                    <button type="button" className="button button--secondary button--small" onClick={reloadAfterConflict} data-testid="reload-conflict">
                      {t('editor.conflict.reload')}
                    </button>
                  )}
                </div>
              )}
              {showProblems && problemCount > 0 && <p className="field-error">{t('editor.formProblems', { n: problemCount })}</p>}
              <div className="ed-actions">
                <button type="submit" className="button" disabled={busy || liveErrors > 0} data-testid="save-plot">
                  {busy && <span className="spinner spinner--light" aria-hidden="true" />}
                  {tool.kind === 'create' ? t('editor.action.saveNew') : t('editor.action.save')}
                </button>
                {geom && (
                  <button type="button" className="button button--secondary" onClick={() => void checkWithServer()} disabled={busy} data-testid="check-server">
                    {t('editor.action.checkServer')}
                  </button>
                )}
                <button type="button" className="button button--ghost" onClick={cancelTool} disabled={busy}>{t('common.cancel')}</button>
              </div>
              {liveErrors > 0 && <p className="muted small">{t('editor.saveBlocked')}</p>}
            </form>
          )}

          {tool.kind === 'split' && focus && (
            <SplitPanel
              key={`${tool.plotId}`}
              plot={focus.properties}
              rowVersion={tool.rowVersion}
              line={splitLine}
              preview={splitPreview}
              onRedraw={redrawSplit}
              onCancel={cancelTool}
              onDone={(r) => finishWrite(`${t('editor.saved.split', { code: r.parent.code, codes: r.children.map((c) => c.properties.code).join('、') })} ${locale === 'en' ? r.areaNote.messageEn : r.areaNote.messageZh}`, r.children.map((c) => c.properties.id), r.warnings)}
            />
          )}

          {tool.kind === 'merge' && (
            <MergePanel
              plots={mergePlots}
              preview={mergePreview}
              onCancel={cancelTool}
              onDone={(r) => finishWrite(t('editor.saved.merged', { code: r.plot.properties.code, codes: r.parents.map((p) => p.code).join('、') }), [r.plot.properties.id], r.warnings)}
            />
          )}

          {tool.kind === 'browse' && selected.length > 1 && (
            <section className="ed-section" data-testid="multi-selection">
              <h2 className="ed-h">{t('editor.multi.title', { n: selected.length })}</h2>
              <ul className="inline-list">
                {selected.map((id) => (
                  <li key={id}>{plotById.get(id)?.properties.code ?? `#${id}`}</li>
                ))}
              </ul>
              <div className="ed-actions">
                <button type="button" className="button" onClick={() => setTool({ kind: 'merge' })} data-testid="merge-start">
                  {t('editor.action.merge')}
                </button>
                <button type="button" className="button button--ghost" onClick={() => setSelected([])}>{t('editor.multi.clear')}</button>
              </div>
            </section>
          )}

          {tool.kind === 'browse' && focusId !== null && (
            <section className="ed-section" aria-labelledby="ed-plot-title" data-testid="plot-panel">
              <div className="ed-plot-head">
                <h2 id="ed-plot-title" className="ed-h">
                  {focus?.properties.code ?? history.data?.code ?? `#${focusId}`}
                </h2>
                {status && (
                  <span className="tag ed-status" data-status={status}>
                    <span className="dot" style={{ background: STATUS_COLORS[status] }} aria-hidden="true" />
                    {t(`status.${status}`)}
                  </span>
                )}
                {focus?.properties.sample && <span className="tag tag--sample">{t('sample.badge')}</span>}
                <button type="button" className="icon-button ed-close" aria-label={t('editor.closePlot')} title={t('editor.closePlot')} onClick={() => setSelected([])}>
                  <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M5 5l10 10M15 5 5 15" /></svg>
                </button>
              </div>
              {history.error && <p className="form-error" role="alert">{errorText(history.error)}</p>}
              {history.loading && !history.data && <p role="status" className="muted">{t('app.loading')}</p>}
              {history.data && (
                <>
                  <div className="ed-actions ed-plot-actions">
                    {status !== 'withdrawn' && (
                      <button type="button" className="button" onClick={startEdit} disabled={!draw} data-testid="edit-plot">{t('editor.action.edit')}</button>
                    )}
                    {status === 'available' && (
                      <button type="button" className="button button--secondary" onClick={startSplit} disabled={!draw} data-testid="split-plot">{t('editor.action.split')}</button>
                    )}
                    {status === 'available' && history.data.parents.length === 0 && history.data.children.length === 0 && (
                      <button type="button" className="button button--danger-outline" onClick={() => setDialog('delete')} data-testid="delete-plot">{t('editor.action.delete')}</button>
                    )}
                    {status === 'available' && (
                      <button type="button" className="button button--danger-outline" onClick={() => setDialog('withdraw')} data-testid="withdraw-plot">{t('editor.action.withdraw')}</button>
                    )}
                  </div>
                  {status === 'held' && <p className="muted small">{t('editor.heldNote')}</p>}
                  {status === 'allocated' && <p className="muted small">{t('editor.allocatedNote')}</p>}
                  {status === 'withdrawn' && <p className="muted small">{t('editor.withdrawnNote')}</p>}
                  <div className="tabs ed-tabs" role="tablist" aria-label={t('editor.tabs')}>
                    <button type="button" role="tab" className="tab" aria-selected={tab === 'details'} aria-current={tab === 'details' ? 'page' : undefined} onClick={() => setTab('details')}>
                      {t('editor.tab.details')}
                    </button>
                    <button type="button" role="tab" className="tab" aria-selected={tab === 'history'} aria-current={tab === 'history' ? 'page' : undefined} onClick={() => setTab('history')} data-testid="history-tab">
                      {t('editor.tab.history', { n: history.data.versions.length })}
                    </button>
                  </div>
                  {tab === 'details' && currentVersion && (
                    <Facts>
                      <Fact label={t('plot.area')}>
                        {formatMu(currentVersion.areaM2, locale)} <span className="muted small">{formatM2(currentVersion.areaM2, locale)}</span>
                      </Fact>
                      {currentVersion.geometryAreaM2 !== null && <Fact label={t('editor.geometricAreaLabel')}>{formatM2(currentVersion.geometryAreaM2, locale)}</Fact>}
                      <Fact label={t('plot.landUse')}>{currentVersion.attributes.landUse ? t(`landUse.${currentVersion.attributes.landUse as LandUse}`) : null}</Fact>
                      <Fact label={t('editor.field.landLevel')}>{currentVersion.attributes.landLevel != null ? t('value.level', { level: String(currentVersion.attributes.landLevel) }) : null}</Fact>
                      <Fact label={t('plot.location')}>{String(currentVersion.attributes.location ?? '')}</Fact>
                      <Fact label={t('editor.history.version')}>v{currentVersion.version}</Fact>
                    </Facts>
                  )}
                  {tab === 'history' && (
                    <HistoryView
                      history={history.data}
                      shownVersion={shownVersion}
                      onShowVersion={showVersion}
                      onOpenPlot={openPlot}
                      plotHref={(id) => `/bureau/editor?park=${parkId ?? ''}&plot=${id}`}
                    />
                  )}
                </>
              )}
            </section>
          )}

          {park && tool.kind === 'browse' && (
            <section className="ed-section" aria-labelledby="ed-list-title">
              <h2 id="ed-list-title" className="ed-h ed-h--small">{t('editor.list.title')}</h2>
              <div className="ed-list-tools">
                <label className="visually-hidden" htmlFor="ed-list-filter">{t('editor.list.filter')}</label>
                <input id="ed-list-filter" type="search" value={listFilter} placeholder={t('editor.list.filter')} onChange={(e) => setListFilter(e.target.value)} />
                <label className="check check--inline">
                  <input type="checkbox" checked={showWithdrawn} onChange={(e) => setShowWithdrawn(e.target.checked)} />
                  {t('editor.showWithdrawn')}
                </label>
              </div>
              {plotsLoading && !plots && <p role="status" className="muted">{t('app.loading')}</p>}
              {plots && listed.length === 0 && <p className="muted">{t('editor.list.empty')}</p>}
              <ul className="ed-plot-list" data-testid="plot-list">
                {listed.map((f) => {
                  const p = f.properties;
                  const isSel = selected.includes(p.id);
                  return (
                    <li key={p.id} className={isSel ? 'is-selected' : undefined} data-code={p.code}>
                      <input
                        type="checkbox"
                        checked={isSel}
                        onChange={() => selectPlot(p.id, true)}
                        aria-label={t('editor.list.toggle', { code: p.code })}
                      />
                      <button type="button" className="ed-plot-row" onClick={() => selectPlot(p.id, false, true)} aria-pressed={isSel}>
                        <span className="dot" style={{ background: STATUS_COLORS[p.status] }} aria-hidden="true" />
                        <span className="strong">{p.code}</span>
                        <span className="muted small">{t(`status.${p.status}`)}</span>
                        <span className="ed-plot-area">{formatMu(p.areaM2, locale)}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
        </div>
      </section>

      <div className="ed-map">
        <MapCanvas host={mapHost} label={t('editor.mapLabel')} testId="editor-map" />
        {map && park && (
          <div className="ed-toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
            {(editing || tool.kind === 'draw' || tool.kind === 'split') && (
              <>
                <button type="button" className="icon-button" onClick={() => undoRedo('undo')} disabled={!canUndoNow} aria-label={t('editor.undo')} title={t('editor.undo')} data-testid="undo">
                  <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M7 5 3 9l4 4M3 9h9a5 5 0 0 1 0 10h-2" /></svg>
                </button>
                <button type="button" className="icon-button" onClick={() => undoRedo('redo')} disabled={!canRedoNow} aria-label={t('editor.redo')} title={t('editor.redo')} data-testid="redo">
                  <svg viewBox="0 0 20 20" aria-hidden="true"><path d="m13 5 4 4-4 4M17 9H8a5 5 0 0 0 0 10h2" /></svg>
                </button>
              </>
            )}
            <label className="check check--inline ed-snap" title={t('editor.snapHint')}>
              <input type="checkbox" checked={snapOn} onChange={(e) => setSnapOn(e.target.checked)} data-testid="snap-toggle" />
              {t('editor.snap')}
            </label>
          </div>
        )}
        {map && park && (
          <div className="ed-legend" aria-hidden="true">
            {(['available', 'held', 'allocated'] as const).map((s) => (
              <span key={s}>
                <span className="dot" style={{ background: STATUS_COLORS[s] }} />
                {t(`status.${s}`)}
              </span>
            ))}
          </div>
        )}
      </div>

      {dialog === 'delete' && history.data && (
        <DeletePlotDialog
          history={history.data}
          onCancel={() => setDialog(null)}
          onWithdrawInstead={() => setDialog('withdraw')}
          onDone={(text) => finishWrite(text, [])}
        />
      )}
      {dialog === 'withdraw' && history.data && (
        <WithdrawPlotDialog history={history.data} onCancel={() => setDialog(null)} onDone={(text) => finishWrite(text, [history.data!.plotId])} />
      )}
    </div>
  );
}
