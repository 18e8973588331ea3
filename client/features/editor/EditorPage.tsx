/**
 * `/bureau/editor` — the plot editor, for the land bureau. Choose a park (list or map) and its
 * plots load as GeoJSON. Then:
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
 *
 * The tools and their transitions are one state machine (./editorMachine.ts); terra-draw is
 * driven beside it (./useEditorDraw.ts); the map layers follow it (./useEditorMap.ts); the
 * panels (./BrowsePanels.tsx, ./ShapePanels.tsx, ./SplitMergePanels.tsx) read it and dispatch.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { mergePlotGeometries, splitPlotGeometry } from '../../../shared/geometry/edit.ts';
import { validatePlotGeometry, type Neighbour, type PlotGeometry } from '../../../shared/geometry/index.ts';
import { api, ApiError, plotEditApi, type AreaGeometry, type GeometryIssueBody, type PlotProps } from '../../api/index.ts';
import { AccessGate } from '../../ui/AccessGate.tsx';
import { useApi } from '../../ui/useApi.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useUrlState } from '../../ui/useUrlState.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { MapCanvas } from '../../map/MapCanvas.tsx';
import { useMapHost, useMapInstance } from '../../map/useMapInstance.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { MapTools, MultiSelectionPanel, ParkSummary, PlotList, PlotPanel } from './BrowsePanels.tsx';
import { canChoosePark, fadedPlotId, focusPlotId, hasUnsavedWork, highlightedPlots, isShaping, mapPicksPlots, pickAction, workingGeometry } from './editorMachine.ts';
import { formatEditorUrl, parseEditorUrl } from './editorUrl.ts';
import { IssueList } from './IssueList.tsx';
import { displayIssues, issuesFromError } from './issues.ts';
import { DeletePlotDialog, WithdrawPlotDialog } from './PlotDialogs.tsx';
import { createPlotBody, emptyPlotForm, patchPlotBody, plotFormFrom, plotFormProblems, sameGeometry, suggestPlotCode, vertexCount } from './plotPayload.ts';
import { DrawPanel, ShapeForm } from './ShapePanels.tsx';
import { prepareSnapSources, type SnapSource } from './snapping.ts';
import { MergePanel, SplitPanel } from './SplitMergePanels.tsx';
import { useEditorDraw } from './useEditorDraw.ts';
import { useEditorPointer } from './useEditorLayers.ts';
import { useEditorMap } from './useEditorMap.ts';
import { useEditorStore } from './useEditorStore.ts';
import { useParkPlots } from './useParkPlots.ts';
import './editor.css';

type PlotFeature = GeoJSON.Feature<AreaGeometry, PlotProps & { landLevel?: number }>;

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

  const [initial] = useState(() => parseEditorUrl(window.location.search));
  const store = useEditorStore(initial);
  const { state: s, dispatch, getState } = store;
  const { tool, parkId, selected, form } = s;
  const [snapOn, setSnapOn] = useState(true);
  const [listFilter, setListFilter] = useState('');

  useEffect(() => {
    document.title = `${t('editor.title')} · ${t('app.title')}`;
  }, [t]);

  useUrlState({
    parse: parseEditorUrl,
    format: formatEditorUrl,
    read: () => {
      const { parkId: park, selected: sel } = getState();
      return { park, plot: sel.length === 1 ? sel[0]! : null };
    },
    subscribe: (onChange) =>
      store.subscribe((next, prev) => {
        if (next.parkId !== prev.parkId || next.selected !== prev.selected) onChange();
      }),
  });

  // ---- data ------------------------------------------------------------------------------
  const parksState = useApi('parks', (sig) => api.parks(sig));
  const parks = useMemo(() => parksState.data?.features ?? [], [parksState.data]);
  const park = parks.find((p) => p.properties.id === parkId) ?? null;
  const { plots, error: plotsError, loading: plotsLoading, reload: reloadPlots } = useParkPlots(parkId);
  const features = useMemo(() => (plots?.features ?? []) as PlotFeature[], [plots]);
  const plotById = useMemo(() => new Map(features.map((f) => [f.properties.id, f])), [features]);
  useEffect(() => {
    if (features.some((f) => f.properties.sample) || park?.properties.sample) markSampleSeen();
  }, [features, park]);

  const focusId = focusPlotId(s);
  const history = useApi(focusId !== null ? `history:${focusId}:${s.historyKey}` : null, (sig) => plotEditApi.history(focusId!, sig));
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

  const draw = useEditorDraw(map, store, { enabled: snapOn, sources: snapSources });

  // ---- the shape being worked on and its live check ---------------------------------------
  const geom = workingGeometry(s);
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
  const serverCheck = s.serverCheck;
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
    if (tool.kind !== 'split' || !s.splitLine || !focusGeometry) return null;
    return splitPlotGeometry(focusGeometry as PlotGeometry, s.splitLine);
  }, [tool.kind, s.splitLine, focusGeometry]);
  const mergePlots = useMemo(
    () =>
      tool.kind === 'merge'
        ? selected.map((id) => plotById.get(id)).filter((f): f is PlotFeature => !!f).map((f) => ({ ...f.properties, landLevel: f.properties.landLevel ?? null, geometry: f.geometry }))
        : [],
    [tool.kind, selected, plotById],
  );
  const mergePreview = useMemo(() => (mergePlots.length >= 2 ? mergePlotGeometries(mergePlots.map((p) => p.geometry as PlotGeometry)) : null), [mergePlots]);

  // ---- map ---------------------------------------------------------------------------------
  const { fitTo } = useEditorMap(map, {
    park,
    plots,
    initial,
    shownGeometry: s.shownVersion !== null ? history.data?.versions.find((x) => x.version === s.shownVersion)?.geometry ?? null : null,
    splitPreview,
    mergePreview,
    issues,
    showWithdrawn: s.showWithdrawn,
    highlighted: useMemo(() => highlightedPlots({ tool, selected }), [tool, selected]),
    faded: fadedPlotId(s),
  });
  useEditorPointer(map, (p) => {
    const action = pickAction(getState(), p);
    if (action?.type === 'choosePark') draw.leave(action);
    else if (action) dispatch(action);
  }, () => mapPicksPlots(getState()));

  // ---- actions -----------------------------------------------------------------------------
  const choosePark = (id: number | null) => draw.leave({ type: 'choosePark', parkId: id });
  const cancelTool = () => draw.leave({ type: 'cancel' });

  const selectPlot = (id: number, additive = false, fly = false) => {
    dispatch({ type: 'selectPlot', id, additive });
    if (fly) {
      const f = plotById.get(id);
      if (f) fitTo(f.geometry, 17.5);
    }
  };

  const startDraw = () => {
    if (!draw.ready || !park) return;
    draw.startDraw({
      ...emptyPlotForm(),
      code: suggestPlotCode(park.properties.code, features.map((f) => f.properties.code)),
      landUse: mostCommon(features.map((f) => f.properties.landUse)) ?? '',
      landLevel: String(mostCommon(features.map((f) => f.properties.landLevel).filter((x): x is number => typeof x === 'number')) ?? ''),
    });
  };

  const startEdit = () => {
    if (!history.data || !currentVersion || focusId === null) return;
    const f = plotFormFrom(currentVersion.attributes, currentVersion.areaM2);
    draw.startEdit({ plotId: focusId, rowVersion: history.data.rowVersion, form: f, geometry: focusGeometry, allocated: history.data.status === 'allocated' });
  };

  const startSplit = () => {
    if (!history.data || focusId === null) return;
    draw.startSplit(focusId, history.data.rowVersion);
  };

  /** After a write: back to browsing with the result selected and everything reloaded. */
  const finishWrite = (text: string, select: number[], warnings: GeometryIssueBody[] = []) => {
    draw.leave({ type: 'written', text, select, warnings: displayIssues([], warnings, 'server', locale) });
    reloadPlots();
    bodyRef.current?.scrollTo({ top: 0 });
  };

  const save = async () => {
    dispatch({ type: 'saveRequested' });
    if (!park || problemCount || liveErrors) return;
    dispatch({ type: 'requestStarted', clearConflict: true });
    try {
      if (tool.kind === 'create' && geom) {
        const body = createPlotBody(form, park.properties.id, geom, validation?.areaM2 ?? 0);
        const r = await plotEditApi.create(body);
        finishWrite(t('editor.saved.created', { code: r.plot.properties.code }), [r.plot.properties.id], r.warnings);
      } else if (tool.kind === 'edit' && s.originalForm) {
        const changed = tool.initial && s.stack && !sameGeometry(s.stack.present, tool.initial) ? s.stack.present : undefined;
        const body = patchPlotBody(s.originalForm, form, tool.rowVersion, changed);
        if (!body) {
          finishWrite(t('editor.saved.nothing'), [tool.plotId]);
          return;
        }
        const r = await plotEditApi.patch(tool.plotId, body);
        finishWrite(t('editor.saved.edited', { code: r.plot.properties.code, version: r.plot.properties.version }), [r.plot.properties.id], r.warnings);
      }
    } catch (e) {
      const found = issuesFromError(e);
      dispatch({
        type: 'requestFailed',
        error: errorText(e),
        conflict: e instanceof ApiError && e.status === 409 && e.reason === 'STALE_ROW_VERSION',
        ...(found ? { serverCheck: { geometry: geom, areaM2: form.areaM2, ok: false, ...found } } : {}),
      });
    }
  };

  const checkWithServer = async () => {
    if (!geom || !park) return;
    dispatch({ type: 'requestStarted', clearConflict: false });
    try {
      const r = await plotEditApi.validate({
        geometry: geom,
        parkId: park.properties.id,
        ...(surveyed ? { areaM2: surveyed } : {}),
        excludePlotIds: editingId !== null ? [editingId] : [],
      });
      dispatch({ type: 'serverChecked', check: { geometry: geom, areaM2: form.areaM2, ok: r.ok, errors: r.errors, warnings: r.warnings } });
    } catch (e) {
      dispatch({ type: 'requestFailed', error: errorText(e) });
    }
  };

  const reloadAfterConflict = () => {
    draw.leave({ type: 'reloadAfterConflict' });
    reloadPlots();
  };

  const locate = (where: [number, number]) => {
    if (!map) return;
    map.flyTo({ center: where, zoom: Math.max(map.getZoom(), 17.5), duration: 600 });
  };

  const showVersion = (v: number | null) => {
    dispatch({ type: 'showVersion', version: v });
    const g = v !== null ? history.data?.versions.find((x) => x.version === v)?.geometry : null;
    if (g) fitTo(g, 17.5);
  };

  const openPlot = (id: number) => {
    const f = plotById.get(id);
    const action = { type: 'openPlot', id, withdrawn: f?.properties.status === 'withdrawn' } as const;
    if (getState().tool.kind !== 'browse') draw.leave(action);
    else dispatch(action);
    if (f) fitTo(f.geometry, 17.5);
  };

  // Unsaved work: the browser asks before the page is left or reloaded.
  const unsaved = hasUnsavedWork(s);
  useEffect(() => {
    if (!unsaved) return;
    const onLeave = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [unsaved]);

  // Last of the map hooks: its cleanup (map.remove) runs after theirs (../../map/useMapInstance.ts).
  useMapInstance(mapHost);

  // ---- render ------------------------------------------------------------------------------
  const status = history.data?.status ?? focus?.properties.status ?? null;
  const sortedParks = [...parks].sort((a, b) => a.properties.code.localeCompare(b.properties.code));
  const plotProps = features.map((f) => f.properties);
  const onIssuePlot = (id: number) => selectPlot(id, false, true);

  return (
    <div className="ed-page" data-testid="editor-page" data-tool={tool.kind}>
      <section className="ed-side map-side" aria-labelledby="ed-title">
        <header className="ed-head">
          <h1 id="ed-title">{t('editor.title')}</h1>
          <div className="field">
            <label htmlFor="ed-park">{t('editor.park')}</label>
            <select id="ed-park" value={parkId ?? ''} onChange={(e) => choosePark(e.target.value ? Number(e.target.value) : null)} disabled={!canChoosePark(s)} data-testid="park-select">
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
          {s.flash && (
            <div className="alert alert--ok" role="status" data-testid="editor-flash">
              <p>{s.flash.text}</p>
              {s.flash.warnings.length > 0 && <IssueList issues={s.flash.warnings} onLocate={locate} />}
            </div>
          )}

          {!park && (
            <div className="note note--info">
              <p>{t('editor.pickParkHint')}</p>
            </div>
          )}

          {park && park.properties.sample && <p className="note note--sample">{t('editor.sampleNote')}</p>}
          {plotsError && <p className="form-error" role="alert">{errorText(plotsError)}</p>}

          {park && tool.kind === 'browse' && <ParkSummary plots={plotProps} canDraw={draw.ready && !plotsLoading} noneSelected={selected.length === 0} onDraw={startDraw} />}

          {tool.kind === 'draw' && <DrawPanel validation={validation} issues={issues} onLocate={locate} onPlot={onIssuePlot} onCancel={cancelTool} />}

          {(tool.kind === 'create' || tool.kind === 'edit') && (
            <ShapeForm
              tool={tool}
              code={s.originalForm?.code ?? ''}
              geom={geom}
              validation={validation}
              reshaping={!!s.stack}
              serverFresh={serverFresh}
              issues={issues}
              onLocate={locate}
              onPlot={onIssuePlot}
              form={form}
              problems={problems}
              showProblems={s.showProblems}
              geometricAreaM2={validation?.areaM2 ?? (tool.kind === 'edit' ? currentVersion?.geometryAreaM2 ?? null : null)}
              busy={s.busy}
              actionError={s.actionError}
              conflict={s.conflict}
              onChange={(f) => dispatch({ type: 'setForm', form: f })}
              onSave={() => void save()}
              onCheck={() => void checkWithServer()}
              onCancel={cancelTool}
              onReloadConflict={reloadAfterConflict}
            />
          )}

          {tool.kind === 'split' && focus && (
            <SplitPanel
              key={`${tool.plotId}`}
              plot={focus.properties}
              rowVersion={tool.rowVersion}
              line={s.splitLine}
              preview={splitPreview}
              onRedraw={draw.redrawSplit}
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
            <MultiSelectionPanel
              codes={selected.map((id) => ({ id, code: plotById.get(id)?.properties.code ?? `#${id}` }))}
              onMerge={() => dispatch({ type: 'startMerge' })}
              onClear={() => dispatch({ type: 'clearSelection' })}
            />
          )}

          {tool.kind === 'browse' && focusId !== null && (
            <PlotPanel
              title={focus?.properties.code ?? history.data?.code ?? `#${focusId}`}
              status={status}
              sample={!!focus?.properties.sample}
              history={history}
              currentVersion={currentVersion}
              tab={s.tab}
              shownVersion={s.shownVersion}
              canDraw={draw.ready}
              plotHref={(id) => `/bureau/editor?park=${parkId ?? ''}&plot=${id}`}
              onClose={() => dispatch({ type: 'clearSelection' })}
              onEdit={startEdit}
              onSplit={startSplit}
              onDialog={(dialog) => dispatch({ type: 'openDialog', dialog })}
              onTab={(tab) => dispatch({ type: 'setTab', tab })}
              onShowVersion={showVersion}
              onOpenPlot={openPlot}
            />
          )}

          {park && tool.kind === 'browse' && (
            <PlotList
              plots={plotProps}
              loading={plotsLoading}
              loaded={!!plots}
              selected={selected}
              filter={listFilter}
              showWithdrawn={s.showWithdrawn}
              onFilter={setListFilter}
              onShowWithdrawn={(show) => dispatch({ type: 'setShowWithdrawn', show })}
              onToggle={(id) => selectPlot(id, true)}
              onOpen={(id) => selectPlot(id, false, true)}
            />
          )}
        </div>
      </section>

      <div className="ed-map">
        <MapCanvas host={mapHost} label={t('editor.mapLabel')} testId="editor-map" />
        {map && park && (
          <MapTools
            undoRedo={isShaping(s) || tool.kind === 'draw' || tool.kind === 'split'}
            canUndo={draw.canUndo}
            canRedo={draw.canRedo}
            snapOn={snapOn}
            onSnap={setSnapOn}
            onUndoRedo={(which) => void draw.undoRedo(which)}
          />
        )}
      </div>

      {s.dialog === 'delete' && history.data && (
        <DeletePlotDialog history={history.data} onCancel={() => dispatch({ type: 'openDialog', dialog: null })} onWithdrawInstead={() => dispatch({ type: 'openDialog', dialog: 'withdraw' })} onDone={(text) => finishWrite(text, [])} />
      )}
      {s.dialog === 'withdraw' && history.data && (
        <WithdrawPlotDialog history={history.data} onCancel={() => dispatch({ type: 'openDialog', dialog: null })} onDone={(text) => finishWrite(text, [history.data!.plotId])} />
      )}
    </div>
  );
}
