/**
 * The plot editor's tool state machine (client/features/editor/editorMachine.ts): which tool
 * follows which action, what a transition keeps and what it clears.
 */
import { describe, expect, it } from 'vitest';
import {
  canChoosePark,
  drawLevelUndo,
  editorReducer,
  fadedPlotId,
  focusPlotId,
  hasUnsavedWork,
  highlightedPlots,
  initialEditorState,
  pickAction,
  workingGeometry,
  type EditorAction,
  type EditorState,
} from '../../client/features/editor/editorMachine.ts';
import { formatEditorUrl, parseEditorUrl } from '../../client/features/editor/editorUrl.ts';
import { emptyPlotForm } from '../../client/features/editor/plotPayload.ts';

const square = (x: number, size = 0.001): GeoJSON.Polygon => ({
  type: 'Polygon',
  coordinates: [[[x, 23], [x + size, 23], [x + size, 23 + size], [x, 23 + size], [x, 23]]],
});
const line: GeoJSON.LineString = { type: 'LineString', coordinates: [[113, 23], [113.01, 23.01]] };
const run = (s: EditorState, ...actions: EditorAction[]) => actions.reduce(editorReducer, s);
const start = (park: number | null = 9, plot: number | null = null) => initialEditorState({ park, plot });
const form = { ...emptyPlotForm(), code: 'P06-1' };

describe('the editor starts browsing', () => {
  it('with the park and the single plot of the link', () => {
    const s = start(9, 123);
    expect(s.tool.kind).toBe('browse');
    expect(s.parkId).toBe(9);
    expect(s.selected).toEqual([123]);
    expect(focusPlotId(s)).toBe(123);
  });
});

describe('drawing a new plot', () => {
  it('goes browse → draw → create when the polygon closes, with the shape as the first undo state', () => {
    let s = run(start(9, 5), { type: 'startDraw', form });
    expect(s.tool.kind).toBe('draw');
    expect(s.selected).toEqual([]);
    expect(s.form.code).toBe('P06-1');
    expect(drawLevelUndo(s)).toBe(true);
    s = run(s, { type: 'drawChanged', geometry: square(113) });
    expect(workingGeometry(s)).toEqual(square(113));
    s = run(s, { type: 'shapeClosed', geometry: square(113) });
    expect(s.tool.kind).toBe('create');
    expect(s.stack?.present).toEqual(square(113));
    expect(s.liveGeom).toBeNull();
    expect(drawLevelUndo(s)).toBe(false);
    expect(hasUnsavedWork(s)).toBe(true);
  });

  it('ignores a closed shape when it is not drawing', () => {
    const s = start();
    expect(run(s, { type: 'shapeClosed', geometry: square(113) })).toBe(s);
  });

  it('keeps the reshaped polygons on the undo stack; undo and redo walk it', () => {
    let s = run(start(), { type: 'startDraw', form }, { type: 'shapeClosed', geometry: square(113) }, { type: 'shapeEdited', geometry: square(113.1) });
    expect(s.stack?.past).toHaveLength(1);
    s = run(s, { type: 'undo' });
    expect(workingGeometry(s)).toEqual(square(113));
    const same = run(s, { type: 'undo' });
    expect(same).toBe(s);
    s = run(s, { type: 'redo' });
    expect(workingGeometry(s)).toEqual(square(113.1));
  });

  it('a dragged shape shows live before it lands on the stack', () => {
    let s = run(start(), { type: 'startDraw', form }, { type: 'shapeClosed', geometry: square(113) }, { type: 'drawChanged', geometry: square(113.2) });
    expect(workingGeometry(s)).toEqual(square(113.2));
    s = run(s, { type: 'shapeEdited', geometry: square(113.2) });
    expect(s.liveGeom).toBeNull();
    expect(s.stack?.present).toEqual(square(113.2));
  });
});

describe('editing a plot', () => {
  const edit = (initial: GeoJSON.Polygon | null = square(113)) =>
    run(start(9, 5), { type: 'startEdit', plotId: 5, rowVersion: 'r1', form, initial, locked: initial ? null : 'complex' });

  it('focuses the plot, fades it on the map, and highlights nothing', () => {
    const s = edit();
    expect(s.tool).toMatchObject({ kind: 'edit', plotId: 5, rowVersion: 'r1' });
    expect(focusPlotId(s)).toBe(5);
    expect(fadedPlotId(s)).toBe(5);
    expect(highlightedPlots(s)).toEqual([]);
    expect(canChoosePark(s)).toBe(false);
  });

  it('a locked shape has no stack and does not fade', () => {
    const s = edit(null);
    expect(s.stack).toBeNull();
    expect(fadedPlotId(s)).toBeNull();
  });

  it('is unsaved only once the shape or the attributes changed', () => {
    const s = edit();
    expect(hasUnsavedWork(s)).toBe(false);
    expect(hasUnsavedWork(run(s, { type: 'setForm', form: { ...form, location: 'x' } }))).toBe(true);
    expect(hasUnsavedWork(run(s, { type: 'shapeEdited', geometry: square(113.3) }))).toBe(true);
  });

  it('a stale row version marks a conflict; reloading goes back to browsing and reads the history again', () => {
    let s = run(edit(), { type: 'saveRequested' }, { type: 'requestStarted', clearConflict: true }, { type: 'requestFailed', error: '已被他人修改', conflict: true });
    expect(s).toMatchObject({ busy: false, conflict: true, actionError: '已被他人修改', showProblems: true });
    s = run(s, { type: 'reloadAfterConflict' });
    expect(s.tool.kind).toBe('browse');
    expect(s.conflict).toBe(false);
    expect(s.actionError).toBeNull();
    expect(s.historyKey).toBe(1);
  });

  it('a server check is kept until work is reset', () => {
    const check = { geometry: square(113), areaM2: '', ok: true, errors: [], warnings: [] };
    let s = run(edit(), { type: 'requestStarted', clearConflict: false }, { type: 'serverChecked', check });
    expect(s.serverCheck).toBe(check);
    expect(s.busy).toBe(false);
    s = run(s, { type: 'cancel' });
    expect(s.serverCheck).toBeNull();
    expect(s.stack).toBeNull();
  });
});

