/**
 * The plot editor's state as one explicit tool state machine. Pure: `editorReducer(state, action)`
 * is the only way the state changes, so every transition (browse → draw → create, browse → edit,
 * browse → split, browse → merge, and back) is read and unit-tested here. terra-draw and the map
 * are driven beside it (./useEditorDraw.ts); the panels only read the state and dispatch.
 *
 * Tools:
 * - `browse`: choose plots (list or map), read one plot's details and history;
 * - `draw`: a new polygon is being drawn (terra-draw polygon mode); closing it goes to `create`;
 * - `create`: the closed polygon is reshaped and its attributes filled in before the first save;
 * - `edit`: an existing plot's shape (unless `locked`) and attributes, saved with its row version;
 * - `split`: a line is drawn across one plot, the pieces previewed;
 * - `merge`: the selected plots are merged.
 */
import type { GeometryIssueBody } from '../../api/index.ts';
import type { DisplayIssue } from './issues.ts';
import { emptyPlotForm, sameGeometry, type PlotForm } from './plotPayload.ts';
import { createStack, push, redo, undo, type UndoStack } from './undoStack.ts';

export type Tool =
  | { kind: 'browse' }
  | { kind: 'draw' }
  | { kind: 'create' }
  | { kind: 'edit'; plotId: number; rowVersion: string; initial: GeoJSON.Polygon | null; locked: 'allocated' | 'complex' | null }
  | { kind: 'split'; plotId: number; rowVersion: string }
  | { kind: 'merge' };

export type ToolKind = Tool['kind'];

/** Server issues apply to the shape and area they were given for; a later edit makes them stale. */
export interface ServerCheck {
  geometry: GeoJSON.Polygon | null;
  areaM2: string;
  ok: boolean;
  errors: GeometryIssueBody[];
  warnings: GeometryIssueBody[];
}

export interface Flash {
  text: string;
  warnings: DisplayIssue[];
}

export interface EditorState {
  parkId: number | null;
  /** Chosen plots (one: its panel; several: merge is offered). */
  selected: number[];
  tool: Tool;
  /** The closed shape being created or edited, with its undo history. */
  stack: UndoStack<GeoJSON.Polygon> | null;
  /** The shape while a vertex is being dragged or the polygon drawn (before it lands in `stack`). */
  liveGeom: GeoJSON.Polygon | null;
  splitLine: GeoJSON.LineString | null;
  form: PlotForm;
  /** The attributes as loaded, for an edit (what a PATCH compares with). */
  originalForm: PlotForm | null;
  /** Form problems show after the first save attempt. */
  showProblems: boolean;
  serverCheck: ServerCheck | null;
  actionError: string | null;
  /** The save failed because someone else changed the plot: offer a reload. */
  conflict: boolean;
  busy: boolean;
  flash: Flash | null;
  tab: 'details' | 'history';
  /** A historic version drawn on the map. */
  shownVersion: number | null;
  dialog: 'delete' | 'withdraw' | null;
  showWithdrawn: boolean;
  /** Bumped after every write so the plot history is read again. */
  historyKey: number;
}

export type EditorAction =
  | { type: 'choosePark'; parkId: number | null }
  | { type: 'selectPlot'; id: number; additive: boolean }
  | { type: 'clearSelection' }
  | { type: 'openPlot'; id: number; withdrawn: boolean }
  | { type: 'startDraw'; form: PlotForm }
  | { type: 'drawChanged'; geometry: GeoJSON.Polygon | null }
  | { type: 'shapeClosed'; geometry: GeoJSON.Polygon }
  | { type: 'shapeEdited'; geometry: GeoJSON.Polygon | null }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'startEdit'; plotId: number; rowVersion: string; form: PlotForm; initial: GeoJSON.Polygon | null; locked: 'allocated' | 'complex' | null }
  | { type: 'startSplit'; plotId: number; rowVersion: string }
  | { type: 'splitLine'; line: GeoJSON.LineString | null }
  | { type: 'startMerge' }
  | { type: 'cancel' }
  | { type: 'setForm'; form: PlotForm }
  | { type: 'saveRequested' }
  | { type: 'requestStarted'; clearConflict: boolean }
  | { type: 'requestFailed'; error: string; conflict?: boolean; serverCheck?: ServerCheck }
  | { type: 'serverChecked'; check: ServerCheck }
  | { type: 'written'; text: string; select: number[]; warnings: DisplayIssue[] }
  | { type: 'reloadAfterConflict' }
  | { type: 'setTab'; tab: EditorState['tab'] }
  | { type: 'showVersion'; version: number | null }
  | { type: 'openDialog'; dialog: EditorState['dialog'] }
  | { type: 'setShowWithdrawn'; show: boolean };

