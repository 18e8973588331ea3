/**
 * The editor's undo/redo: an immutable stack of states (here, the geometry being edited) for
 * one edit session. Pure, so React keeps it in state and tests drive it directly.
 *
 * `push` records a new present (dropping the redo branch) unless it equals the present; the past
 * is capped at `max` entries, oldest dropped first.
 */
export interface UndoStack<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
}

export const UNDO_LIMIT = 200;

export function createStack<T>(present: T): UndoStack<T> {
  return { past: [], present, future: [] };
}

export function push<T>(s: UndoStack<T>, next: T, equals: (a: T, b: T) => boolean = Object.is, max = UNDO_LIMIT): UndoStack<T> {
  if (equals(s.present, next)) return s;
  const past = [...s.past, s.present];
  return { past: past.length > max ? past.slice(past.length - max) : past, present: next, future: [] };
}

export function undo<T>(s: UndoStack<T>): UndoStack<T> {
  if (!s.past.length) return s;
  return { past: s.past.slice(0, -1), present: s.past[s.past.length - 1]!, future: [s.present, ...s.future] };
}

export function redo<T>(s: UndoStack<T>): UndoStack<T> {
  if (!s.future.length) return s;
  return { past: [...s.past, s.present], present: s.future[0]!, future: s.future.slice(1) };
}

export const canUndo = <T>(s: UndoStack<T> | null | undefined): boolean => !!s && s.past.length > 0;
export const canRedo = <T>(s: UndoStack<T> | null | undefined): boolean => !!s && s.future.length > 0;

/** Whether a keyboard event is undo (Ctrl/⌘+Z) or redo (Ctrl/⌘+Shift+Z, Ctrl+Y); null otherwise. */
export function undoRedoKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const k = e.key.toLowerCase();
  if (k === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (k === 'y' && !e.shiftKey) return 'redo';
  return null;
}