describe('splitting and merging', () => {
  it('split: the line is kept, undo belongs to terra-draw until it is drawn, and the plot fades once it is', () => {
    let s = run(start(9, 5), { type: 'startSplit', plotId: 5, rowVersion: 'r1' });
    expect(s.tool.kind).toBe('split');
    expect(highlightedPlots(s)).toEqual([5]);
    expect(drawLevelUndo(s)).toBe(true);
    expect(fadedPlotId(s)).toBeNull();
    s = run(s, { type: 'splitLine', line });
    expect(drawLevelUndo(s)).toBe(false);
    expect(fadedPlotId(s)).toBe(5);
    s = run(s, { type: 'splitLine', line: null });
    expect(s.splitLine).toBeNull();
  });

  it('a split line outside the split tool is ignored', () => {
    const s = start();
    expect(run(s, { type: 'splitLine', line })).toBe(s);
  });

  it('merge starts from several selected plots and the park can still be changed', () => {
    const s = run(start(9), { type: 'selectPlot', id: 1, additive: true }, { type: 'selectPlot', id: 2, additive: true }, { type: 'startMerge' });
    expect(s.tool.kind).toBe('merge');
    expect(s.selected).toEqual([1, 2]);
    expect(canChoosePark(s)).toBe(true);
    expect(hasUnsavedWork(s)).toBe(false);
  });
});

describe('after a write', () => {
  it('browses the result with a message, closes dialogs and reads the history again', () => {
    const s = run(
      start(9, 5),
      { type: 'openDialog', dialog: 'withdraw' },
      { type: 'setTab', tab: 'history' },
      { type: 'written', text: '已撤回', select: [5], warnings: [] },
    );
    expect(s).toMatchObject({ tool: { kind: 'browse' }, selected: [5], tab: 'details', dialog: null, historyKey: 1, flash: { text: '已撤回' } });
  });
});

describe('choosing', () => {
  it('another park drops the selection, the work and the message', () => {
    const s = run(start(9, 5), { type: 'written', text: 'ok', select: [5], warnings: [] }, { type: 'choosePark', parkId: 3 });
    expect(s).toMatchObject({ parkId: 3, selected: [], flash: null, tool: { kind: 'browse' } });
  });

  it('a plot: alone (details tab) or added to and removed from the selection', () => {
    let s = run(start(9), { type: 'setTab', tab: 'history' }, { type: 'selectPlot', id: 1, additive: false });
    expect(s.tab).toBe('details');
    s = run(s, { type: 'setTab', tab: 'history' }, { type: 'selectPlot', id: 2, additive: true });
    expect(s.selected).toEqual([1, 2]);
    expect(s.tab).toBe('history');
    s = run(s, { type: 'selectPlot', id: 1, additive: true });
    expect(s.selected).toEqual([2]);
  });

  it('opening a plot from the lineage leaves the current tool and shows withdrawn plots if it is one', () => {
    const s = run(start(9, 5), { type: 'startSplit', plotId: 5, rowVersion: 'r' }, { type: 'openPlot', id: 7, withdrawn: true });
    expect(s).toMatchObject({ tool: { kind: 'browse' }, selected: [7], tab: 'history', showWithdrawn: true });
  });
});

describe('a click on the map', () => {
  const pick = (plotId: number | null, parkId: number | null, additive = false) => ({ plotId, parkId, additive });
  it('selects a plot, switches park only while browsing, and clears the selection on empty ground', () => {
    const s = start(9, 5);
    expect(pickAction(s, pick(4, 9, true))).toEqual({ type: 'selectPlot', id: 4, additive: true });
    expect(pickAction(s, pick(null, 3))).toEqual({ type: 'choosePark', parkId: 3 });
    expect(pickAction(s, pick(null, 9))).toEqual({ type: 'clearSelection' });
    expect(pickAction(s, pick(null, null, true))).toBeNull();
    const merging = run(s, { type: 'startMerge' });
    expect(pickAction(merging, pick(null, 3))).toBeNull();
  });
});

describe('the editor URL', () => {
  it('reads whole numbers only and keeps other parameters', () => {
    expect(parseEditorUrl('?park=9&plot=x')).toEqual({ park: 9, plot: null });
    expect(formatEditorUrl({ park: 9, plot: 12 }, '?lang=en&plot=3')).toBe('?lang=en&plot=12&park=9');
    expect(formatEditorUrl({ park: null, plot: null }, '?park=9&plot=3')).toBe('');
  });
});