export function initialEditorState(url: { park: number | null; plot: number | null }): EditorState {
  return {
    parkId: url.park,
    selected: url.plot !== null ? [url.plot] : [],
    tool: { kind: 'browse' },
    stack: null,
    liveGeom: null,
    splitLine: null,
    form: emptyPlotForm(),
    originalForm: null,
    showProblems: false,
    serverCheck: null,
    actionError: null,
    conflict: false,
    busy: false,
    flash: null,
    tab: 'details',
    shownVersion: null,
    dialog: null,
    showWithdrawn: false,
    historyKey: 0,
  };
}

/** Nothing drawn, nothing pending (the tool itself is left to the caller). */
function resetWork(s: EditorState): EditorState {
  return { ...s, stack: null, liveGeom: null, splitLine: null, serverCheck: null, actionError: null, conflict: false, showProblems: false, shownVersion: null };
}

const BROWSE: Tool = { kind: 'browse' };

export function editorReducer(s: EditorState, a: EditorAction): EditorState {
  switch (a.type) {
    case 'choosePark':
      return { ...resetWork(s), tool: BROWSE, selected: [], flash: null, parkId: a.parkId };
    case 'selectPlot': {
      const selected = a.additive ? (s.selected.includes(a.id) ? s.selected.filter((x) => x !== a.id) : [...s.selected, a.id]) : [a.id];
      return { ...s, shownVersion: null, selected, tab: a.additive ? s.tab : 'details' };
    }
    case 'clearSelection':
      return { ...s, selected: [] };
    case 'openPlot': {
      const base = s.tool.kind !== 'browse' ? { ...resetWork(s), tool: BROWSE } : s;
      return { ...base, selected: [a.id], shownVersion: null, tab: 'history', showWithdrawn: a.withdrawn || s.showWithdrawn };
    }
    case 'startDraw':
      return { ...resetWork(s), flash: null, selected: [], form: a.form, originalForm: null, tool: { kind: 'draw' } };
    case 'drawChanged':
      return { ...s, liveGeom: a.geometry };
    case 'shapeClosed':
      if (s.tool.kind !== 'draw') return s;
      return { ...s, stack: createStack(a.geometry), liveGeom: null, tool: { kind: 'create' } };
    case 'shapeEdited':
      if (!a.geometry) return { ...s, liveGeom: null };
      return { ...s, liveGeom: null, stack: s.stack ? push(s.stack, a.geometry, sameGeometry) : createStack(a.geometry) };
    case 'undo':
    case 'redo': {
      if (!s.stack) return s;
      const stack = a.type === 'undo' ? undo(s.stack) : redo(s.stack);
      return stack === s.stack ? s : { ...s, stack, liveGeom: null };
    }
    case 'startEdit':
      return {
        ...resetWork(s),
        flash: null,
        form: a.form,
        originalForm: a.form,
        stack: a.initial ? createStack(a.initial) : null,
        tool: { kind: 'edit', plotId: a.plotId, rowVersion: a.rowVersion, initial: a.initial, locked: a.locked },
      };
    case 'startSplit':
      return { ...resetWork(s), flash: null, tool: { kind: 'split', plotId: a.plotId, rowVersion: a.rowVersion } };
    case 'splitLine':
      return s.tool.kind === 'split' ? { ...s, splitLine: a.line } : s;
    case 'startMerge':
      return { ...s, tool: { kind: 'merge' } };
    case 'cancel':
      return { ...resetWork(s), tool: BROWSE };
    case 'setForm':
      return { ...s, form: a.form };
    case 'saveRequested':
      return { ...s, showProblems: true };
    case 'requestStarted':
      return { ...s, busy: true, actionError: null, conflict: a.clearConflict ? false : s.conflict };
    case 'requestFailed':
      return { ...s, busy: false, actionError: a.error, conflict: a.conflict || s.conflict, serverCheck: a.serverCheck ?? s.serverCheck };
    case 'serverChecked':
      return { ...s, busy: false, serverCheck: a.check };
    case 'written':
      return {
        ...resetWork(s),
        tool: BROWSE,
        busy: false,
        selected: a.select,
        tab: 'details',
        dialog: null,
        historyKey: s.historyKey + 1,
        flash: { text: a.text, warnings: a.warnings },
      };
    case 'reloadAfterConflict':
      return { ...resetWork(s), tool: BROWSE, historyKey: s.historyKey + 1 };
    case 'setTab':
      return { ...s, tab: a.tab };
    case 'showVersion':
      return { ...s, shownVersion: a.version };
    case 'openDialog':
      return { ...s, dialog: a.dialog };
    case 'setShowWithdrawn':
      return { ...s, showWithdrawn: a.show };
  }
}

// ---- what the state implies (selectors) ---------------------------------------------------

/** The plot whose history and panel are shown: the one being edited or split, else a single selection. */
export function focusPlotId(s: EditorState): number | null {
  if (s.tool.kind === 'edit' || s.tool.kind === 'split') return s.tool.plotId;
  return s.selected.length === 1 ? s.selected[0]! : null;
}

/** The polygon on screen: while drawing only the live one; otherwise live while dragging, else the stack's. */
export function workingGeometry(s: EditorState): GeoJSON.Polygon | null {
  return s.tool.kind === 'draw' ? s.liveGeom : (s.liveGeom ?? s.stack?.present ?? null);
}

/** The shape form (create or edit) is open. */
export const isShaping = (s: EditorState): boolean => s.tool.kind === 'create' || s.tool.kind === 'edit';

/** Undo/redo belong to terra-draw (points of a shape still being drawn) rather than our stack. */
export const drawLevelUndo = (s: EditorState): boolean => s.tool.kind === 'draw' || (s.tool.kind === 'split' && !s.splitLine);

/** Plots and parks picked on the map: only while browsing or merging. */
export const mapPicksPlots = (s: EditorState): boolean => s.tool.kind === 'browse' || s.tool.kind === 'merge';

/** Another park may be chosen only while browsing or merging (and nothing is being saved). */
export const canChoosePark = (s: EditorState): boolean => !s.busy && mapPicksPlots(s);

/** The plots outlined as selected on the map. */
export function highlightedPlots(s: Pick<EditorState, 'tool' | 'selected'>): number[] {
  if (s.tool.kind === 'split') return [s.tool.plotId];
  if (s.tool.kind === 'edit') return [];
  return s.selected;
}

/** The plot being reshaped (or split) fades, so terra-draw's outline or the pieces read clearly. */
export function fadedPlotId(s: EditorState): number | null {
  if (s.tool.kind === 'edit' && s.stack) return s.tool.plotId;
  if (s.tool.kind === 'split' && s.splitLine) return s.tool.plotId;
  return null;
}

/** Work that leaving the page would lose. */
export function hasUnsavedWork(s: EditorState): boolean {
  const k = s.tool.kind;
  if (k === 'draw' || k === 'split' || k === 'create') return true;
  if (k !== 'edit') return false;
  return !!s.stack?.past.length || (s.originalForm !== null && JSON.stringify(s.originalForm) !== JSON.stringify(s.form));
}

export interface MapPick {
  plotId: number | null;
  parkId: number | null;
  additive: boolean;
}

/** What a click on the map does: select a plot, switch park (browsing only), or clear the selection. */
export function pickAction(s: EditorState, p: MapPick): EditorAction | null {
  if (p.plotId !== null) return { type: 'selectPlot', id: p.plotId, additive: p.additive };
  if (p.parkId !== null && p.parkId !== s.parkId && s.tool.kind === 'browse') return { type: 'choosePark', parkId: p.parkId };
  if (!p.additive && s.tool.kind === 'browse') return { type: 'clearSelection' };
  return null;
}
